// Fixture for c.backdoor.dlopen-of-env-or-network-data.
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>

void load_plugin_override(void) {
  // ruleid: c.backdoor.dlopen-of-env-or-network-data
  void *h = dlopen(getenv("APP_DIAG_MODULE"), RTLD_NOW);
  if (h) ((void (*)(void))dlsym(h, "diag_init"))();
}

void remote_module(int sock) {
  char path[512];
  ssize_t n = read(sock, path, sizeof path - 1);
  if (n <= 0) return;
  path[n] = 0;
  // ruleid: c.backdoor.dlopen-of-env-or-network-data
  dlopen(path, RTLD_LAZY);
}

void *load_codec(const char *name) {
  const char *dir = getenv("CODEC_DEBUG");
  if (dir) fprintf(stderr, "codec dir %s\n", dir);
  // ok: c.backdoor.dlopen-of-env-or-network-data
  return dlopen("/usr/lib/app/codecs/libopus-codec.so", RTLD_NOW);
}
