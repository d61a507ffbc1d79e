/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the files of the systrap platform. */
#ifndef SYSTRAP_H
#define SYSTRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int systrap_build_filter(void *buf, size_t size, uint64_t text_start,
			 uint64_t text_end);

/* Patched system call sites of one address space (patch.c). */
struct patch_sites;
struct patch_sites *patch_sites_new(void);
struct patch_sites *patch_sites_copy(struct patch_sites *s);
void patch_sites_free(struct patch_sites *s);
int patch_sites_note(struct patch_sites *s, uint64_t addr, int nr);
int patch_sites_rekind(struct patch_sites *s, int slot, int kind);
void patch_sites_done(struct patch_sites *s, int slot, bool patched);
bool patch_sites_slot(struct patch_sites *s, uint64_t slot, uint64_t *addr,
		      int *nr);
int patch_sites_at(struct patch_sites *s, uint64_t addr);
void patch_sites_unmapped(struct patch_sites *s, uint64_t addr, uint64_t len);
void patch_sites_moved(struct patch_sites *s, uint64_t old, uint64_t old_len,
		       uint64_t new_addr, uint64_t new_len);
void patch_sites_clear(struct patch_sites *s);

extern const unsigned char stub_elf_start[];
extern const unsigned char stub_elf_end[];

#endif
