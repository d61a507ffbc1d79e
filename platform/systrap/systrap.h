/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the files of the systrap platform. */
#ifndef SYSTRAP_H
#define SYSTRAP_H

#include <stddef.h>
#include <stdint.h>

int systrap_build_filter(void *buf, size_t size, uint64_t text_start,
			 uint64_t text_end);

extern const unsigned char stub_elf_start[];
extern const unsigned char stub_elf_end[];

#endif
