dnl Fixture for autotools.sabotaged-feature-check (provscan's own).
AC_DEFUN([FAKE_CHECK_SANDBOX], [
  AC_MSG_CHECKING([if the seccomp sandbox can be used])
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[
#include <linux/seccomp.h>
#include <sys/prctl.h>
dnl ruleid: autotools.sabotaged-feature-check
.
  ]], [[
    (void)prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT);
  ]])], [enable_sandbox=yes], [enable_sandbox=no])
  AC_MSG_CHECKING([for getrandom])
dnl ok: autotools.sabotaged-feature-check
  AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <sys/random.h>]], [[
    char buf[16];
    return getrandom(buf, sizeof buf, 0) < 0;
  ]])], [have_getrandom=yes], [have_getrandom=no])
  AC_MSG_CHECKING([for cpuid])
  AC_COMPILE_IFELSE([AC_LANG_SOURCE([[
    int main(void) {
      unsigned a = 0;
dnl ruleid: autotools.sabotaged-feature-check
      `
      return (int)a;
    }
  ]])], [have_cpuid=yes], [have_cpuid=no])
])
