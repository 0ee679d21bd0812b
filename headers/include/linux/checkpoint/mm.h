/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _LINUX_CHECKPOINT_MM_H
#define _LINUX_CHECKPOINT_MM_H

/*
 * Address spaces: the mm_struct, one record per vma, and the page arrays
 * that carry the contents of private and anonymous memory.  The arch part
 * of the mm (LDT, vdso) is struct ckpt_hdr_mm_context in
 * <asm/checkpoint_hdr.h>.
 */

#include <linux/types.h>
#include <linux/checkpoint_hdr.h>

/* Room for the auxiliary vector, as AT_VECTOR_SIZE: pairs of (type, value) */
#define CKPT_AT_VECTOR_SIZE_BASE	22
#define CKPT_AT_VECTOR_SIZE_ARCH	3
#define CKPT_AT_VECTOR_SIZE \
	((CKPT_AT_VECTOR_SIZE_BASE + CKPT_AT_VECTOR_SIZE_ARCH + 1) * 2)

/* How the contents of a vma are saved */
enum ckpt_vma_type {
	CKPT_VMA_IGNORE = 0,
	CKPT_VMA_VDSO,			/* remapped by the restarting kernel */
	CKPT_VMA_ANON,			/* private anonymous */
	CKPT_VMA_FILE,			/* private file-backed */
	CKPT_VMA_SHM_ANON,		/* shared anonymous */
	CKPT_VMA_SHM_ANON_SKIP,		/* shared anonymous, contents elsewhere */
	CKPT_VMA_SHM_FILE,		/* shared file-backed */
	CKPT_VMA_SHM_IPC,		/* SysV shm segment */
	CKPT_VMA_SHM_IPC_SKIP,
	CKPT_VMA_MAX
};

struct ckpt_hdr_mm {
	struct ckpt_hdr h;
	__u32 map_count;		/* vma records that follow */
	__s32 exe_objref;		/* CKPT_OBJ_FILE of /proc/self/exe */

	__u64 flags;			/* MMF_* */
	__u64 def_flags;		/* VM_* */

	/* the layout of the program image; stays 8-aligned on i386 too */
	struct {
		__u64 start_code, end_code;
		__u64 start_data, end_data;
		__u64 start_brk, brk;
		__u64 start_stack;
	} __attribute__((aligned(8)));

	__u64 arg_start, arg_end;
	__u64 env_start, env_end;

	__u64 saved_auxv[CKPT_AT_VECTOR_SIZE];
} __attribute__((aligned(8)));

struct ckpt_hdr_vma {
	struct ckpt_hdr h;
	__u32 vma_type;			/* enum ckpt_vma_type */
	__s32 vma_objref;		/* CKPT_OBJ_FILE backing it, or 0 */
	__s32 ino_objref;		/* CKPT_OBJ_INODE of shared memory, or 0 */

	/* a summary of vm_flags, for tools that read images */
	__u32 vm_read:1;
	__u32 vm_write:1;
	__u32 vm_exec:1;
	__u32 vm_shared:1;
	__u32 vm_growsdown:1;
	__u32 vm_locked:1;
	__u32 vm_reserved:26;

	__u64 vm_start;
	__u64 vm_end;
	__u64 vm_page_prot;
	__u64 vm_flags;
	__u64 vm_pgoff;			/* in pages */
	__u64 ino_size;			/* bytes of shared memory behind it */
} __attribute__((aligned(8)));

/*
 * A batch of pages: nr_pages addresses (__u64 each) follow as one
 * CKPT_HDR_BUFFER record, then the contents of each page, in order.
 */
struct ckpt_hdr_pgarr {
	struct ckpt_hdr h;
	__u64 nr_pages;
} __attribute__((aligned(8)));

#ifdef __KERNEL__
struct ckpt_ctx;
struct mm_struct;

extern int mm_checkpoint(struct ckpt_ctx *ctx, void *ptr);
extern void *mm_restart(struct ckpt_ctx *ctx);
extern int vma_checkpoint(struct ckpt_ctx *ctx, struct mm_struct *mm,
			  unsigned long start);
extern int vma_restart(struct ckpt_ctx *ctx, struct mm_struct *mm);
#endif /* __KERNEL__ */

#endif /* _LINUX_CHECKPOINT_MM_H */
