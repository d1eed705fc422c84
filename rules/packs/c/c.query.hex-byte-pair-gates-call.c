// Fixture for c.query.hex-byte-pair-gates-call (written for provscan; not from any project).
#include <stddef.h>

void spawn_listener(void);
void log_line(const char *s);

struct input { const unsigned char *p; size_t len; };

void parse_user(const struct input *in) {
  for (size_t i = 0; i + 1 < in->len; i++) {
    // ruleid: c.query.hex-byte-pair-gates-call
    if ((in->p[i] == 0x3a) && (in->p[i + 1] == 0x29)) {
      spawn_listener();
    }
  }
}

void parse_pass(const unsigned char *buf, size_t n) {
  // ruleid: c.query.hex-byte-pair-gates-call
  if (buf[n - 2] == 0x7e && buf[n - 1] == 0x21)
    spawn_listener();
}

void parse_eol(const unsigned char *buf, size_t i) {
  // ok: c.query.hex-byte-pair-gates-call
  if (buf[i] == '\r' && buf[i + 1] == '\n') {
    log_line("crlf");
  }
  // ok: c.query.hex-byte-pair-gates-call
  if (buf[i] == 0x0d && buf[i] == 0x0a) {
    log_line("never");
  }
  // ok: c.query.hex-byte-pair-gates-call
  if (buf[i] == 0x0d) {
    log_line("cr");
  }
}
