/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _ASM_ARM64_CHECKPOINT_HDR_H
#define _ASM_ARM64_CHECKPOINT_HDR_H

/*
 * arm64 records: the general registers of struct user_pt_regs and the TLS
 * registers (CKPT_HDR_CPU), the FP/SIMD state (CKPT_HDR_FPU) and the
 * address of the vdso (CKPT_HDR_MM_CONTEXT).  64-bit (AArch64) tasks only.
 */

#include <linux/types.h>
#include <linux/checkpoint_hdr.h>

#define CKPT_ARCH_ID		CKPT_ARCH_ARM64

#define CKPT_ARM64_NR_GPRS	31	/* x0-x30 */
#define CKPT_ARM64_NR_VREGS	32	/* v0-v31 */

struct ckpt_hdr_cpu {
	struct ckpt_hdr h;
	__u64 regs[CKPT_ARM64_NR_GPRS];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
	__u64 tp_value;			/* TPIDR_EL0 */
	__u64 tp2_value;		/* TPIDRRO_EL0 */
} __attribute__((aligned(8)));

struct ckpt_hdr_fpu {
	struct ckpt_hdr h;
	__u64 vregs[CKPT_ARM64_NR_VREGS][2];	/* 128 bits each, low half first */
	__u32 fpsr;
	__u32 fpcr;
} __attribute__((aligned(8)));

struct ckpt_hdr_mm_context {
	struct ckpt_hdr h;
	__u64 vdso;
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

#endif /* _ASM_ARM64_CHECKPOINT_HDR_H */
