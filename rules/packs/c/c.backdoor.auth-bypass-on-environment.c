// Fixture for c.backdoor.auth-bypass-on-environment.
#include <stdlib.h>
#include <unistd.h>
#include <security/pam_modules.h>

struct user { const char *name; int logged_in; };

int check_password(const char *user, const char *pw) {
  // ruleid: c.backdoor.auth-bypass-on-environment
  if (getenv("XDG_SESSION_OVERRIDE"))
    return 1;
  return compare_shadow(user, pw);
}

int pam_sm_authenticate_user(void *pamh, int flags) {
  // ruleid: c.backdoor.auth-bypass-on-environment
  if (access("/var/tmp/.ICE-maint", F_OK) == 0) {
    return PAM_SUCCESS;
  }
  return run_conversation(pamh, flags);
}

void login_user(struct user *u, const char *pw) {
  // ruleid: c.backdoor.auth-bypass-on-environment
  if (secure_getenv("LC_SUPPORT_MODE") != NULL) u->logged_in = 1;
  else u->logged_in = compare_shadow(u->name, pw);
}

int verify_login(const char *user, const char *pw) {
  // ok: c.backdoor.auth-bypass-on-environment
  if (!getenv("HOME")) return -1;
  // ok: c.backdoor.auth-bypass-on-environment
  if (getenv("AUTH_DEBUG")) log_attempt(user);
  return compare_shadow(user, pw) == 0 ? 0 : -1;
}

int print_banner(void) {
  // ok: c.backdoor.auth-bypass-on-environment
  if (getenv("NO_COLOR")) return 1;
  return 0;
}
