/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _LINUX_CHECKPOINT_UTS_H
#define _LINUX_CHECKPOINT_UTS_H

/*
 * UTS namespace: the six uname(2) strings, each NUL-terminated in a
 * field of __NEW_UTS_LEN + 1 bytes, as in struct new_utsname.
 */

#include <linux/types.h>
#include <linux/utsname.h>		/* __NEW_UTS_LEN */
#include <linux/checkpoint_hdr.h>

struct ckpt_hdr_utsns {
	struct ckpt_hdr h;
	struct {
		char sysname[__NEW_UTS_LEN + 1];
		char nodename[__NEW_UTS_LEN + 1];
		char release[__NEW_UTS_LEN + 1];
		char version[__NEW_UTS_LEN + 1];
		char machine[__NEW_UTS_LEN + 1];
		char domainname[__NEW_UTS_LEN + 1];
	} name;
	__u8 _padding[2];		/* 6 * 65 = 390, up to 392 */
} __attribute__((aligned(8)));

#ifdef __KERNEL__
struct ckpt_ctx;
struct uts_namespace;

extern int utsns_checkpoint(struct ckpt_ctx *ctx, struct uts_namespace *ns);
extern struct uts_namespace *utsns_restart(struct ckpt_ctx *ctx);
#endif /* __KERNEL__ */

#endif /* _LINUX_CHECKPOINT_UTS_H */
