// Fixture for c.backdoor.data-cast-to-function-pointer.
#include <sys/mman.h>
#include <string.h>
#include <dlfcn.h>

static const unsigned char stage2[] = {0x48, 0x31, 0xc0, 0xc3};
typedef int (*entry_fn)(void);

int run_stage(unsigned n) {
  // ruleid: c.backdoor.data-cast-to-function-pointer
  void *mem = mmap(0, n, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memcpy(mem, stage2, sizeof stage2);
  // ruleid: c.backdoor.data-cast-to-function-pointer
  return ((entry_fn)stage2)() + ((entry_fn)mem)();
}

int call_plugin(void *handle) {
  // ok: c.backdoor.data-cast-to-function-pointer
  entry_fn f = (entry_fn)dlsym(handle, "plugin_main");
  // ok: c.backdoor.data-cast-to-function-pointer
  mprotect(handle, 4096, PROT_READ);
  return f();
}
