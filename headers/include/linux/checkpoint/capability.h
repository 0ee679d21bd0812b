/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _LINUX_CHECKPOINT_CAPABILITY_H
#define _LINUX_CHECKPOINT_CAPABILITY_H

/*
 * Capability sets of a credential.  Not a top-level record: embedded in
 * struct ckpt_hdr_cred (see <linux/checkpoint/cred.h>).
 */

#include <linux/types.h>

/* Highest capability number the image format has room for, plus one */
#define CKPT_CAP_BITS		64

struct ckpt_capabilities {
	__u64 cap_i;			/* inheritable */
	__u64 cap_p;			/* permitted */
	__u64 cap_e;			/* effective */
	__u64 cap_bset;			/* bounding set */
	__u64 cap_ambient;
	__u32 securebits;		/* SECBIT_* */
	__u32 _padding;
} __attribute__((aligned(8)));

#ifdef __KERNEL__
struct ckpt_ctx;
struct cred;

extern int capabilities_checkpoint(struct ckpt_ctx *ctx,
				   struct ckpt_capabilities *h,
				   const struct cred *cred);
extern int capabilities_restart(struct ckpt_ctx *ctx,
				struct ckpt_capabilities *h,
				struct cred *cred);
#endif /* __KERNEL__ */

#endif /* _LINUX_CHECKPOINT_CAPABILITY_H */
