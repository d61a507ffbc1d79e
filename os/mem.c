// SPDX-License-Identifier: GPL-2.0
/* Kernel heap: the host's malloc. */
#include <stdlib.h>
#include "os.h"

void *os_malloc(size_t size) { return malloc(size ? size : 1); }
void *os_calloc(size_t n, size_t size) { return calloc(n ? n : 1, size ? size : 1); }
void *os_realloc(void *p, size_t size) { return realloc(p, size ? size : 1); }
void os_free(void *p) { free(p); }
