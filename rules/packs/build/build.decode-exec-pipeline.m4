dnl Fixture for build.decode-exec-pipeline (provscan's own macro reproducing the pattern).
AC_DEFUN([gl_FAKE_HOST_PATHS], [
  gl_path_map='tr "\t \-_" " \t_\-"'
dnl ruleid: build.decode-exec-pipeline
  gl_config='sed "r\n" $gl_am_configmake | eval $gl_path_map | $gl_localedir_prefix -d 2>/dev/null'
dnl ruleid: build.decode-exec-pipeline
  eval "$(echo "$gl_blob" | base64 -d)"
dnl ruleid: build.decode-exec-pipeline
  printf '\x65\x63\x68\x6f' | sh
dnl ok: build.decode-exec-pipeline
  echo "$cert" | base64 -d > "$srcdir/cert.der"
dnl ok: build.decode-exec-pipeline
  eval "$(pkg-config --variable=prefix glib-2.0 | sed 's/^/prefix=/')"
dnl ok: build.decode-exec-pipeline
  xz -dc doc/manual.txt.xz | less
])
