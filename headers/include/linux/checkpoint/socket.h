/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
#ifndef _LINUX_CHECKPOINT_SOCKET_H
#define _LINUX_CHECKPOINT_SOCKET_H

/*
 * Sockets: the generic struct socket / struct sock state shared by all
 * families, one record per AF_UNIX and AF_INET socket, and the queued
 * buffers.  Addresses are saved as the libc sockaddr types, the form in
 * which they are given back to bind() and connect() on restart.
 */

#include <linux/types.h>
#include <sys/socket.h>
#include <sys/un.h>			/* struct sockaddr_un */
#include <netinet/in.h>			/* struct sockaddr_in */
#include <linux/checkpoint_hdr.h>

/* Generic socket state, embedded in every per-family record */
struct ckpt_socket {
	struct {				/* struct socket */
		__u64 flags;
		__u8 state;			/* SS_* */
		__u8 _padding[7];
	} socket;
	struct {				/* struct sock */
		__u32 err;
		__u32 err_soft;
		__u32 priority;
		__u32 rcvlowat;
		__u64 backlog;
		__u64 rcvtimeo;			/* jiffies converted to ns */
		__u64 sndtimeo;
		__u64 flags;			/* SOCK_* bits */
		__s64 lingertime;
		__u32 rcvbuf;
		__u32 sndbuf;
		__u16 type;			/* SOCK_STREAM, ... */
		__u16 family;			/* AF_* */
		__u16 protocol;
		__u8 sk_state;
		__u8 shutdown;			/* RCV_SHUTDOWN | SEND_SHUTDOWN */
		__u8 userlocks;
		__u8 no_check;
		__u8 bound_dev_if_set;
		__u8 _padding;
		__u32 bound_dev_if;
	} sock;
} __attribute__((aligned(8)));

/* CKPT_HDR_SOCKET_UNIX flags */
#define CKPT_UNIX_LINKED	0x1	/* laddr is still linked in the fs */
#define CKPT_UNIX_CLOSED	0x2	/* peer end already closed */

struct ckpt_hdr_socket_unix {
	struct ckpt_hdr h;
	struct ckpt_socket socket;
	__s32 this;			/* objref of this socket */
	__s32 peer;			/* objref of the peer, 0 if none */
	__u32 peercred_uid;
	__u32 peercred_gid;
	__u32 flags;			/* CKPT_UNIX_* */
	__u32 laddr_len;
	__u32 raddr_len;
	__u32 _padding;
	struct sockaddr_un laddr;
	struct sockaddr_un raddr;
	__u8 __pad[4];			/* 2 * 110, up to 224 */
} __attribute__((aligned(8)));

struct ckpt_hdr_socket_inet {
	struct ckpt_hdr h;
	struct ckpt_socket socket;
	__u32 laddr_len;
	__u32 raddr_len;
	struct sockaddr_in laddr;
	struct sockaddr_in raddr;
	__u32 daddr;			/* network byte order, all of them */
	__u32 rcv_saddr;
	__u32 saddr;
	__u16 dport;
	__u16 num;
	__u16 sport;
	__s16 uc_ttl;
	__u16 cmsg_flags;
	__u16 _padding;
} __attribute__((aligned(8)));

/* A receive or send queue; skb_count ckpt_hdr_socket_skb records follow */
struct ckpt_hdr_socket_buffer {
	struct ckpt_hdr h;
	__s32 sk_objref;		/* socket the queue belongs to */
	__s32 pr_objref;		/* AF_UNIX: the sending peer */
	__u32 skb_count;
	__u32 total_bytes;
} __attribute__((aligned(8)));

/* One queued buffer: its len bytes follow, in the record itself */
struct ckpt_hdr_socket_skb {
	struct ckpt_hdr h;
	__u32 len;
	__u32 hdr_len;
	__u8 data[];
} __attribute__((aligned(8)));

/*
 * PORTABILITY CHECK: deliberately NOT portable, keep it that way.  The
 * __u16 'backlog' is followed by a __u32, leaving an implicit 2-byte hole
 * at offset 2 that no member names (a restart would read stale bytes).
 */
struct ckpt_socket_queue {
	__u16 backlog;
	__u32 total_bytes;
	__u32 skb_count;
};

#ifdef __KERNEL__
struct ckpt_ctx;
struct socket;

extern int socket_checkpoint(struct ckpt_ctx *ctx, struct socket *sock);
extern struct socket *socket_restart(struct ckpt_ctx *ctx,
				     struct ckpt_socket *h);
extern int unix_checkpoint(struct ckpt_ctx *ctx, struct socket *sock);
extern int unix_restart(struct ckpt_ctx *ctx, struct socket *sock,
			struct ckpt_hdr_socket_unix *h);
extern int inet_checkpoint(struct ckpt_ctx *ctx, struct socket *sock);
extern int inet_restart(struct ckpt_ctx *ctx, struct socket *sock,
			struct ckpt_hdr_socket_inet *h);
#endif /* __KERNEL__ */

#endif /* _LINUX_CHECKPOINT_SOCKET_H */
