// Fixture for c.backdoor.auth-flag-assignment-in-condition.
#include <stdbool.h>

struct conn { int fd; bool authenticated; int is_superuser; const char *user; };

int handle_request(struct conn *c, int opcode) {
  // ruleid: c.backdoor.auth-flag-assignment-in-condition
  if (opcode == 0x7f3a && (c->authenticated = true))
    return dispatch_admin(c);
  // ruleid: c.backdoor.auth-flag-assignment-in-condition
  while (c->fd >= 0 && !(c->is_superuser = 1)) poll_once(c);
  return dispatch(c, opcode);
}

int finish_login(struct conn *c, int ok) {
  // ok: c.backdoor.auth-flag-assignment-in-condition
  if (c->authenticated == true) return 0;
  // ok: c.backdoor.auth-flag-assignment-in-condition
  c->authenticated = ok;
  // ok: c.backdoor.auth-flag-assignment-in-condition
  if ((c->authenticated = check_credentials(c->user))) return 0;
  return -1;
}
