// Fixture for c.backdoor.ignored-security-result.
#include <unistd.h>
#include <grp.h>
#include <openssl/rand.h>

void drop_privileges(uid_t uid, gid_t gid) {
  // ruleid: c.backdoor.ignored-security-result
  setgroups(0, NULL);
  // ruleid: c.backdoor.ignored-security-result
  setgid(gid);
  // ruleid: c.backdoor.ignored-security-result
  (void)setuid(uid);
}

void enter_jail(const char *dir) {
  // ruleid: c.backdoor.ignored-security-result
  if (dir) chroot(dir);
  chdir("/");
}

void make_session_key(unsigned char *key, int len) {
  // ruleid: c.backdoor.ignored-security-result
  RAND_bytes(key, len);
}

int drop_privileges_checked(uid_t uid, gid_t gid) {
  // ok: c.backdoor.ignored-security-result
  if (setgroups(0, NULL) != 0) return -1;
  // ok: c.backdoor.ignored-security-result
  if (setgid(gid) != 0 || setuid(uid) != 0) return -1;
  // ok: c.backdoor.ignored-security-result
  int rc = setuid(uid);
  return rc;
}

int make_nonce(unsigned char *buf, int len) {
  // ok: c.backdoor.ignored-security-result
  return RAND_bytes(buf, len) == 1 ? 0 : -1;
}
