/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _LINUX_CHECKPOINT_SIGNAL_H
#define _LINUX_CHECKPOINT_SIGNAL_H

/*
 * Signal state: handlers (sighand_struct), the shared signal_struct with
 * its limits and timers, pending signals and the alternate signal stack.
 */

#include <linux/types.h>
#include <signal.h>			/* _NSIG */
#include <linux/checkpoint_hdr.h>

/* Signals the image has room for: 1 .. CKPT_NSIG */
#define CKPT_NSIG		64

/* Resource limits saved in struct ckpt_hdr_signal (RLIM_NLIMITS) */
#define CKPT_RLIM_NLIMITS	16

/*
 * A signal mask, one bit per signal, bit (n - 1) for signal n, least
 * significant byte first.  libc's _NSIG counts signal 0 and the kernel's
 * does not (65 and 64 on Linux), and both give the same 8 bytes here.
 */
struct ckpt_sigset {
	__u8 sig[_NSIG / 8];
};

/* Not sa_handler etc.: <signal.h> defines those names as macros */
struct ckpt_sigaction {
	__u64 handler;			/* user address, or SIG_DFL/SIG_IGN */
	__u64 flags;			/* SA_* */
	__u64 restorer;
	struct ckpt_sigset mask;
} __attribute__((aligned(8)));

/* All handlers of a sighand_struct, signal n in action[n - 1] */
struct ckpt_hdr_sighand {
	struct ckpt_hdr h;
	struct ckpt_sigaction action[CKPT_NSIG];
} __attribute__((aligned(8)));

/* One queued signal, the parts of siginfo_t that the kernel fills */
struct ckpt_siginfo {
	__u32 signo;
	__s32 _errno;
	__s32 code;
	__u32 _padding;
	union {
		struct {			/* kill(), sigqueue(), tkill() */
			__u32 pid;
			__u32 uid;
			__u64 sigval;
		};
		struct {			/* POSIX timers */
			__s32 tid;
			__u32 overrun;
			__u64 timer_sigval;
		};
		struct {			/* SIGCHLD */
			__u32 chld_pid;
			__u32 chld_uid;
			__s32 status;
			__u32 __pad;
			__u64 utime;
			__u64 stime;
		};
		struct {			/* SIGILL, SIGFPE, SIGSEGV, SIGBUS */
			__u64 addr;
			__u16 addr_lsb;
			__u16 __pad2[3];
		};
		struct {			/* SIGPOLL */
			__u64 band;
			__s32 fd;
			__u32 __pad3;
		};
	};
} __attribute__((aligned(8)));

/*
 * Pending signals of a task (private) or of its thread group (shared),
 * followed by nr_pending queued entries.
 */
struct ckpt_hdr_sigpending {
	struct ckpt_hdr h;
	__u32 nr_pending;
	__u32 shared;			/* 1: signal_struct's shared_pending */
	struct ckpt_sigset signal;
	struct ckpt_siginfo siginfo[];
} __attribute__((aligned(8)));

struct ckpt_hdr_sigaltstack {
	struct ckpt_hdr h;
	__u64 sp;
	__u64 size;
	__u32 flags;			/* SS_ONSTACK, SS_DISABLE, SS_AUTODISARM */
	__u32 _padding;
} __attribute__((aligned(8)));

struct ckpt_rlimit {
	__u64 rlim_cur;
	__u64 rlim_max;
} __attribute__((aligned(8)));

/* An interval timer, both values in nanoseconds; 0 is disarmed */
struct ckpt_itimer {
	__u64 value;
	__u64 interval;
} __attribute__((aligned(8)));

/* The thread-group wide signal_struct */
struct ckpt_hdr_signal {
	struct ckpt_hdr h;
	struct ckpt_rlimit rlim[CKPT_RLIM_NLIMITS];
	struct ckpt_itimer it_real;
	struct ckpt_itimer it_virt;
	struct ckpt_itimer it_prof;
	__s32 tty_objref;		/* controlling tty, 0 for none */
	__s32 tty_old_pgrp;
	__u32 flags;			/* SIGNAL_* */
	__s32 group_exit_code;
} __attribute__((aligned(8)));

#ifdef __KERNEL__
struct ckpt_ctx;
struct task_struct;

extern int signal_checkpoint(struct ckpt_ctx *ctx, struct task_struct *t);
extern int signal_restart(struct ckpt_ctx *ctx);
extern int sighand_checkpoint(struct ckpt_ctx *ctx, void *ptr);
extern void *sighand_restart(struct ckpt_ctx *ctx);
extern int sigaltstack_checkpoint(struct ckpt_ctx *ctx, struct task_struct *t);
extern int sigaltstack_restart(struct ckpt_ctx *ctx);
#endif /* __KERNEL__ */

#endif /* _LINUX_CHECKPOINT_SIGNAL_H */
