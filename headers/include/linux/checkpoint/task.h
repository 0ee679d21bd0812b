/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _LINUX_CHECKPOINT_TASK_H
#define _LINUX_CHECKPOINT_TASK_H

/*
 * Tasks: the process tree, then for each task its own state, the objects
 * it shares with others (by objref), its namespaces and an interrupted
 * system call's restart block.  The registers follow as the arch records
 * of <asm/checkpoint_hdr.h>.
 */

#include <linux/types.h>
#include <linux/checkpoint_hdr.h>
#include <asm/checkpoint_hdr.h>

#define CKPT_TASK_COMM_LEN	16

/* One task of the tree, pids as seen in the image's root pid namespace */
struct ckpt_pids {
	__s32 vpid;
	__s32 vppid;
	__s32 vtgid;
	__s32 vpgid;
	__s32 vsid;
	__s32 depth;			/* pid namespace nesting level */
};

struct ckpt_hdr_tree {
	struct ckpt_hdr h;
	__u32 nr_tasks;
	__u32 _padding;
	struct ckpt_pids pids[];
} __attribute__((aligned(8)));

struct ckpt_hdr_task {
	struct ckpt_hdr h;
	__u32 state;			/* TASK_{RUNNING,INTERRUPTIBLE,STOPPED} */
	__u32 exit_state;		/* EXIT_ZOMBIE, EXIT_DEAD or 0 */
	__s32 exit_code;
	__s32 exit_signal;
	__s32 pdeath_signal;
	__u32 personality;
	__u64 set_child_tid;
	__u64 clear_child_tid;
	__u64 robust_list;
	__u32 flags;			/* PF_* worth keeping */
	__u32 _padding;
	char comm[CKPT_TASK_COMM_LEN];
} __attribute__((aligned(8)));

/* Shared objects of a task, each written once and referred to by objref */
struct ckpt_hdr_task_objs {
	struct ckpt_hdr h;
	__s32 files_objref;
	__s32 mm_objref;
	__s32 fs_objref;
	__s32 sighand_objref;
	__s32 signal_objref;
	__s32 cred_objref;
	__s32 real_cred_objref;
	__s32 ns_objref;		/* CKPT_OBJ_NS: struct ckpt_hdr_ns */
} __attribute__((aligned(8)));

/* An nsproxy */
struct ckpt_hdr_ns {
	struct ckpt_hdr h;
	__s32 uts_objref;
	__s32 ipc_objref;
	__s32 mnt_objref;
	__s32 net_objref;
} __attribute__((aligned(8)));

enum ckpt_restart_block_type {
	CKPT_RESTART_BLOCK_NONE = 0,
	CKPT_RESTART_BLOCK_HRTIMER_NANOSLEEP,
	CKPT_RESTART_BLOCK_POSIX_CPU_NANOSLEEP,
	CKPT_RESTART_BLOCK_FUTEX,
	CKPT_RESTART_BLOCK_POLL,
	CKPT_RESTART_BLOCK_MAX
};

/* The arguments of the interrupted call, by ckpt_restart_block_type */
union ckpt_restart_block_args {
	struct {
		__u64 uaddr;
		__u32 val;
		__u32 flags;
		__u32 bitset;
		__u32 _padding;
		__u64 time;			/* absolute, ns */
		__u64 uaddr2;
	} futex;
	struct {
		__s32 clockid;
		__u32 _padding;
		__u64 rmtp;
		__u64 expires;			/* absolute, ns */
	} nanosleep;
	struct {
		__u64 ufds;
		__s32 nfds;
		__s32 has_timeout;
		__u64 tv_sec;
		__u64 tv_nsec;
	} poll;
} __attribute__((aligned(8)));

struct ckpt_hdr_restart_block {
	struct ckpt_hdr h;
	__u32 function_type;		/* enum ckpt_restart_block_type */
	__u32 _padding;
	union ckpt_restart_block_args args;
} __attribute__((aligned(8)));

#ifdef __KERNEL__
struct ckpt_ctx;
struct task_struct;

extern int task_checkpoint(struct ckpt_ctx *ctx, struct task_struct *t);
extern int task_restart(struct ckpt_ctx *ctx);
extern int restart_block_checkpoint(struct ckpt_ctx *ctx,
				    struct task_struct *t);
extern int restart_block_restart(struct ckpt_ctx *ctx);
#endif /* __KERNEL__ */

#endif /* _LINUX_CHECKPOINT_TASK_H */
