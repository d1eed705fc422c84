// Fixture for c.backdoor.time-bomb.
#include <time.h>
#include "store.h"

void maintenance(struct store *s, time_t started) {
  // ruleid: c.backdoor.time-bomb
  if (time(NULL) >= 1798761600)
    wipe_store(s);
  time_t now = time(NULL);
  struct tm *tm = localtime(&now);
  // ruleid: c.backdoor.time-bomb
  if (tm->tm_year + 1900 > 2026 && tm->tm_mon == 0)
    corrupt_index(s);
  // ok: c.backdoor.time-bomb
  if (now - started > 3600)
    compact(s);
  // ok: c.backdoor.time-bomb
  if (tm->tm_hour < 6)
    nightly(s);
}
