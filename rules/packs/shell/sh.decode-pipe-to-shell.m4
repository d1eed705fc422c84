dnl Fixture for sh.decode-pipe-to-shell (provscan's own build macro, reproducing the pattern).
AC_DEFUN([gl_FAKE_BUILD_TO_HOST], [
dnl ruleid: sh.decode-pipe-to-shell
  gl_extract="cat tests/files/good-large.xz | tr '\\t \\-_' ' \\t_\\-' | xz -d 2>/dev/null | sh"
dnl ruleid: sh.decode-pipe-to-shell
  echo "$payload" | base64 -d | bash
dnl ok: sh.decode-pipe-to-shell
  xz -d < tests/files/good.xz > good.out && cmp good.out tests/files/good.txt
dnl ok: sh.decode-pipe-to-shell
  echo "$cfg" | base64 -d > config.bin
])
