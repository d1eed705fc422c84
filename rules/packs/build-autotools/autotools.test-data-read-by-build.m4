dnl Fixture for autotools.test-data-read-by-build (provscan's own).
AC_DEFUN([gl_FAKE_PREPARE], [
dnl ruleid: autotools.test-data-read-by-build
  gl_am_configmake=`grep -aErls "#{4}[[:alnum:]]{5}#{4}$" $srcdir/ 2>/dev/null`
dnl ruleid: autotools.test-data-read-by-build
  xz -dc $srcdir/tests/files/good-large_compressed.lzma | head -c 1024 > conftest.o
dnl ruleid: autotools.test-data-read-by-build
  cat "$srcdir/tests/files/bad-3-corrupt_lzma2.xz" | tr "\t \-_" " \t_\-" > conftest.sh
dnl ok: autotools.test-data-read-by-build
  AC_CONFIG_FILES([tests/Makefile tests/files/Makefile])
dnl ok: autotools.test-data-read-by-build
  grep -r "HAVE_CONFIG_H" $srcdir/src >/dev/null 2>&1
])
