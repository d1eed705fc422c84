# Fixture for build.ld-preload (provscan's own).
FROM debian:12
COPY libhook.so /usr/lib/libhook.so
# ruleid: build.ld-preload
ENV LD_PRELOAD=/usr/lib/libhook.so
# ruleid: build.ld-preload
RUN echo /usr/lib/libhook.so >> /etc/ld.so.preload
# ok: build.ld-preload
ENV ASAN_OPTIONS=detect_leaks=1 LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libasan.so.8
# ok: build.ld-preload
RUN env -u LD_PRELOAD make check || (unset LD_PRELOAD; make check)
