/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _LINUX_CHECKPOINT_HDR_H
#define _LINUX_CHECKPOINT_HDR_H

/*
 * Checkpoint/restart image format: the common record header, the tags of
 * all top-level records and the records that open and close an image.
 *
 * An image is a sequence of records.  Each top-level record starts with a
 * struct ckpt_hdr giving its tag (one of the CKPT_HDR_* values below) and
 * its total length in bytes, header included.  The payload layout of each
 * record is owned by its subsystem and lives in <linux/checkpoint/...>;
 * the arch-specific ones live in <asm/checkpoint_hdr.h>.
 *
 * Rules for anything written to an image: fixed-width types only, 64-bit
 * fields at 8-byte offsets, explicit padding, and records aligned(8), so
 * that one layout serves 32-bit and 64-bit kernels alike.
 */

#include <linux/types.h>

#define CKPT_VERSION_MAJOR	0
#define CKPT_VERSION_MINOR	21
#define CKPT_VERSION		((CKPT_VERSION_MAJOR << 8) | CKPT_VERSION_MINOR)

/* "CKPTIMG1" and "1GMITPKC" read as little-endian 64-bit words */
#define CKPT_MAGIC_HEAD		0x31474d4954504b43ULL
#define CKPT_MAGIC_TAIL		0x434b5054494d4731ULL

/* Longest string record the kernel writes or accepts, NUL included */
#define CKPT_STRING_MAX		4096

/*
 * One-line description of the record framing, printed by the user-space
 * tools with --help-format.  It is a string: nothing here declares a type.
 */
#define CKPT_DOC \
"struct ckpt_doc { int x; }"

/* The common header of every top-level record */
struct ckpt_hdr {
	__u32 type;		/* CKPT_HDR_* */
	__u32 len;		/* bytes, this header included */
} __attribute__((aligned(8)));

/*
 * Record tags.  Grouped by subsystem in blocks of 100 so that a new record
 * does not renumber its neighbours; never reuse a retired number.
 */
enum {
	CKPT_HDR_HEADER = 1,
	CKPT_HDR_BUFFER,
	CKPT_HDR_STRING,
	CKPT_HDR_OBJREF,

	CKPT_HDR_TREE = 101,
	CKPT_HDR_TASK,
	CKPT_HDR_TASK_OBJS,
	CKPT_HDR_RESTART_BLOCK,
	CKPT_HDR_NS,
	CKPT_HDR_UTSNS,
	CKPT_HDR_CRED,
	CKPT_HDR_USER,
	CKPT_HDR_GROUPINFO,

	CKPT_HDR_CPU = 151,		/* <asm/checkpoint_hdr.h> */
	CKPT_HDR_FPU,
	CKPT_HDR_MM_CONTEXT,

	CKPT_HDR_MM = 201,
	CKPT_HDR_VMA,
	CKPT_HDR_PGARR,

	CKPT_HDR_FILE_TABLE = 301,
	CKPT_HDR_FILE_DESC,
	CKPT_HDR_FILE,
	CKPT_HDR_FILE_PIPE,

	CKPT_HDR_IPCNS = 401,
	CKPT_HDR_IPC_SHM,
	CKPT_HDR_IPC_MSG,
	CKPT_HDR_IPC_MSG_MSG,
	CKPT_HDR_IPC_SEM,

	CKPT_HDR_SIGHAND = 501,
	CKPT_HDR_SIGNAL,
	CKPT_HDR_SIGPENDING,
	CKPT_HDR_SIGALTSTACK,

	CKPT_HDR_SOCKET_UNIX = 601,
	CKPT_HDR_SOCKET_INET,
	CKPT_HDR_SOCKET_BUFFER,
	CKPT_HDR_SOCKET_SKB,

	CKPT_HDR_TTY = 701,
	CKPT_HDR_LDISC_N_TTY,

	CKPT_HDR_TAIL = 9001,
};

/* Architecture that wrote the image (ckpt_hdr_header.arch_id) */
enum ckpt_arch_id {
	CKPT_ARCH_X86_32 = 1,
	CKPT_ARCH_X86_64,
	CKPT_ARCH_S390X,
	CKPT_ARCH_ARM, CKPT_ARCH_ARM64, CKPT_ARCH_PPC32, CKPT_ARCH_PPC64, CKPT_ARCH_RISCV64,
};

/*
 * Kinds of shared kernel objects.  An object is written once, the first
 * time it is met, and referred to afterwards by its objref (a positive
 * number, unique within the image).
 */
enum ckpt_obj_type {
	CKPT_OBJ_IGNORE = 0,
	CKPT_OBJ_INODE,
	CKPT_OBJ_FILE_TABLE,
	CKPT_OBJ_FILE,
	CKPT_OBJ_MM,
	CKPT_OBJ_SIGHAND,
	CKPT_OBJ_SIGNAL,
	CKPT_OBJ_NS,
	CKPT_OBJ_UTS_NS,
	CKPT_OBJ_IPC_NS,
	CKPT_OBJ_CRED,
	CKPT_OBJ_USER,
	CKPT_OBJ_GROUPINFO,
	CKPT_OBJ_SOCK,
	CKPT_OBJ_TTY,
	CKPT_OBJ_MAX
};

/*
 * Sizes of kernel arrays the writer was built with; the restarting kernel
 * refuses an image whose constants it cannot honour.
 */
struct ckpt_const {
	__u16 task_comm_len;
	__u16 uts_len;
	__u16 nsig;
	__u16 rlim_nlimits;
};

/* First record of an image */
struct ckpt_hdr_header {
	struct ckpt_hdr h;
	__aligned_u64 magic;		/* CKPT_MAGIC_HEAD */
	__u16 arch_id;			/* enum ckpt_arch_id */
	__u16 version;			/* CKPT_VERSION */
	__u16 major, minor;		/* kernel that wrote the image */
	struct ckpt_const constants;
	__u64 time;			/* seconds since the epoch */
	__u64 uflags;			/* flags given to sys_checkpoint() */
	__u64 kflags;			/* flags the kernel added */
} __attribute__((aligned(8)));

/* Last record of an image */
struct ckpt_hdr_tail {
	struct ckpt_hdr h;
	__aligned_u64 magic;		/* CKPT_MAGIC_TAIL */
} __attribute__((aligned(8)));

/* A reference to an object already in the image */
struct ckpt_hdr_objref {
	struct ckpt_hdr h;
	__u32 objtype;			/* enum ckpt_obj_type */
	__s32 objref;
} __attribute__((aligned(8)));

/*
 * Opaque data of h.len - sizeof(struct ckpt_hdr) bytes, e.g. page contents
 * or a saved xstate area.
 */
struct ckpt_hdr_buffer {
	struct ckpt_hdr h;
	__u8 data[];
} __attribute__((aligned(8)));

/* A NUL-terminated string of at most CKPT_STRING_MAX bytes */
struct ckpt_hdr_string {
	struct ckpt_hdr h;
	char string[];
} __attribute__((aligned(8)));

/*
 * The layout below was proposed for v0.22 and not merged; it stays here as
 * a note for whoever picks it up.  It is not part of the image format:
struct ckpt_fake {
	__u32 type;
	__u32 len;
	__u64 crc;
};
 */

#ifdef __KERNEL__
struct ckpt_ctx;

extern int ckpt_write_obj(struct ckpt_ctx *ctx, struct ckpt_hdr *h);
extern void *ckpt_read_obj_type(struct ckpt_ctx *ctx, int len, int type);
extern int ckpt_write_string(struct ckpt_ctx *ctx, const char *str, int len);
#endif /* __KERNEL__ */

#endif /* _LINUX_CHECKPOINT_HDR_H */
