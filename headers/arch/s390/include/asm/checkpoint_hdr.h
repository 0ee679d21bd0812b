/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _ASM_S390_CHECKPOINT_HDR_H
#define _ASM_S390_CHECKPOINT_HDR_H

/*
 * s390 records: PSW, general, access and floating point registers, the
 * PER (program event recording) state, and the arch part of an mm.
 * Only 64-bit (s390x) images are supported.
 */

#include <linux/types.h>
#include <linux/checkpoint_hdr.h>

#ifdef __s390x__
#define CKPT_ARCH_ID		CKPT_ARCH_S390X
#endif

#define CKPT_S390_NUM_GPRS	16
#define CKPT_S390_NUM_ACRS	16
#define CKPT_S390_NUM_FPRS	16
#define CKPT_S390_NUM_CR_WORDS	3	/* control registers 9, 10, 11 */

struct ckpt_s390_psw {
	__u64 mask;
	__u64 addr;
} __attribute__((aligned(8)));

struct ckpt_hdr_cpu {
	struct ckpt_hdr h;
	struct ckpt_s390_psw psw;
	__u64 gprs[CKPT_S390_NUM_GPRS];
	__u64 orig_gpr2;
	__u32 acrs[CKPT_S390_NUM_ACRS];
	__u16 ilc;			/* instruction length code */
	__u16 svc_code;
	__u32 _padding;
	struct {			/* PER state */
		__u64 control_regs[CKPT_S390_NUM_CR_WORDS];
		__u64 starting_addr;
		__u64 ending_addr;
		__u64 address;
		__u16 perc_atmid;
		__u8 access_id;
		__u8 single_step:1,
		     instruction_fetch:1,
		     __reserved:6;
		__u32 _padding;
	} per_info;
} __attribute__((aligned(8)));

struct ckpt_hdr_fpu {
	struct ckpt_hdr h;
	__u32 fpc;			/* floating point control */
	__u32 _padding;
	__u64 fprs[CKPT_S390_NUM_FPRS];
} __attribute__((aligned(8)));

struct ckpt_hdr_mm_context {
	struct ckpt_hdr h;
	__u64 vdso_base;
	__u64 asce_limit;
	__u32 alloc_pgste;
	__u32 has_pgste;
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

#endif /* _ASM_S390_CHECKPOINT_HDR_H */
