/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _ASM_X86_CHECKPOINT_HDR_H
#define _ASM_X86_CHECKPOINT_HDR_H

/*
 * x86 records: general purpose and segment registers, debug registers
 * and TLS descriptors (CKPT_HDR_CPU), the FPU/SSE/AVX state in its XSAVE
 * form (CKPT_HDR_FPU) and the arch part of an mm (CKPT_HDR_MM_CONTEXT).
 *
 * Registers are saved 64 bits wide on i386 as well, so that a 32-bit
 * image can be restarted under a 64-bit kernel.
 */

#include <linux/types.h>
#include <linux/checkpoint_hdr.h>

#ifdef __x86_64__
#define CKPT_ARCH_ID		CKPT_ARCH_X86_64
#else
#define CKPT_ARCH_ID		CKPT_ARCH_X86_32
#endif

#define CKPT_X86_NR_DEBUGREGS	8
#define CKPT_X86_TLS_ENTRIES	3	/* GDT_ENTRY_TLS_ENTRIES */
#define CKPT_X86_NR_ST		8	/* x87 stack registers */
#define CKPT_X86_NR_XMM		16

struct ckpt_x86_regs {
	__u64 r15, r14, r13, r12;	/* zero in a 32-bit image */
	__u64 bp, bx;
	__u64 r11, r10, r9, r8;
	__u64 ax, cx, dx, si, di;
	__u64 orig_ax;
	__u64 ip, flags, sp;
	__u16 cs, ss, ds, es, fs, gs;
	__u16 _padding[2];
	__u64 fs_base;
	__u64 gs_base;
} __attribute__((aligned(8)));

/* A TLS slot of the GDT, as struct user_desc */
struct ckpt_x86_tls_desc {
	__u32 entry_number;
	__u32 base_addr;
	__u32 limit;
	__u32 seg_32bit:1;
	__u32 contents:2;
	__u32 read_exec_only:1;
	__u32 limit_in_pages:1;
	__u32 seg_not_present:1;
	__u32 useable:1;
	__u32 lm:1;
	__u32 __reserved:24;
};

struct ckpt_hdr_cpu {
	struct ckpt_hdr h;
	struct ckpt_x86_regs regs;
	__u64 debugreg[CKPT_X86_NR_DEBUGREGS];
	struct ckpt_x86_tls_desc tls_array[CKPT_X86_TLS_ENTRIES];
	__u32 uses_debug;
	__u32 used_math;		/* a CKPT_HDR_FPU record follows */
} __attribute__((aligned(8)));

/* The 512-byte legacy area of FXSAVE/XSAVE */
struct ckpt_x86_fxregs {
	__u16 cwd;
	__u16 swd;
	__u16 twd;
	__u16 fop;
	union {
		struct {			/* 64-bit format */
			__u64 rip;
			__u64 rdp;
		};
		struct {			/* 32-bit format */
			__u32 fip;
			__u32 fcs;
			__u32 foo;
			__u32 fos;
		};
	};
	__u32 mxcsr;
	__u32 mxcsr_mask;
	__u32 st_space[(CKPT_X86_NR_ST * 16) / 4];	/* 16 bytes per reg */
	__u32 xmm_space[(CKPT_X86_NR_XMM * 16) / 4];
	__u32 _padding[12];
	__u32 sw_reserved[12];
} __attribute__((aligned(8)));

#ifdef __i386__
/* The 108-byte FSAVE image of CPUs without FXSR, padded to 112 */
struct ckpt_x86_fsave {
	__u32 cwd;
	__u32 swd;
	__u32 twd;
	__u32 fip;
	__u32 fcs;
	__u32 foo;
	__u32 fos;
	__u32 st_space[(CKPT_X86_NR_ST * 10) / 4];	/* 10 bytes per reg */
	__u32 status;
};
#endif

/* The XSAVE header that follows the legacy area */
struct ckpt_x86_xstate_hdr {
	__u64 xfeatures;
	__u64 xcomp_bv;
	__u64 reserved[6];
} __attribute__((aligned(8)));

/* CKPT_HDR_FPU flags */
#define CKPT_X86_FPU_FXSR	0x1
#define CKPT_X86_FPU_XSAVE	0x2

/*
 * The FPU state; with CKPT_X86_FPU_XSAVE the extended area (AVX, ...)
 * follows, xstate_size - 576 bytes in the standard XSAVE format.
 */
struct ckpt_hdr_fpu {
	struct ckpt_hdr h;
	__u32 xstate_size;
	__u32 flags;			/* CKPT_X86_FPU_* */
	union {
		struct ckpt_x86_fxregs fxsave;
#ifdef __i386__
		struct ckpt_x86_fsave fsave;	/* !CKPT_X86_FPU_FXSR */
#endif
	};
	struct ckpt_x86_xstate_hdr xsave_hdr;
	__u8 xstate[];
} __attribute__((aligned(8)));

/* The mm's LDT (nldt entries of ldt_entry_size bytes follow) and vdso */
struct ckpt_hdr_mm_context {
	struct ckpt_hdr h;
	__u32 ldt_entry_size;
	__u32 nldt;
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

#endif /* _ASM_X86_CHECKPOINT_HDR_H */
