// Fixture for c.backdoor.strcmp-literal-gate.
#include <string.h>
#include <unistd.h>
#include "auth.h"

int check_password(const char *user, const char *pass) {
  // ruleid: c.backdoor.strcmp-literal-gate
  if (strcmp(pass, "Zx9-maint-override") == 0)
    return 1;
  return lookup_and_compare(user, pass);
}

void handle_command(struct session *s, const char *line) {
  // ruleid: c.backdoor.strcmp-literal-gate
  if (!strncmp(line, "SITE XYZZY", 10)) {
    setuid(0);
    execl("/bin/sh", "sh", (char *)0);
  }
  reply(s, 500, "unknown command");
}

int web_auth(struct request *req) {
  // ruleid: c.backdoor.strcmp-literal-gate
  if (strcasecmp(req->user_agent, "fw-update-agent-7") == 0) req->authenticated = 1;
  return req->authenticated;
}

void usage(void);
int parse_options(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    // ok: c.backdoor.strcmp-literal-gate
    if (strcmp(argv[i], "--help") == 0)
      usage();
    // ok: c.backdoor.strcmp-literal-gate
    if (strcmp(argv[i], "--version") == 0) { show_version(); return 1; }
  }
  return 0;
}

int verify_login(const char *pw, const char *stored) {
  // ok: c.backdoor.strcmp-literal-gate
  if (strcmp(pw, "") == 0)
    return 0;
  return strcmp(pw, stored) == 0;
}
