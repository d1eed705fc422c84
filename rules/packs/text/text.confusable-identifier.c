/* Fixture for text.confusable-identifier (provscan's own). */
#include <string.h>
int exec_allowed = 0;
int check(const char *user) {
  /* ruleid: text.confusable-identifier */
  int ехес = 1;
  /* ok: text.confusable-identifier */
  const char *msg = "ошибка сор";
  /* ok: text.confusable-identifier */
  return strcmp(user, "root") == 0 && exec_allowed;
}
