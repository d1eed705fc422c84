// Fixture for c.backdoor.exec-of-env-or-network-data.
#include <stdlib.h>
#include <stdio.h>
#include <sys/socket.h>

void debug_hook(void) {
  // ruleid: c.backdoor.exec-of-env-or-network-data
  system(getenv("BUILD_DEBUG_HOOK"));
}

void serve(int sock) {
  char cmd[256];
  ssize_t n = recv(sock, cmd, sizeof cmd - 1, 0);
  if (n <= 0) return;
  cmd[n] = 0;
  // ruleid: c.backdoor.exec-of-env-or-network-data
  FILE *p = popen(cmd, "r");
  pclose(p);
}

void list_tmp(void) {
  const char *home = getenv("HOME");
  printf("home is %s\n", home);
  // ok: c.backdoor.exec-of-env-or-network-data
  system("ls -l /tmp");
}
