/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _LINUX_CHECKPOINT_FILE_H
#define _LINUX_CHECKPOINT_FILE_H

/*
 * Open files: the fd table (one descriptor record per open fd, pointing at
 * a shared file object), the generic part of every open file, and pipes.
 */

#include <linux/types.h>
#include <linux/checkpoint_hdr.h>

enum ckpt_file_type {
	CKPT_FILE_IGNORE = 0,
	CKPT_FILE_GENERIC,		/* regular file or directory */
	CKPT_FILE_PIPE,
	CKPT_FILE_FIFO,
	CKPT_FILE_SOCKET,
	CKPT_FILE_TTY,
	CKPT_FILE_EVENTFD,
	CKPT_FILE_MAX
};

/* A files_struct; nfds ckpt_hdr_file_desc records follow */
struct ckpt_hdr_file_table {
	struct ckpt_hdr h;
	__s32 nfds;
	__u32 _padding;
} __attribute__((aligned(8)));

struct ckpt_hdr_file_desc {
	struct ckpt_hdr h;
	__s32 fd_objref;		/* CKPT_OBJ_FILE */
	__s32 fd_descriptor;
	__u32 fd_close_on_exec;
	__u32 _padding;
} __attribute__((aligned(8)));

/* The part of a struct file that every file type has */
struct ckpt_hdr_file {
	struct ckpt_hdr h;
	__u32 f_type;			/* enum ckpt_file_type */
	__u32 f_mode;			/* FMODE_* */
	__u32 f_flags;			/* O_* */
	__s32 f_credref;		/* CKPT_OBJ_CRED of f_cred */
	__u64 f_pos;
	__u64 f_version;
} __attribute__((aligned(8)));

/*
 * A pipe end: the generic file record, then the pipe.  The first end met
 * also writes the buffered data as a CKPT_HDR_BUFFER record.
 */
struct ckpt_hdr_file_pipe {
	struct ckpt_hdr_file common;	/* common.h.type is CKPT_HDR_FILE_PIPE */
	__s32 pipe_objref;		/* shared by both ends */
	__u32 pipe_nrbufs;
} __attribute__((aligned(8)));

/*
 * PORTABILITY CHECK: deliberately NOT portable, keep it that way.  'long'
 * is 4 bytes on i386 and 8 on x86_64, so start/end (and the size) differ
 * between the two.  A posix lock on an open file, for a later version.
 */
struct ckpt_file_lock {
	__u32 type;			/* F_RDLCK, F_WRLCK */
	__s32 pid;
	long start;
	long end;
};

#ifdef __KERNEL__
struct ckpt_ctx;
struct file;
struct files_struct;

/*
 * How a file type is saved and restored; one per enum ckpt_file_type,
 * registered by the filesystem or driver.  Kernel-only: never in an image.
 */
struct ckpt_file_ops {
	enum ckpt_file_type type;
	unsigned int flags;
	const char *name;
	int (*checkpoint)(struct ckpt_ctx *ctx, struct file *file);
	struct file *(*restore)(struct ckpt_ctx *ctx, struct ckpt_hdr_file *h);
};

extern int register_checkpoint_file_ops(const struct ckpt_file_ops *ops);
extern int file_checkpoint(struct ckpt_ctx *ctx, struct file *file);
extern struct file *file_restart(struct ckpt_ctx *ctx,
				 struct ckpt_hdr_file *h);
extern int file_table_checkpoint(struct ckpt_ctx *ctx, void *ptr);
extern void *file_table_restart(struct ckpt_ctx *ctx);
#endif /* __KERNEL__ */

#endif /* _LINUX_CHECKPOINT_FILE_H */
