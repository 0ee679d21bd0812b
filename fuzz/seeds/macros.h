#ifndef SEED_H
#define SEED_H
#include "inc.h"
#define F(x) x x
#define CAT(a, b) a ## b
#define STR(a) #a
#define V(...) f(0, ## __VA_ARGS__)
#if defined(F) && (1 << 3) > 4 ? 1 : 0
struct ckpt_seed { __u32 CAT(a, 1); char s[sizeof(STR(F(1)))]; unsigned b : 3, : 0; };
#endif
#pragma pack(push, 1)
union ckpt_u { long long a; struct { char c; } __attribute__((aligned(8))) n[2]; };
#pragma pack(pop)
enum ckpt_e { A = 1, B = A << 2, C };
typedef struct ckpt_seed ckpt_seed_t;
#endif
