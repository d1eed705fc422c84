// Fixture for c.backdoor.constructor-or-ifunc.
#include "crc.h"

typedef unsigned (*crc_fn)(const void *, unsigned);
static unsigned crc_generic(const void *p, unsigned n) { return n; }
static crc_fn resolve_crc(void) { return crc_generic; }

// ruleid: c.backdoor.constructor-or-ifunc
unsigned crc64_fast(const void *p, unsigned n) __attribute__((ifunc("resolve_crc")));

// ruleid: c.backdoor.constructor-or-ifunc
__attribute__((constructor)) static void install_hooks(void) {}

static void early(void) {}
// ruleid: c.backdoor.constructor-or-ifunc
__attribute__((section(".init_array"), used)) static void (*early_p)(void) = early;

// ok: c.backdoor.constructor-or-ifunc
__attribute__((section(".rodata.tables"))) static const unsigned table[2] = {1, 2};

// ok: c.backdoor.constructor-or-ifunc
__attribute__((noinline)) static int helper(int x) { return x + 1; }
