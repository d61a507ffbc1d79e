/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Basic definitions for kernel code: fixed-width types, errno values (the
 * Linux UAPI ones, which the guest sees), helpers, the heap, string
 * functions and printk.
 */
#ifndef KERN_KERNEL_H
#define KERN_KERNEL_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>
#include <linux/errno.h>

#include "os.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef long ssize_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef long long loff_t;
typedef unsigned int mode_t;
typedef u32 dev_t;		/* our internal encoding: major << 20 | minor */

/*
 * A guest virtual address. Never dereferenced: guest memory is reached
 * only through copy_from_user()/copy_to_user() (kern/uaccess.h).
 */
typedef unsigned long uaddr_t;

#define PAGE_SHIFT	12
#define PAGE_SIZE	4096UL
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)

#define INT_MAX		__INT_MAX__
#define INT_MIN		(-INT_MAX - 1)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a)	(((x) + (a) - 1) & ~((typeof(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((typeof(x))(a) - 1))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)
#define __unused	__attribute__((unused))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __noreturn	__attribute__((noreturn))

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long err) { return (void *)err; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p) { return IS_ERR_VALUE(p); }
static inline bool IS_ERR_OR_NULL(const void *p) { return !p || IS_ERR(p); }

/* Kernel-internal errnos (never reach the guest). */
#define ERESTARTSYS		512
#define ERESTARTNOINTR		513
#define ERESTARTNOHAND		514
#define ERESTART_RESTARTBLOCK	516

/* Heap: kmalloc never fails silently; callers check for NULL. */
static inline void *kmalloc(size_t n) { return os_malloc(n); }
static inline void *kzalloc(size_t n) { return os_calloc(1, n); }
static inline void *kcalloc(size_t n, size_t s) { return os_calloc(n, s); }
static inline void *krealloc(void *p, size_t n) { return os_realloc(p, n); }
static inline void kfree(const void *p) { os_free((void *)p); }
char *kstrdup(const char *s);
char *kstrndup(const char *s, size_t n);
char *kasprintf(const char *fmt, ...) __printf(1, 2);

/* String and memory functions (pure functions from the C library). */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t n);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *h, const char *n);
size_t strlcpy(char *dst, const char *src, size_t size);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);
int kstrtoull(const char *s, int base, unsigned long long *res);
int kstrtoint(const char *s, int base, int *res);

/* printk: Linux-style levels as a leading "\001N". */
#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);
#define pr_err(...)	printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...)	printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...)	printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...)	printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...)	printk(KERN_DEBUG __VA_ARGS__)
/* Logs once per call site. */
#define pr_warn_once(...) do {					\
		static bool __warned;				\
		if (!__warned) {				\
			__warned = true;			\
			pr_warn(__VA_ARGS__);			\
		}						\
	} while (0)
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;
#define WARN_ON(c) ({ bool __c = !!(c); if (unlikely(__c)) \
	pr_warn("WARNING at %s:%d\n", __FILE__, __LINE__); __c; })
#define BUG_ON(c) do { if (unlikely(c)) \
	panic("BUG at %s:%d", __FILE__, __LINE__); } while (0)

#endif
