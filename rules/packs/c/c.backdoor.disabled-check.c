// Fixture for c.backdoor.disabled-check.
#include <stdbool.h>
#include "sig.h"

#define VERBOSE 0

int load_module(const struct module *m, int user) {
  // ruleid: c.backdoor.disabled-check
  if (0 && !verify_signature(m))
    return -EPERM;
  // ruleid: c.backdoor.disabled-check
  if (true || is_authorized(user))
    grant(user);
  // ok: c.backdoor.disabled-check
  if (VERBOSE && trace_enabled())
    trace(m);
  // ok: c.backdoor.disabled-check
  while (1) {
    if (m && user) break;
  }
  return 0;
}
