/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _LINUX_CHECKPOINT_TTY_H
#define _LINUX_CHECKPOINT_TTY_H

/*
 * Terminals: pty pairs (master and slave each get a record, linked by
 * objref) and the state of the N_TTY line discipline on them.
 */

#include <linux/types.h>
#include <asm/termbits.h>		/* NCCS */
#include <linux/checkpoint_hdr.h>

/* Size of the N_TTY read buffer */
#define CKPT_N_TTY_BUF_SIZE	4096

enum ckpt_tty_type {
	CKPT_TTY_NONE = 0,
	CKPT_TTY_PTY_MASTER,
	CKPT_TTY_PTY_SLAVE,
	CKPT_TTY_MAX
};

/*
 * The kernel's struct ktermios with fixed-width fields.  c_cc has the
 * host's NCCS entries: 19 on x86, and the image records which it was.
 */
struct ckpt_termios {
	__u32 c_iflag;
	__u32 c_oflag;
	__u32 c_cflag;
	__u32 c_lflag;
	__u32 c_ispeed;
	__u32 c_ospeed;
	__u8 c_line;
	__u8 c_cc[NCCS];
};

struct ckpt_winsize {
	__u16 ws_row;
	__u16 ws_col;
	__u16 ws_xpixel;
	__u16 ws_ypixel;
};

struct ckpt_hdr_tty {
	struct ckpt_hdr h;
	__u32 driver_type;		/* enum ckpt_tty_type */
	__u32 index;			/* /dev/pts/<index> */
	__s32 link_objref;		/* the other end of the pair */
	__s32 file_objref;
	__u64 flags;			/* TTY_* bits */
	__s32 session;			/* vpids in the image's pid namespace */
	__s32 pgrp;
	__u8 stopped:1,
	     hw_stopped:1,
	     flow_stopped:1,
	     packet:1,
	     __reserved_bits:4;
	__u8 ctrl_status;		/* TIOCPKT_* pending for the master */
	__u16 _padding;
	struct ckpt_termios termios;
	struct ckpt_winsize winsize;
} __attribute__((aligned(8)));

/* N_TTY state; the datalen bytes of the read buffer follow as a buffer */
struct ckpt_hdr_ldisc_n_tty {
	struct ckpt_hdr h;
	__u32 column;
	__u32 datalen;
	__u32 canon_column;
	__u32 canon_datalen;
	__u32 raw:1;
	__u32 real_raw:1;
	__u32 icanon:1;
	__u32 erasing:1;
	__u32 lnext:1;
	__u32 __reserved_bits:27;
	__u32 :0;			/* echo state starts a new unit */
	__u32 echo_cnt:12;
	__u32 echo_pos:12;
	__u32 echo_resv:8;
	__u16 minimum_to_wake;
	__u16 _padding;
	__u32 _padding2;
	__u8 read_flags[CKPT_N_TTY_BUF_SIZE / 8];	/* one bit per byte */
} __attribute__((aligned(8)));

#ifdef __KERNEL__
struct ckpt_ctx;
struct tty_struct;

extern int tty_checkpoint(struct ckpt_ctx *ctx, void *ptr);
extern void *tty_restart(struct ckpt_ctx *ctx);
extern int n_tty_checkpoint(struct ckpt_ctx *ctx, struct tty_struct *tty);
extern int n_tty_restart(struct ckpt_ctx *ctx, struct tty_struct *tty);
#endif /* __KERNEL__ */

#endif /* _LINUX_CHECKPOINT_TTY_H */
