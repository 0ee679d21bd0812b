/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _ASM_POWERPC_CHECKPOINT_HDR_H
#define _ASM_POWERPC_CHECKPOINT_HDR_H

/*
 * powerpc records (32- and 64-bit, big-endian): the registers of struct
 * pt_regs (CKPT_HDR_CPU), the floating point registers (CKPT_HDR_FPU) and
 * the vdso address (CKPT_HDR_MM_CONTEXT).  Registers are saved 64 bits
 * wide on 32-bit powerpc too, so the layouts are the same on both.
 */

#include <linux/types.h>
#include <linux/checkpoint_hdr.h>

#ifdef __powerpc64__
#define CKPT_ARCH_ID		CKPT_ARCH_PPC64
#else
#define CKPT_ARCH_ID		CKPT_ARCH_PPC32
#endif

#define CKPT_PPC_NR_GPRS	32
#define CKPT_PPC_NR_FPRS	32

struct ckpt_hdr_cpu {
	struct ckpt_hdr h;
	__u64 gpr[CKPT_PPC_NR_GPRS];
	__u64 nip;
	__u64 msr;
	__u64 ctr;
	__u64 link;
	__u64 xer;
	__u64 ccr;
	__u64 trap;
	__u64 orig_gpr3;
} __attribute__((aligned(8)));

struct ckpt_hdr_fpu {
	struct ckpt_hdr h;
	__u64 fpr[CKPT_PPC_NR_FPRS];
	__u64 fpscr;
} __attribute__((aligned(8)));

struct ckpt_hdr_mm_context {
	struct ckpt_hdr h;
	__u64 vdso_base;
} __attribute__((aligned(8)));

#ifdef __KERNEL__
struct ckpt_ctx;
struct task_struct;
struct mm_struct;

extern int cpu_checkpoint(struct ckpt_ctx *ctx, struct task_struct *t);
extern int cpu_restart(struct ckpt_ctx *ctx);
extern int mm_context_checkpoint(struct ckpt_ctx *ctx, struct mm_struct *mm);
extern int mm_context_restart(struct ckpt_ctx *ctx, struct mm_struct *mm);
#endif /* __KERNEL__ */

#endif /* _ASM_POWERPC_CHECKPOINT_HDR_H */
