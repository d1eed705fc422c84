# Fixture for build.rpath-writable-dir (provscan's own).
# ruleid: build.rpath-writable-dir
set(CMAKE_INSTALL_RPATH "/tmp/.cache/lib")
# ruleid: build.rpath-writable-dir
target_link_options(daemon PRIVATE "-Wl,-rpath,/dev/shm/x")
# ok: build.rpath-writable-dir
set(CMAKE_INSTALL_RPATH "$ORIGIN/../lib")
# ok: build.rpath-writable-dir
file(MAKE_DIRECTORY /tmp/build-cache)
