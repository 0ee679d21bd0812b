/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _ASM_ARM_CHECKPOINT_HDR_H
#define _ASM_ARM_CHECKPOINT_HDR_H

/*
 * 32-bit ARM records: the core registers of struct pt_regs and the TLS
 * registers (CKPT_HDR_CPU), the VFP state (CKPT_HDR_FPU) and the
 * addresses of the vdso and sigpage (CKPT_HDR_MM_CONTEXT).  EABI only:
 * the layouts assume 8-byte aligned __u64.
 */

#include <linux/types.h>
#include <linux/checkpoint_hdr.h>

#define CKPT_ARCH_ID		CKPT_ARCH_ARM

#define CKPT_ARM_NR_UREGS	18	/* r0-r15, cpsr, orig_r0 */
#define CKPT_ARM_VFP_NR_REGS	32	/* d0-d31 */

struct ckpt_hdr_cpu {
	struct ckpt_hdr h;
	__u32 uregs[CKPT_ARM_NR_UREGS];
	__u32 tp_value;			/* TPIDRURO */
	__u32 tpuser_value;		/* TPIDRURW */
} __attribute__((aligned(8)));

struct ckpt_hdr_fpu {
	struct ckpt_hdr h;
	__u64 fpregs[CKPT_ARM_VFP_NR_REGS];
	__u32 fpscr;
	__u32 fpexc;
	__u32 fpinst;
	__u32 fpinst2;
} __attribute__((aligned(8)));

struct ckpt_hdr_mm_context {
	struct ckpt_hdr h;
	__u64 vdso;
	__u64 sigpage;
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

#endif /* _ASM_ARM_CHECKPOINT_HDR_H */
