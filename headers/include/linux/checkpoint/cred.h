/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _LINUX_CHECKPOINT_CRED_H
#define _LINUX_CHECKPOINT_CRED_H

/*
 * Credentials: struct cred, the user_struct it points to and its
 * supplementary groups.  Each is a shared object: written once, then
 * referred to by objref (enum ckpt_obj_type in <linux/checkpoint_hdr.h>).
 */

#include <linux/types.h>
#include <linux/checkpoint_hdr.h>
#include <linux/checkpoint/capability.h>

/* Most supplementary groups a restarted task may carry (NGROUPS_MAX) */
#define CKPT_NGROUPS_MAX	65536

struct ckpt_hdr_cred {
	struct ckpt_hdr h;
	__u32 uid, suid, euid, fsuid;
	__u32 gid, sgid, egid, fsgid;
	__s32 user_ref;			/* CKPT_OBJ_USER */
	__s32 groups_ref;		/* CKPT_OBJ_GROUPINFO */
	struct ckpt_capabilities cap_s;
} __attribute__((aligned(8)));

/* A user_struct: the uid that owns the per-user limits */
struct ckpt_hdr_user {
	struct ckpt_hdr h;
	__u32 uid;
	__s32 userns_ref;		/* 0: the initial user namespace */
} __attribute__((aligned(8)));

/* Supplementary groups, sorted; followed by ngroups gids */
struct ckpt_hdr_groupinfo {
	struct ckpt_hdr h;
	__u32 ngroups;			/* <= CKPT_NGROUPS_MAX */
	__u32 _padding;
	__u32 groups[];
} __attribute__((aligned(8)));

#if 0
/* v0.19 layout, before capabilities moved into the credential record */
struct ckpt_hdr_cred_v19 {
	struct ckpt_hdr h;
	__u32 uid, gid;
	__u64 cap_effective;
};
#endif

#ifdef __KERNEL__
struct ckpt_ctx;
struct cred;

extern int cred_checkpoint(struct ckpt_ctx *ctx, const struct cred *cred);
extern struct cred *cred_restart(struct ckpt_ctx *ctx,
				 struct ckpt_hdr_cred *h);
extern int groupinfo_checkpoint(struct ckpt_ctx *ctx, void *ptr);
extern void *groupinfo_restart(struct ckpt_ctx *ctx);
#endif /* __KERNEL__ */

#endif /* _LINUX_CHECKPOINT_CRED_H */
