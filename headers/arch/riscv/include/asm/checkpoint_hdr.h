/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _ASM_RISCV_CHECKPOINT_HDR_H
#define _ASM_RISCV_CHECKPOINT_HDR_H

/*
 * riscv64 records: the registers of struct user_regs_struct
 * (CKPT_HDR_CPU), the D extension state (CKPT_HDR_FPU) and the vdso
 * address (CKPT_HDR_MM_CONTEXT).
 */

#include <linux/types.h>
#include <linux/checkpoint_hdr.h>

#define CKPT_ARCH_ID		CKPT_ARCH_RISCV64

#define CKPT_RISCV_NR_REGS	32	/* pc, x1-x31 */
#define CKPT_RISCV_NR_FREGS	32

struct ckpt_hdr_cpu {
	struct ckpt_hdr h;
	__u64 regs[CKPT_RISCV_NR_REGS];
} __attribute__((aligned(8)));

struct ckpt_hdr_fpu {
	struct ckpt_hdr h;
	__u64 f[CKPT_RISCV_NR_FREGS];
	__u32 fcsr;
	__u32 _padding;
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

#endif /* _ASM_RISCV_CHECKPOINT_HDR_H */
