// Fixture for c.backdoor.function-pointer-overwrite.
#include <stdint.h>
#include <sys/mman.h>
#include <link.h>

static int hooked_decrypt(int flen, const unsigned char *from, unsigned char *to) {
  return flen;
}

void patch_slot(uintptr_t slot) {
  void *page = (void *)(slot & ~(uintptr_t)4095);
  mprotect(page, 4096, PROT_READ | PROT_WRITE);
  // ruleid: c.backdoor.function-pointer-overwrite
  *(void **)slot = (void *)hooked_decrypt;
  // ruleid: c.backdoor.function-pointer-overwrite
  ((uintptr_t *)page)[3] = (uintptr_t)&hooked_decrypt;
}

unsigned long *sys_call_table;
static long hooked_kill(int pid, int sig) { return 0; }

void install(void) {
  write_cr0(read_cr0() & ~0x10000UL);
  // ruleid: c.backdoor.function-pointer-overwrite
  sys_call_table[62] = (unsigned long)hooked_kill;
  write_cr0(read_cr0() | 0x10000UL);
}

struct file_ops { int (*read)(int, char *, int); };
static int my_read(int fd, char *buf, int n) { return 0; }
static void on_term(int sig) {}

void register_ops(struct file_ops *ops) {
  void (*handlers[32])(int) = {0};
  // ok: c.backdoor.function-pointer-overwrite
  ops->read = my_read;
  // ok: c.backdoor.function-pointer-overwrite
  handlers[15] = on_term;
  install_handlers(handlers);
  // ok: c.backdoor.function-pointer-overwrite
  sys_call_table[0] = 0;
}
