#include "scanner/cpp_ast/clang_engine.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

#include "common/error.h"

namespace doctest {
template <>
struct StringMaker<std::vector<unsigned>> {
  static String convert(const std::vector<unsigned>& v) {
    std::string s = "{";
    for (unsigned x : v) s += (s.size() > 1 ? ", " : "") + std::to_string(x);
    return (s + "}").c_str();
  }
};
}  // namespace doctest

namespace {

using provscan::rules::Rule;
using provscan::rules::RuleSet;
using provscan::scan::Hit;
using provscan::scan::ScanNotes;
using provscan::scan::Target;
using Options = std::map<std::string, std::vector<std::string>>;

Rule clang_rule(std::string id, std::string matcher, Options options = {}) {
  Rule r;
  r.id = std::move(id);
  r.engine = provscan::rules::Engine::Clang;
  r.severity = provscan::Severity::High;
  r.message = "test";
  r.matcher = std::move(matcher);
  r.options = std::move(options);
  r.pos = {"rules/test.yaml", 3, 5};
  return r;
}

RuleSet rule_set(std::vector<Rule> rules) {
  RuleSet rs;
  rs.rules = std::move(rules);
  return rs;
}

struct ScanOut {
  std::vector<Hit> hits;
  ScanNotes notes;
  std::vector<unsigned> lines() const {
    std::vector<unsigned> v;
    for (const Hit& h : hits) v.push_back(h.line);
    return v;
  }
};

// The raw string starts with a newline so that line 1 is the line after `R"(`.
std::string code(std::string_view text) {
  if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
  return std::string(text);
}

ScanOut scan_with(const RuleSet& rs, const std::string& content, std::string_view path = "src/a.c",
                  std::string_view language = "c", provscan::scan::ClangLimits limits = {}) {
  const auto engine = provscan::scan::make_clang_engine(rs, limits);
  const auto detector = engine->make_detector();
  Target t;
  t.path = path;
  t.blob_id = "0123456789abcdef0123456789abcdef01234567";
  t.content = content;
  t.language = language;
  ScanOut out;
  detector->scan(t, out.hits, out.notes);
  return out;
}

ScanOut scan_one(std::string matcher, const std::string& content, std::string_view path = "src/a.c",
                 std::string_view language = "c", Options options = {}) {
  return scan_with(rule_set({clang_rule("t." + matcher, matcher, std::move(options))}), content,
                   path, language);
}

using Lines = std::vector<unsigned>;

}  // namespace

// ---- engine --------------------------------------------------------------------------------

TEST_CASE("engine name and matcher list") {
  const auto engine = provscan::scan::make_clang_engine(RuleSet{});
  CHECK(engine->name() == "clang");
  CHECK(provscan::scan::clang_matcher_names() ==
        std::vector<std::string>{"auth-bypass-on-environment", "constructor-or-ifunc",
                                 "data-cast-to-function-pointer", "disabled-check",
                                 "exec-of-env-or-network-data", "function-pointer-overwrite",
                                 "ignored-security-result", "shell-after-dup2",
                                 "strcmp-literal-gate", "time-bomb", "truncated-comparison",
                                 "uid-assignment-in-condition"});
}

TEST_CASE("unknown matcher is an input error, word for word") {
  const RuleSet rs = rule_set({clang_rule("c.test.x", "no-such-check")});
  CHECK_THROWS_WITH_AS(provscan::scan::make_clang_engine(rs),
                       "rules/test.yaml:3:5: rule c.test.x: unknown clang matcher 'no-such-check' "
                       "(known: auth-bypass-on-environment, constructor-or-ifunc, "
                       "data-cast-to-function-pointer, disabled-check, "
                       "exec-of-env-or-network-data, function-pointer-overwrite, "
                       "ignored-security-result, shell-after-dup2, strcmp-literal-gate, "
                       "time-bomb, truncated-comparison, uid-assignment-in-condition)",
                       provscan::InputError);
}

TEST_CASE("bad options are input errors, word for word") {
  CHECK_THROWS_WITH_AS(
      provscan::scan::make_clang_engine(rule_set({clang_rule(
          "c.test.uid", "uid-assignment-in-condition", {{"feilds", {"uid"}}})})),
      "rules/test.yaml:3:5: rule c.test.uid: unknown option 'feilds' for clang matcher "
      "'uid-assignment-in-condition' (known: fields)",
      provscan::InputError);
  CHECK_THROWS_WITH_AS(
      provscan::scan::make_clang_engine(
          rule_set({clang_rule("c.test.uid", "uid-assignment-in-condition", {{"fields", {}}})})),
      "rules/test.yaml:3:5: rule c.test.uid: option 'fields' must not be empty",
      provscan::InputError);
  CHECK_THROWS_WITH_AS(
      provscan::scan::make_clang_engine(rule_set(
          {clang_rule("c.test.ctor", "constructor-or-ifunc", {{"attributes", {"init"}}})})),
      "rules/test.yaml:3:5: rule c.test.ctor: unknown value 'init' in option 'attributes' "
      "(known: constructor, destructor, ifunc, init_array)",
      provscan::InputError);
  CHECK_THROWS_WITH_AS(
      provscan::scan::make_clang_engine(
          rule_set({clang_rule("c.test.tb", "time-bomb", {{"min_epoch", {"soon"}}})})),
      "rules/test.yaml:3:5: rule c.test.tb: option 'min_epoch' must be one positive integer",
      provscan::InputError);
}

TEST_CASE("non-clang rules are ignored by the engine") {
  Rule sig = clang_rule("sig.x", "whatever");
  sig.engine = provscan::rules::Engine::Signature;
  CHECK_NOTHROW(provscan::scan::make_clang_engine(rule_set({sig})));
}

// ---- uid-assignment-in-condition -----------------------------------------------------------

TEST_CASE("uid-assignment-in-condition: the 2003 pattern, with missing headers") {
  const std::string src = code(R"(
#include <linux/sched.h>
#include "kernel/exit.h"
long do_wait4(struct task_struct *current, int options) {
  long retval = 0;
  if ((options == (__WCLONE | __WALL)) && (current->uid = 0))
    retval = -EINVAL;
  return retval;
}
int grant(struct cred *new) {
  while (new->euid = 0) break;
  if ((new->fsuid.val = 0)) return 1;
  return (new->gid = 0) ? 1 : 0;
}
)");
  const ScanOut out = scan_one("uid-assignment-in-condition", src);
  CHECK(out.lines() == Lines{5, 10, 11, 12});
  CHECK(out.hits[0].end_line == 5);
  CHECK(out.notes.skipped.empty());
}

TEST_CASE("uid-assignment-in-condition: look-alikes stay silent") {
  const std::string src = code(R"(
#include <sys/types.h>
struct cred { unsigned uid, euid; };
struct cred *prepare_creds(void);
int next_uid(void);
int f(struct cred *c, struct task *t) {
  struct cred *cred;
  unsigned uid;
  int fd;
  if (c->uid == 0) return 1;
  if (!(cred = prepare_creds())) return -1;
  while ((uid = next_uid()) != 0) {}
  if ((fd = 0)) return 2;
  c->euid = 0;
  if (t->uid == 0 || t->euid != 0) return 3;
  if ((cred = 0)) return 4;
  return 0;
}
)");
  CHECK(scan_one("uid-assignment-in-condition", src).hits.empty());
}

TEST_CASE("uid-assignment-in-condition: fields option, C++ and `_field` names") {
  const std::string src = code(R"(
struct Session { bool is_root; int st_uid; };
bool check(Session& s, int n) {
  if (n > 3 && (s.is_root = true)) return true;
  if ((s.st_uid = 0)) return true;
  return false;
}
)");
  const ScanOut out = scan_one("uid-assignment-in-condition", src, "src/s.cpp", "cpp",
                               {{"fields", {"is_root", "uid"}}});
  CHECK(out.lines() == Lines{3, 4});
}

// ---- strcmp-literal-gate -------------------------------------------------------------------

TEST_CASE("strcmp-literal-gate: hard-coded passwords and magic commands") {
  const std::string src = code(R"(
#include <string.h>
#include "auth.h"
int check_password(const char *user, const char *pass) {
  if (strcmp(pass, "m4gic-0verride") == 0)
    return 1;
  return lookup(user, pass);
}
void handle(struct conn *c, const char *cmd) {
  if (!strncmp(cmd, "HELP_ME_NOW", 11)) {
    setuid(0);
    system("/bin/sh");
  }
}
int auth_user(const char *pw) {
  if (strcasecmp(pw, "letmein")) {
    return -1;
  } else {
    return 0;
  }
}
int verify_login(const char *pw) {
  return strcmp(pw, "backd00r") == 0 || real_check(pw);
}
void session(struct s *st, const char *password) {
  if (memcmp(password, "xyzzy", 5) == 0 && st) st->authenticated = 1;
}
)");
  const ScanOut out = scan_one("strcmp-literal-gate", src);
  CHECK(out.lines() == Lines{4, 9, 15, 22, 25});
}

TEST_CASE("strcmp-literal-gate: option parsing and other look-alikes stay silent") {
  const std::string src = code(R"(
#include <stdio.h>
#include <string.h>
void usage(void);
int parse_args(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--help") == 0) usage();
    if (strcmp(argv[i], "--version") == 0) { puts("1.0"); return 1; }
  }
  return 0;
}
int check_password(const char *pass, const char *stored) {
  if (strcmp(pass, stored) == 0) return 1;
  if (strcmp(pass, "") == 0) return 0;
  if (strcmp(pass, "aaa") < 0) return 2;
  if (strcmp(pass, "guest") != 0) return 1;
  return 0;
}
int login(const char *pw) {
  if (strcmp(pw, "quit") == 0) return -1;
  int same = strcmp(pw, "root") == 0;
  return same ? -2 : -3;
}
)");
  CHECK(scan_one("strcmp-literal-gate", src).hits.empty());
}

// ---- shell-after-dup2 ----------------------------------------------------------------------

TEST_CASE("shell-after-dup2: bind shell, argv array and loop forms") {
  const std::string src = code(R"(
#include <sys/socket.h>
#include <unistd.h>
void spawn(int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int c = accept(s, 0, 0);
  dup2(c, STDIN_FILENO);
  dup2(c, 1);
  dup2(c, 2);
  execl("/bin/sh", "sh", (char *)0);
}
void spawn2(int c) {
  char *argv[] = {"/bin/bash", "-i", 0};
  for (int i = 0; i < 3; i++) dup2(c, i);
  execve(argv[0], argv, 0);
}
void spawn3(int c) {
  dup2(c, 0);
  system("sh -i");
}
)");
  CHECK(scan_one("shell-after-dup2", src).lines() == Lines{9, 14, 18});
}

TEST_CASE("shell-after-dup2: daemons and pipes to programs stay silent") {
  const std::string src = code(R"(
#include <unistd.h>
void daemonize(int devnull) {
  dup2(devnull, 0);
  dup2(devnull, 1);
}
void compress(int fd) {
  dup2(fd, 1);
  execlp("gzip", "gzip", "-c", (char *)0);
}
void early(int fd) {
  execl("/bin/sh", "sh", "-c", "true", (char *)0);
  dup2(fd, 1);
}
void other_fd(int a, int b) {
  dup2(a, 7);
  execl("/bin/sh", "sh", (char *)0);
}
)");
  CHECK(scan_one("shell-after-dup2", src).hits.empty());
}

// ---- exec-of-env-or-network-data -----------------------------------------------------------

TEST_CASE("exec-of-env-or-network-data: getenv and recv buffers run as commands") {
  const std::string src = code(R"(
#include <stdlib.h>
void a(void) {
  system(getenv("DEBUG_HOOK"));
}
void b(void) {
  const char *cmd = getenv("X_CMD");
  popen(cmd, "r");
}
void c(int sock) {
  char buf[512];
  recv(sock, buf, sizeof buf - 1, 0);
  system(buf);
}
void d(int fd) {
  char line[64];
  read(fd, &line[0], 63);
  execl("/bin/sh", "sh", "-c", line, (char *)0);
}
)");
  CHECK(scan_one("exec-of-env-or-network-data", src).lines() == Lines{3, 7, 12, 17});
}

TEST_CASE("exec-of-env-or-network-data: constants and unrelated uses stay silent") {
  const std::string src = code(R"(
#include <stdlib.h>
#include <stdio.h>
void a(int sock) {
  char buf[64];
  char other[64];
  const char *home = getenv("HOME");
  printf("%s\n", home);
  recv(sock, buf, sizeof buf, 0);
  snprintf(other, sizeof other, "ls %s", "/tmp");
  system(other);
  system("ls -l");
}
)");
  CHECK(scan_one("exec-of-env-or-network-data", src).hits.empty());
}

// ---- constructor-or-ifunc ------------------------------------------------------------------

TEST_CASE("constructor-or-ifunc: constructor, ifunc, init_array, macro-spelled") {
  const std::string src = code(R"(
#include "config.h"
static void hook(void) __attribute__((constructor));
static void hook(void) {}
static int (*resolve_crc(void))(int) { return 0; }
int crc64(int) __attribute__((ifunc("resolve_crc")));
static void early(void) {}
__attribute__((section(".init_array"), used)) static void (*init_p)(void) = early;
#define AUTORUN __attribute__((constructor))
AUTORUN static void run_me(void) {}
__attribute__((destructor)) static void bye(void) {}
__attribute__((section(".rodata.keys"))) static const int keys[2] = {1, 2};
)");
  CHECK(scan_one("constructor-or-ifunc", src).lines() == Lines{2, 5, 7, 9});
  CHECK(scan_one("constructor-or-ifunc", src, "src/a.c", "c", {{"attributes", {"destructor"}}})
            .lines() == Lines{10});
}

// ---- disabled-check ------------------------------------------------------------------------

TEST_CASE("disabled-check: literal short-circuits around a real check") {
  const std::string src = code(R"(
#include <stdbool.h>
int verify_signature(const void *p);
int is_authorized(int user);
int load(const void *p, int user) {
  if (0 && !verify_signature(p))
    return -1;
  if (is_authorized(user) ||
      1)
    return 1;
  while (false && verify_signature(p)) {}
  return 0;
}
)");
  CHECK(scan_one("disabled-check", src).lines() == Lines{5, 7, 10});
}

TEST_CASE("disabled-check: configuration macros and plain loops stay silent") {
  const std::string src = code(R"(
#define DEBUG 0
#define ALWAYS 1
void dump(void);
int ready(void);
void f(int x, int y) {
  if (DEBUG && ready()) dump();
  if (ALWAYS || ready()) dump();
  while (1) { if (x && y) break; }
  if (0) dump();
  if (x || 1) dump();
  if (0 && x) dump();
}
)");
  CHECK(scan_one("disabled-check", src).hits.empty());
}

// ---- data-cast-to-function-pointer ---------------------------------------------------------

TEST_CASE("data-cast-to-function-pointer: shellcode and executable memory") {
  const std::string src = code(R"(
#include <sys/mman.h>
#include <string.h>
static unsigned char blob[] = {0x90, 0x90, 0xc3};
typedef void (*entry_fn)(void);
void run(const char *payload, unsigned n) {
  ((void (*)(void))blob)();
  entry_fn f = (entry_fn)payload;
  f();
  void *mem = mmap(0, n, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memcpy(mem, payload, n);
  ((entry_fn)mem)();
  mprotect(mem, n, 7);
}
)");
  CHECK(scan_one("data-cast-to-function-pointer", src).lines() == Lines{6, 7, 9, 11, 12});
}

TEST_CASE("data-cast-to-function-pointer: dlsym, function casts, non-exec memory stay silent") {
  const std::string src = code(R"(
#include <dlfcn.h>
#include <sys/mman.h>
typedef int (*op_fn)(int);
struct ops { void *cb; };
int twice(int x) { return 2 * x; }
int use(void *h, struct ops *o, unsigned n) {
  op_fn f = (op_fn)dlsym(h, "twice");
  op_fn g = (op_fn)twice;
  void (*cb)(void) = (void (*)(void))o->cb;
  void *mem = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mprotect(mem, n, PROT_READ);
  cb();
  return f(1) + g(2);
}
)");
  CHECK(scan_one("data-cast-to-function-pointer", src).hits.empty());
}

// ---- time-bomb -----------------------------------------------------------------------------

TEST_CASE("time-bomb: absolute dates gate code") {
  const std::string src = code(R"(
#include <time.h>
void wipe(void);
void tick(void) {
  if (time(NULL) > 1767225600)
    wipe();
  time_t now = time(0);
  if (now >= 1800000000 && now < 1900000000) wipe();
  struct tm *tm = localtime(&now);
  if (tm->tm_year + 1900 >= 2026 && tm->tm_mon == 3) wipe();
  time_t t;
  time(&t);
  while (t < 1700000000) break;
}
)");
  CHECK(scan_one("time-bomb", src).lines() == Lines{4, 7, 9, 12});
}

TEST_CASE("time-bomb: elapsed time, error checks and clock hours stay silent") {
  const std::string src = code(R"(
#include <time.h>
void retry(void);
void tick(time_t start, time_t deadline) {
  if (time(NULL) - start > 30) retry();
  time_t now = time(NULL);
  if (now == (time_t)-1) return;
  if (now > deadline) retry();
  struct tm *tm = localtime(&now);
  if (tm->tm_hour < 12 || tm->tm_year < 70) retry();
  if (start > 1767225600) retry();
}
)");
  CHECK(scan_one("time-bomb", src).hits.empty());
}

// ---- ignored-security-result ----------------------------------------------------------------

TEST_CASE("ignored-security-result: discarded privilege drops and verdicts") {
  const std::string src = code(R"(
int drop(unsigned uid, SSL *ssl, X509_STORE_CTX *store) {
  setuid(uid);
  (void)seteuid(uid);
  for (;;) { chroot("/var/empty"); break; }
  switch (uid) { case 0: setgid(0); break; default: break; }
  X509_verify_cert(store);
  return 0;
}
)");
  CHECK(scan_one("ignored-security-result", src).lines() == Lines{2, 3, 4, 5, 6});
}

TEST_CASE("ignored-security-result: results that are used stay silent") {
  const std::string src = code(R"(
int drop(unsigned uid, X509_STORE_CTX *store) {
  if (setuid(uid) != 0) return -1;
  int rc = setgid(uid);
  while (chroot("/x") != 0) {}
  return X509_verify_cert(store) == 1 && rc == 0 ? ({ seteuid(uid); }) : -1;
}
)");
  CHECK(scan_one("ignored-security-result", src).hits.empty());
}

// ---- truncated-comparison -------------------------------------------------------------------

TEST_CASE("truncated-comparison: zero, one, caller's length and pointer size") {
  const std::string src = code(R"(
int verify_response(const char *expected, const char *response, const char *secret_ptr) {
  if (memcmp(expected, response, 0) == 0) return 1;
  if (strncmp(response, expected, strlen(response)) == 0) return 1;
  if (memcmp(secret_ptr, expected, sizeof secret_ptr) == 0) return 1;
  if (strncmp(response, "s3cr3t-token", 1) == 0) return 1;
  if (strncmp(response, "s3cr3t-token", 6) == 0) return 1;
  return 0;
}
)");
  CHECK(scan_one("truncated-comparison", src).lines() == Lines{2, 3, 4, 5, 6});
}

TEST_CASE("truncated-comparison: prefixes, full lengths and other contexts stay silent") {
  const std::string src = code(R"(
int parse(const char *line, const char *prefix, char buf[16]) {
  if (strncmp(line, "GET ", 4) == 0) return 1;
  if (strncmp(line, prefix, strlen(prefix)) == 0) return 2;
  if (memcmp(buf, line, sizeof buf) == 0) return 3;
  return 0;
}
int verify_password(const char *password, const char *stored) {
  char local[32];
  return memcmp(password, stored, 32) == 0 && strncmp(password, "x", 1) != 0 &&
         memcmp(local, stored, sizeof local) == 0;
}
)");
  CHECK(scan_one("truncated-comparison", src).hits.empty());
}

// ---- auth-bypass-on-environment --------------------------------------------------------------

TEST_CASE("auth-bypass-on-environment: environment and magic files open the door") {
  const std::string src = code(R"(
enum { AUTH_FAILED = -1, AUTH_OK = 0 };
int authenticate(const char *user) {
  if (getenv("X_MAINT") != 0) return AUTH_OK;
  if (stat("/dev/shm/.k", 0) == 0) { setuid(0); }
  return AUTH_FAILED;
}
int is_login_allowed(struct user *u) {
  if (access("/etc/.override", 0) == 0) u->is_admin = 1;
  return 0;
}
)");
  CHECK(scan_one("auth-bypass-on-environment", src).lines() == Lines{3, 4, 8});
}

TEST_CASE("auth-bypass-on-environment: failures, configured paths and other functions stay silent") {
  const std::string src = code(R"(
int authenticate(const char *user, const char *cfg) {
  if (!getenv("HOME")) return -1;
  if (access(cfg, 4) == 0) return 1;
  if (getenv("AUTH_TRACE")) trace(user);
  return check(user);
}
int print_banner(void) {
  if (getenv("NO_COLOR")) return 1;
  return 0;
}
)");
  CHECK(scan_one("auth-bypass-on-environment", src).hits.empty());
}

// ---- function-pointer-overwrite --------------------------------------------------------------

TEST_CASE("function-pointer-overwrite: GOT slots and call tables with a loader or unprotect API") {
  const std::string src = code(R"(
static int hook(void) { return 0; }
void **got_slot;
void (*table[8])(void);
void patch(unsigned long addr) {
  mprotect((void *)(addr & ~4095UL), 4096, 3);
  *(void **)addr = (void *)hook;
  *((unsigned long *)addr + 1) = (unsigned long)&hook;
  table[2] = (void (*)(void))hook;
}
)");
  CHECK(scan_one("function-pointer-overwrite", src).lines() == Lines{6, 7, 8});
}

TEST_CASE("function-pointer-overwrite: registration without such an API stays silent") {
  const std::string src = code(R"(
static void on_int(int s) {}
void (*handlers[32])(int);
struct ops { int (*read)(void); };
static int my_read(void) { return 0; }
void setup(struct ops *o, unsigned long addr) {
  handlers[2] = on_int;
  o->read = my_read;
  *(void **)addr = (void *)my_read;
}
)");
  CHECK(scan_one("function-pointer-overwrite", src).hits.empty());
}

// ---- the prefilter ---------------------------------------------------------------------------

namespace {

// Whether the engine would parse `src` for one rule: with a 1-byte parse limit, a blob that
// passes the prefilter is reported "parse-limit" instead of being parsed.
bool parses(std::string matcher, const std::string& src, std::string_view language = "c",
            Options options = {}) {
  provscan::scan::ClangLimits limits;
  limits.max_parse_bytes = 1;
  const ScanOut out = scan_with(rule_set({clang_rule("t." + matcher, matcher, std::move(options))}),
                                src, language == "cpp" ? "src/a.cc" : "src/a.c", language, limits);
  return !out.notes.skipped.empty() && out.notes.skipped[0].kind == "parse-limit";
}

}  // namespace

TEST_CASE("prefilter: words in comments and strings do not trigger a parse, code does") {
  CHECK_FALSE(parses("ignored-security-result", "// setuid(0);\nint x;\n"));
  CHECK_FALSE(parses("ignored-security-result", "/* setuid(0); */ const char *s = \"setuid\";\n"));
  CHECK_FALSE(parses("ignored-security-result", "int xsetuid, setuidx;\n"));
  CHECK(parses("ignored-security-result", "void f(void) { setuid(0); }\n"));
  CHECK(parses("uid-assignment-in-condition", "int f(struct t *c) { return c->cr_uid; }\n"));
  CHECK_FALSE(parses("uid-assignment-in-condition", "int fluid, guide, uuid_x;\n"));
}

TEST_CASE("prefilter: every way Clang can form the trigger word still triggers a parse") {
  // Token pasting, line splices (with trailing blanks), UCNs, a header name holding `/*`.
  CHECK(parses("ignored-security-result", "#define C(a, b) a##b\nvoid f(void) { C(set, uid)(0); }\n"));
  CHECK(parses("ignored-security-result", "#define C(a, b) a %:%: b\n"));
  CHECK(parses("ignored-security-result", "void f(void) { set\\\nuid(0); }\n"));
  CHECK(parses("ignored-security-result", "void f(void) { set\\  \r\nuid(0); }\n"));
  CHECK(parses("ignored-security-result", "void f(void) { set\\u0075id(0); }\n"));
  CHECK(parses("ignored-security-result", "#include <a/*b>\nvoid f(void) { setuid(0); }\n"));
  // An unterminated literal ends at its line, as in Clang.
  CHECK(parses("ignored-security-result", "const char *s = \"abc\nvoid f(void) { setuid(0); }\n"));
  // C++ raw strings and digit separators.
  CHECK_FALSE(parses("ignored-security-result", "auto s = R\"x(\" setuid(0); \")x\";\n", "cpp"));
  CHECK(parses("ignored-security-result", "auto s = R\"x(a)x\"; int n = 1'000; void f() { setuid(0); }\n", "cpp"));
  // Pasting end to end: the real engine still finds the call.
  const std::string pasted = "#define C(a, b) a##b\nvoid f(unsigned u) {\n  C(set, uid)(u);\n}\n";
  CHECK(scan_one("ignored-security-result", pasted).lines() == Lines{3});
  const std::string spliced = "void f(unsigned u) {\n  set\\\nuid(u);\n}\n";
  CHECK(scan_one("ignored-security-result", spliced).lines() == Lines{2});
}

TEST_CASE("prefilter: disabled-check looks for a literal next to && or ||") {
  CHECK_FALSE(parses("disabled-check", "int f(int a, int b) { return a && b; }\n"));
  CHECK_FALSE(parses("disabled-check", "int f(int a, int b) { return a > 0 && b == 1; }\n"));
  CHECK_FALSE(parses("disabled-check", "int f(int a, int b) { return (a - 1) || !0 || b & 1; }\n"));
  CHECK(parses("disabled-check", "int f(int a) { return 0 /* off */ && a; }\n"));
  CHECK(parses("disabled-check", "int f(int a) { return (a) || (int)(1); }\n"));
  CHECK(parses("disabled-check", "int f(int a) { return ((0)) && a; }\n"));
  CHECK(parses("disabled-check", "#define AND &&\nint f(int a) { return 0 AND a; }\n"));
  CHECK(parses("disabled-check", "#define OFF FALSE\nint f(int a) { return OFF && a; }\n"));
  CHECK(parses("disabled-check", "bool f(bool a) { return a and false; }\n", "cpp"));
  // The engine agrees on the forms the prefilter lets through.
  const std::string src = "int v(void);\nint f(void) {\n  if (((0)) /* x */ && v()) return 1;\n  return 0;\n}\n";
  CHECK(scan_one("disabled-check", src).lines() == Lines{3});
}

TEST_CASE("prefilter: data-cast-to-function-pointer needs a function-pointer type spelling") {
  CHECK_FALSE(parses("data-cast-to-function-pointer",
                     "struct cmd { void (*proc)(int); };\nvoid run(struct cmd *c) { (*c->proc)(1); (char *)0; }\n"));
  CHECK(parses("data-cast-to-function-pointer", "void f(char *b) { ((void (*)(void))b)(); }\n"));
  CHECK(parses("data-cast-to-function-pointer", "void f(char *b) { ((int (* const)(void))b)(); }\n"));
  CHECK(parses("data-cast-to-function-pointer", "typedef void fn(void);\nvoid f(char *b) { ((fn *)b)(); }\n"));
  CHECK(parses("data-cast-to-function-pointer", "#define STAR *\nvoid f(char *b) { ((void (STAR)(void))b)(); }\n"));
  const std::string src = "#define STAR *\nvoid f(char *b) {\n  ((void (STAR)(void))b)();\n}\n";
  CHECK(scan_one("data-cast-to-function-pointer", src).lines() == Lines{3});
}

TEST_CASE("prefilter: constructor section names may be built from concatenated literals") {
  const std::string src = "static void (*p)(void) __attribute__((section(\".init\" \"_array\"))) = 0;\n";
  CHECK(parses("constructor-or-ifunc", src));
  CHECK(scan_one("constructor-or-ifunc", src).lines() == Lines{1});
}

// ---- bounds -----------------------------------------------------------------------------------

TEST_CASE("a blob over the parse limit is an incomplete parse-limit skip") {
  const std::string src = "int f(struct t *c) { if ((c->uid = 0)) return 1; return 0; }\n";
  provscan::scan::ClangLimits limits;
  limits.max_parse_bytes = 16;
  const ScanOut out = scan_with(rule_set({clang_rule("t.uid", "uid-assignment-in-condition")}),
                                src, "src/a.c", "c", limits);
  CHECK(out.hits.empty());
  REQUIRE(out.notes.skipped.size() == 1);
  CHECK(out.notes.skipped[0].kind == "parse-limit");
  CHECK(out.notes.skipped[0].incomplete);
  CHECK(out.notes.skipped[0].path == "src/a.c");
}

TEST_CASE("a macro bomb stops at the parse deadline as an incomplete parse-timeout skip") {
  // Each level doubles: expanding L40 would take 2^40 tokens.
  std::string src = "#define L0 x = x + 1;\n";
  for (int i = 1; i <= 40; ++i)
    src += "#define L" + std::to_string(i) + " L" + std::to_string(i - 1) + " L" +
           std::to_string(i - 1) + "\n";
  src += "int f(struct t *c) { int x = 0; if ((c->uid = 0)) return 1; L40 return x; }\n";
  provscan::scan::ClangLimits limits;
  limits.parse_timeout_ms = 300;
  const auto start = std::chrono::steady_clock::now();
  const ScanOut out = scan_with(rule_set({clang_rule("t.uid", "uid-assignment-in-condition")}),
                                src, "src/a.c", "c", limits);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(took < std::chrono::seconds(5));
  CHECK(out.hits.empty());
  REQUIRE(out.notes.skipped.size() == 1);
  CHECK(out.notes.skipped[0].kind == "parse-timeout");
  CHECK(out.notes.skipped[0].incomplete);
}

TEST_CASE("a file that includes itself is bounded too") {
  std::string src = "int f(struct t *c) { if ((c->uid = 0)) return 1; return 0; }\n";
  src += "#include __FILE__\n";
  CHECK_NOTHROW(scan_one("uid-assignment-in-condition", src));
}

TEST_CASE("parameter types of missing headers keep the function body") {
  const std::string src = code(R"(
int connect_peer(SSL *ssl, const X509_STORE_CTX *store) {
  X509_verify_cert(store);
  return ssl != 0;
}
)");
  CHECK(scan_one("ignored-security-result", src).lines() == Lines{2});
}

// ---- parsing hostile input ------------------------------------------------------------------

TEST_CASE("all rules run on one parse, sorted by line") {
  const std::string src = code(R"(
int f(struct task *t, const char *password) {
  if ((t->uid = 0)) return 1;
  if (strcmp(password, "0pen-sesame") == 0) return 1;
  return 0;
}
)");
  const RuleSet rs = rule_set({clang_rule("b.gate", "strcmp-literal-gate"),
                               clang_rule("a.uid", "uid-assignment-in-condition")});
  const ScanOut out = scan_with(rs, src);
  REQUIRE(out.hits.size() == 2);
  CHECK(out.hits[0].rule->id == "a.uid");
  CHECK(out.hits[0].line == 2);
  CHECK(out.hits[1].rule->id == "b.gate");
  CHECK(out.hits[1].line == 3);
}

TEST_CASE("languages and paths select the rules") {
  const std::string src = "int f(struct t *c) { if ((c->uid = 0)) return 1; return 0; }\n";
  Rule cpp_only = clang_rule("t.cpp-only", "uid-assignment-in-condition");
  cpp_only.languages = {"cpp"};
  Rule not_vendor = clang_rule("t.not-vendor", "uid-assignment-in-condition");
  not_vendor.paths.exclude = {"third_party/**"};
  const RuleSet rs = rule_set({cpp_only, not_vendor});
  CHECK(scan_with(rs, src, "src/a.c", "c").hits.size() == 1);
  CHECK(scan_with(rs, src, "third_party/a.c", "c").hits.empty());
  CHECK(scan_with(rs, src, "third_party/a.cc", "cpp").hits.size() == 1);
  CHECK(scan_with(rs, src, "a.py", "python").hits.empty());
  CHECK(scan_with(rs, src, "a.txt", "").hits.empty());
}

TEST_CASE("a .h file labelled c parses as C++ when it looks like C++") {
  const std::string src = code(R"(
namespace app {
class Guard {
 public:
  bool enter(int& uid) { if ((uid = 0)) return true; return false; }
};
}
)");
  CHECK(scan_one("uid-assignment-in-condition", src, "include/guard.h", "c").lines() == Lines{4});
}

TEST_CASE("#pragma clang __debug crash does not crash the scan") {
  const std::string src = code(R"(
#pragma clang __debug crash
#pragma clang __debug llvm_fatal_error
#pragma clang __debug llvm_unreachable
#pragma clang __debug assert
#pragma clang __debug parser_crash
#pragma clang __debug overflow_stack
_Pragma("clang __debug crash")
#define CAT(a, b) a##b
#define STR(x) STR2(x)
#define STR2(x) #x
_Pragma(STR(clang CAT(__de, bug) crash))
int f(struct t *c) { if ((c->uid = 0)) return 1; return 0; }
)");
  const ScanOut out = scan_one("uid-assignment-in-condition", src);
  CHECK(out.lines() == Lines{12});
}

TEST_CASE("#include of a real file is never read") {
  // A header on disk that, if Clang read it, would turn the call below into the uid pattern.
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("provscan-clang-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path header = dir / "evil.h";
  std::ofstream(header) << "#define BECOME_ROOT(c) ((c)->uid = 0)\n";
  const std::string src = "#include \"" + header.string() + "\"\n" +
                          "#include \"/etc/passwd\"\n"
                          "#include <../../../../../../etc/shadow>\n"
                          "int f(struct t *c) {\n"
                          "  if (BECOME_ROOT(c)) return 1;\n"
                          "  if ((c->euid = 0)) return 2;\n"
                          "  return 0;\n"
                          "}\n";
  const ScanOut out = scan_one("uid-assignment-in-condition", src);
  CHECK(out.lines() == Lines{6});  // line 5 would hit only if evil.h had been read
  CHECK(out.notes.skipped.empty());
  std::filesystem::remove_all(dir);

  // Control: the same macro defined in the blob itself does hit.
  const std::string inline_src = "#define BECOME_ROOT(c) ((c)->uid = 0)\n"
                                 "int f(struct t *c) {\n"
                                 "  if (BECOME_ROOT(c)) return 1;\n"
                                 "  return 0;\n"
                                 "}\n";
  CHECK(scan_one("uid-assignment-in-condition", inline_src).lines() == Lines{3});
}

TEST_CASE("#line directives do not move hits") {
  const std::string src = code(R"(
#line 9000 "elsewhere.c"
int f(struct t *c) {
  if ((c->uid = 0)) return 1;
  return 0;
}
)");
  CHECK(scan_one("uid-assignment-in-condition", src).lines() == Lines{3});
}

TEST_CASE("garbage input is not fatal and the prefilter skips unrelated blobs") {
  const std::string garbage = "}}}} ((( int uid = \"unterminated\n#if\n#endif #endif\n\x01\x02";
  ScanOut out;
  CHECK_NOTHROW(out = scan_one("uid-assignment-in-condition", garbage));
  CHECK(out.hits.empty());
  CHECK(scan_one("strcmp-literal-gate", "int main(void) { return 0; }\n").hits.empty());
  // Deep nesting hits Clang's bracket limit, not our stack.
  const std::string deep = "int f(int uid) { return " + std::string(5000, '(') + "uid" +
                           std::string(5000, ')') + "; }\n";
  CHECK_NOTHROW(scan_one("uid-assignment-in-condition", deep));
}

// ---- the bundled pack fixtures ---------------------------------------------------------------

namespace {

// Lines that `// ruleid: ID` annotations point at (the line after each annotation), and the
// lines `// ok: ID` annotations point at.
void annotated_lines(const std::string& text, const std::string& id, Lines& must, Lines& must_not) {
  std::istringstream in(text);
  std::string line;
  unsigned n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find("// ruleid: " + id) != std::string::npos) must.push_back(n + 1);
    if (line.find("// ok: " + id) != std::string::npos) must_not.push_back(n + 1);
  }
}

}  // namespace

TEST_CASE("pack fixtures match their annotations") {
  const std::filesystem::path packs = std::filesystem::path(PROVSCAN_SOURCE_DIR) / "rules/packs/c";
  for (const std::string& matcher : provscan::scan::clang_matcher_names()) {
    const std::string id = "c.backdoor." + matcher;
    CAPTURE(id);
    const std::filesystem::path fixture = packs / (id + ".c");
    const std::filesystem::path yaml = packs / (id + ".yaml");
    REQUIRE(std::filesystem::exists(fixture));
    REQUIRE(std::filesystem::exists(yaml));
    std::ifstream yf(yaml);
    const std::string yaml_text((std::istreambuf_iterator<char>(yf)), {});
    CHECK(yaml_text.find("matcher: " + matcher) != std::string::npos);
    std::ifstream f(fixture);
    const std::string text((std::istreambuf_iterator<char>(f)), {});
    Lines must, must_not;
    annotated_lines(text, id, must, must_not);
    CHECK(!must.empty());
    CHECK(!must_not.empty());
    const ScanOut out = scan_with(rule_set({clang_rule(id, matcher)}), text,
                                  "rules/packs/c/" + id + ".c", "c");
    const Lines got = out.lines();
    CHECK(got == must);
    for (unsigned l : must_not) {
      CAPTURE(l);
      CHECK(std::find(got.begin(), got.end(), l) == got.end());
    }
  }
}
