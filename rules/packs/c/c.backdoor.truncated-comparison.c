// Fixture for c.backdoor.truncated-comparison.
#include <string.h>

struct session { char user[64]; char digest[33]; int admin; };

int check_digest(struct session *s, const char *expected, const char *response) {
  // ruleid: c.backdoor.truncated-comparison
  if (strncmp(expected, response, strlen(response)) == 0) return 1;
  return 0;
}

int verify_token(const unsigned char *token, const unsigned char *stored) {
  // ruleid: c.backdoor.truncated-comparison
  return memcmp(token, stored, sizeof(token)) == 0;
}

int maint_login(const char *password) {
  // ruleid: c.backdoor.truncated-comparison
  if (strncmp(password, "fieldservice-2291", 3) == 0) return 1;
  return 0;
}

int compare_blocks(const void *a, const void *b) {
  // ruleid: c.backdoor.truncated-comparison
  return memcmp(a, b, 0);
}

int parse_method(const char *line) {
  // ok: c.backdoor.truncated-comparison
  if (strncmp(line, "GET ", 4) == 0) return 1;
  // ok: c.backdoor.truncated-comparison
  if (strncmp(line, "-", 1) == 0) return 2;
  return 0;
}

int has_prefix(const char *s, const char *prefix) {
  // ok: c.backdoor.truncated-comparison
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

int check_password(const char *password, const char *stored, size_t stored_len) {
  // ok: c.backdoor.truncated-comparison
  return strlen(password) == stored_len && memcmp(password, stored, stored_len) == 0;
}
