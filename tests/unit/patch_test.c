// SPDX-License-Identifier: GPL-2.0
/*
 * The record of patched system call sites (platform/systrap/patch.c):
 * second calls, slot kinds, what munmap, mremap, fork and exec do to it,
 * and slots from guest memory that mean nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../platform/systrap/systrap.h"
#include "../../platform/stub/stub.h"

static int failures;

#define CHECK(cond, ...) do {						\
		if (!(cond)) {						\
			printf("FAIL: line %d: ", __LINE__);		\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

/* Notes a site twice and records it patched; returns its slot. */
static int patch(struct patch_sites *s, uint64_t addr, int nr, int kind)
{
	int slot;

	patch_sites_note(s, addr, nr);
	slot = patch_sites_note(s, addr, nr);
	if (slot < 0)
		return slot;
	slot = patch_sites_rekind(s, slot, kind);
	if (slot >= 0)
		patch_sites_done(s, slot, true);
	return slot;
}

static int stands_for(struct patch_sites *s, int slot, uint64_t addr, int nr)
{
	uint64_t a;
	int n;

	return patch_sites_slot(s, (uint64_t)slot, &a, &n) && a == addr &&
	       n == nr;
}

static void test_second_call(void)
{
	struct patch_sites *s = patch_sites_new();
	uint64_t a;
	int n, slot, again;

	CHECK(patch_sites_note(s, 0x401000, 39) < 0, "first call rewrites");
	slot = patch_sites_note(s, 0x401000, 110);
	CHECK(slot >= 0 && slot < STUB_PATCH_KIND_SLOTS, "second call: %d", slot);
	CHECK(!patch_sites_slot(s, (uint64_t)slot, &a, &n),
	      "a slot stands for a site before it is rewritten");
	CHECK(patch_sites_at(s, 0x401000) < 0, "found before it is rewritten");
	CHECK(patch_sites_known(s, 0x401000) && !patch_sites_known(s, 0x401001),
	      "a recorded site not known");
	patch_sites_done(s, slot, true);
	CHECK(stands_for(s, slot, 0x401000, 110), "the latest number counts");
	CHECK(patch_sites_at(s, 0x401000) == slot, "not found by address");
	again = patch_sites_note(s, 0x401000, 39);
	CHECK(again < 0, "a rewritten site is rewritten again: %d", again);

	/* a refused site is never offered again */
	patch_sites_note(s, 0x402000, 1);
	slot = patch_sites_note(s, 0x402000, 1);
	patch_sites_done(s, slot, false);
	CHECK(patch_sites_note(s, 0x402000, 1) < 0, "refused site offered");
	CHECK(!patch_sites_slot(s, (uint64_t)slot, &a, &n), "refused site usable");
	patch_sites_free(s);
}

static void test_kinds_and_garbage(void)
{
	struct patch_sites *s = patch_sites_new();
	static const uint64_t junk[] = { STUB_PATCH_SLOTS, STUB_PATCH_SLOTS + 1,
		(uint64_t)-1, (uint64_t)-2, 1ULL << 40, 5,
		STUB_PATCH_KIND_SLOTS + 7 };
	uint64_t a;
	int n, k0, k1;

	k0 = patch(s, 0x500000, 1, STUB_PATCH_NR_IMM);
	k1 = patch(s, 0x500100, 2, STUB_PATCH_NR_RAX);
	CHECK(k0 >= 0 && k0 < STUB_PATCH_KIND_SLOTS, "kind 0 slot %d", k0);
	CHECK(k1 >= STUB_PATCH_KIND_SLOTS && k1 < STUB_PATCH_SLOTS,
	      "kind 1 slot %d", k1);
	CHECK(stands_for(s, k0, 0x500000, 1) && stands_for(s, k1, 0x500100, 2),
	      "slots of both kinds");
	CHECK(patch_sites_at(s, 0x500100) == k1, "kind 1 site by address");
	for (unsigned i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		CHECK(!patch_sites_slot(s, junk[i], &a, &n),
		      "slot %#llx stands for something",
		      (unsigned long long)junk[i]);
	patch_sites_free(s);
}

/* Slots run out, and those of unmapped sites are reused. */
static void test_many(void)
{
	struct patch_sites *s = patch_sites_new();
	int last = -1, ok = 0, slot;

	for (int i = 0; i < STUB_PATCH_KIND_SLOTS + 100; i++) {
		slot = patch(s, 0x10000000 + 16 * (uint64_t)i, i, STUB_PATCH_NR_IMM);
		if (slot >= 0) {
			ok++;
			last = i;
		}
	}
	CHECK(ok == STUB_PATCH_KIND_SLOTS, "%d kind 0 sites, want %d", ok,
	      STUB_PATCH_KIND_SLOTS);
	for (int i = 0; i <= last; i += 97) {
		slot = patch_sites_at(s, 0x10000000 + 16 * (uint64_t)i);
		CHECK(slot >= 0 && stands_for(s, slot, 0x10000000 + 16 * (uint64_t)i, i),
		      "site %d lost among many", i);
	}
	/* a page of them unmapped: 256 slots free again */
	patch_sites_unmapped(s, 0x10000000, 4096);
	CHECK(patch_sites_at(s, 0x10000000) < 0, "unmapped site found");
	CHECK(patch_sites_at(s, 0x10001000) >= 0, "site after the range lost");
	ok = 0;
	for (int i = 0; i < 300; i++)
		if (patch(s, 0x20000000 + 16 * (uint64_t)i, 7, STUB_PATCH_NR_IMM) >= 0)
			ok++;
	CHECK(ok == 256, "%d freed slots reused, want 256", ok);
	patch_sites_free(s);
}

static void test_unmap_move(void)
{
	struct patch_sites *s = patch_sites_new();
	int in, edge, out, slot;

	in = patch(s, 0x600100, 1, STUB_PATCH_NR_IMM);
	edge = patch(s, 0x600ffc, 2, STUB_PATCH_NR_IMM);	/* ends past 0x601000 */
	out = patch(s, 0x602000, 3, STUB_PATCH_NR_IMM);
	/* mremap 0x600000+0x1000 to 0x900000: what was kept moves */
	patch_sites_moved(s, 0x600000, 0x1000, 0x900000, 0x1000);
	CHECK(patch_sites_at(s, 0x600100) < 0, "moved site still at the old place");
	CHECK(patch_sites_at(s, 0x900100) == in && stands_for(s, in, 0x900100, 1),
	      "moved site not at the new place");
	CHECK(patch_sites_at(s, 0x600ffc) < 0 && patch_sites_at(s, 0x900ffc) < 0,
	      "a site half in the moved range survived");
	CHECK(!patch_sites_slot(s, (uint64_t)edge, &(uint64_t){ 0 }, &(int){ 0 }),
	      "the half-moved site's slot stands for something");
	CHECK(patch_sites_at(s, 0x602000) == out, "site outside the range lost");
	/* shrinking keeps only what fits */
	patch_sites_moved(s, 0x900000, 0x1000, 0xa00000, 0x100);
	CHECK(patch_sites_at(s, 0xa00100) < 0, "site past the new end kept");
	/* a mapping over a site drops it, one beside it stays */
	slot = patch(s, 0x700000, 4, STUB_PATCH_NR_RAX);
	patch_sites_unmapped(s, 0x6ff000, 0x1000);
	CHECK(patch_sites_at(s, 0x700000) == slot, "site beside the range lost");
	patch_sites_unmapped(s, 0x700006, 1);
	CHECK(patch_sites_at(s, 0x700000) < 0, "site touching the range kept");
	patch_sites_free(s);
}

static void test_fork_exec(void)
{
	struct patch_sites *s = patch_sites_new(), *c;
	int a, b;

	a = patch(s, 0x400010, 39, STUB_PATCH_NR_IMM);
	b = patch(s, 0x400020, 0, STUB_PATCH_NR_RAX);
	c = patch_sites_copy(s);
	CHECK(c && stands_for(c, a, 0x400010, 39) && stands_for(c, b, 0x400020, 0),
	      "the copy lacks a site");
	CHECK(c && patch_sites_at(c, 0x400020) == b, "the copy's hash");
	if (c) {
		patch_sites_clear(c);
		CHECK(!stands_for(c, a, 0x400010, 39), "exec kept a site");
		CHECK(stands_for(s, a, 0x400010, 39), "the child's exec changed the parent");
		CHECK(patch(c, 0x400010, 1, STUB_PATCH_NR_IMM) >= 0,
		      "a fresh image cannot patch");
		patch_sites_free(c);
	}
	/* an empty record copies too */
	c = patch_sites_new();
	patch_sites_free(patch_sites_copy(c));
	patch_sites_free(c);
	patch_sites_free(s);
}

int main(void)
{
	test_second_call();
	test_kinds_and_garbage();
	test_many();
	test_unmap_move();
	test_fork_exec();
	if (failures)
		return 1;
	printf("PASS\n");
	return 0;
}
