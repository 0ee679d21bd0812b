/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _LINUX_CHECKPOINT_IPC_H
#define _LINUX_CHECKPOINT_IPC_H

/*
 * System V IPC: the namespace limits and one record per shm segment,
 * message queue (followed by its messages) and semaphore set (followed
 * by sem_nsems values).
 */

#include <linux/types.h>
#include <linux/checkpoint_hdr.h>

/* SEMMSL, SEMMNS, SEMOPM, SEMMNI: the four values of kernel.sem */
#define CKPT_SEM_CTLS		4

/* The common kern_ipc_perm part of every IPC object */
struct ckpt_ipc_perm {
	__s32 id;
	__u32 key;
	__u32 uid;
	__u32 gid;
	__u32 cuid;
	__u32 cgid;
	__u32 mode;
	__u32 _padding;
	__u64 seq;
} __attribute__((aligned(8)));

struct ckpt_hdr_ipcns {
	struct ckpt_hdr h;
	__u64 shm_ctlmax;
	__u64 shm_ctlall;
	__s32 shm_ctlmni;
	__s32 msg_ctlmax;
	__s32 msg_ctlmnb;
	__s32 msg_ctlmni;
	__s32 sem_ctls[CKPT_SEM_CTLS];
} __attribute__((aligned(8)));

struct ckpt_hdr_ipc_shm {
	struct ckpt_hdr h;
	struct ckpt_ipc_perm perm;
	__u64 shm_segsz;
	__u64 shm_atim;
	__u64 shm_dtim;
	__u64 shm_ctim;
	__s32 shm_cprid;
	__s32 shm_lprid;
	__u32 mlock_uid;		/* (uid_t)-1 if not locked */
	__u32 flags;			/* SHM_LOCKED, SHM_HUGETLB, SHM_NORESERVE */
	__s32 objref;			/* CKPT_OBJ_INODE holding the contents */
	__u32 _padding;
} __attribute__((aligned(8)));

/* A message queue, followed by q_qnum ckpt_hdr_ipc_msg_msg records */
struct ckpt_hdr_ipc_msg {
	struct ckpt_hdr h;
	struct ckpt_ipc_perm perm;
	__u64 q_stime;
	__u64 q_rtime;
	__u64 q_ctime;
	__u64 q_cbytes;
	__u64 q_qnum;
	__u64 q_qbytes;
	__s32 q_lspid;
	__s32 q_lrpid;
} __attribute__((aligned(8)));

/* One message; its m_ts bytes of text follow as a CKPT_HDR_BUFFER */
struct ckpt_hdr_ipc_msg_msg {
	struct ckpt_hdr h;
	__s64 m_type;
	__u32 m_ts;
	__u32 _padding;
} __attribute__((aligned(8)));

/* A semaphore set, followed by a buffer of sem_nsems __u16 values */
struct ckpt_hdr_ipc_sem {
	struct ckpt_hdr h;
	struct ckpt_ipc_perm perm;
	__u64 sem_otime;
	__u64 sem_ctime;
	__u32 sem_nsems;
	__u32 _padding;
} __attribute__((aligned(8)));

/*
 * PORTABILITY CHECK: deliberately NOT portable, keep it that way.  Three
 * 32-bit members before a __u64 and no aligned(8): undo_list sits at
 * offset 16 on x86_64 (after a 4-byte hole) but at 12 on i386, where
 * __u64 is 4-byte aligned inside structs, and the size is 24 vs 20.
 */
struct ckpt_ipc_sem_undo {
	__u32 semid;
	__u32 nsems;
	__u32 flags;
	__u64 undo_list;
};

#ifdef __KERNEL__
struct ckpt_ctx;
struct ipc_namespace;

extern int ipcns_checkpoint(struct ckpt_ctx *ctx, struct ipc_namespace *ns);
extern struct ipc_namespace *ipcns_restart(struct ckpt_ctx *ctx);
extern int ipc_shm_checkpoint(struct ckpt_ctx *ctx, int id);
extern int ipc_shm_restart(struct ckpt_ctx *ctx, struct ipc_namespace *ns);
extern int ipc_msg_checkpoint(struct ckpt_ctx *ctx, int id);
extern int ipc_msg_restart(struct ckpt_ctx *ctx, struct ipc_namespace *ns);
extern int ipc_sem_checkpoint(struct ckpt_ctx *ctx, int id);
extern int ipc_sem_restart(struct ckpt_ctx *ctx, struct ipc_namespace *ns);
#endif /* __KERNEL__ */

#endif /* _LINUX_CHECKPOINT_IPC_H */
