#pragma once
// The build checks: free functions over one BuildFile, each appending line-precise hits. The
// engine (build_engine.cpp) only picks the file kinds and wires options to them. Every check is
// a handful of linear scans with std::string_view::find: no regex engine, no backtracking.
#include <cstdint>
#include <string>
#include <vector>

#include "scanner/build/build_file.h"

namespace provscan::scan::build {

struct BuildHit {
  std::uint32_t line = 0, end_line = 0;
  std::string detail;
};
using Hits = std::vector<BuildHit>;

// fetch-pipe-to-shell: a download (curl, wget, Invoke-WebRequest, ...) piped into an
// interpreter, or run through `sh <(curl ..)`, `sh -c "$(curl ..)"`, `iex (..DownloadString..)`.
struct FetchOptions {
  std::vector<std::string> fetchers = {"curl", "wget", "invoke-webrequest", "iwr", "invoke-restmethod", "irm",
                                       "fetch", "aria2c"};
  std::vector<std::string> interpreters = {"sh", "bash", "zsh", "dash", "ksh", "ash", "python", "python3", "perl",
                                           "ruby", "node", "php", "iex", "invoke-expression", "pwsh", "powershell",
                                           "source", "."};
};
void check_fetch_pipe_to_shell(const BuildFile& f, const FetchOptions& o, Hits& out);

// decode-exec: decoded or decompressed data (base64 -d, xxd -r, openssl enc -d, xz -d, a
// `$var -d` stage, printf '\x..') fed to sh/bash/eval, or tr/sed/rev stages piped into `eval`;
// `eval` in the middle of a pipeline on its own (xz-utils build-to-host.m4).
void check_decode_exec(const BuildFile& f, Hits& out);

// test-data-in-build: a build step reading files under test folders as data: a data file
// (.xz, .bin, ...) under a test folder with a reading command, `file(READ|STRINGS tests/..)`,
// `cat tests/.. |`, or `grep -a` searching the tree for binary markers. Recipes of make
// targets named like tests (check, test, ...) and CMake add_test() are left alone.
struct TestDataOptions {
  std::vector<std::string> test_dirs = {"tests", "test", "testdata", "test-data", "testsuite", "fixtures"};
  std::vector<std::string> data_extensions = {"xz", "lzma", "lz", "gz", "bz2", "zst", "7z", "zip", "bin",
                                              "dat", "raw", "tar"};
};
void check_test_data_in_build(const BuildFile& f, const TestDataOptions& o, Hits& out);

// sabotaged-feature-check: the test program of check_c_source_compiles() and kin (CMake) or
// AC_COMPILE_IFELSE/AC_LINK_IFELSE/AC_RUN_IFELSE/AC_TRY_* (autoconf) cannot compile: a line
// holding only a stray `.`, `@` or backquote, or unbalanced braces or parentheses. The check then
// always fails and silently turns the feature (a sandbox, a hardening option) off.
void check_sabotaged_feature_check(const BuildFile& f, Hits& out);

// injected-flags: compiler/linker flags and environment that weaken or redirect the build.
enum FlagGroup : unsigned {
  kHardeningOff = 1,    // -fno-stack-protector, -D_FORTIFY_SOURCE=0, -z execstack, -z norelro, ...
  kSymbolOverride = 2,  // -Wl,--wrap, --defsym, --allow-multiple-definition, -z muldefs
  kPreload = 4,         // LD_PRELOAD, DYLD_INSERT_LIBRARIES, /etc/ld.so.preload (sanitizers excepted)
  kWritableRpath = 8,   // an rpath/runpath into /tmp, /var/tmp, /dev/shm, ...
};
struct FlagOptions {
  unsigned groups = kHardeningOff | kSymbolOverride | kPreload | kWritableRpath;
  std::vector<std::string> writable_dirs = {"/tmp", "/var/tmp", "/dev/shm", "/run/user"};
};
void check_injected_flags(const BuildFile& f, const FlagOptions& o, Hits& out);

// insecure-download: TLS verification turned off for downloads (curl -k, wget
// --no-check-certificate, pip --trusted-host, strict-ssl false, GIT_SSL_NO_VERIFY, ...).
void check_insecure_download(const BuildFile& f, Hits& out);

// npm-lifecycle-script: a package.json install-time script (preinstall, install, postinstall,
// prepare, ...) that downloads, decodes, evaluates inline code with process or network access,
// pipes to a shell or detaches into the background.
struct NpmOptions {
  std::vector<std::string> hooks = {"preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare",
                                    "prepublish", "preuninstall", "postuninstall"};
};
void check_npm_lifecycle_script(const BuildFile& f, const NpmOptions& o, Hits& out);

// python-build-exec: setup.py code that reaches the network, evaluates decoded or dynamic code,
// or runs processes other than the usual build tools, all at install time.
enum PythonCategory : unsigned { kPyNetwork = 1, kPyDynamicCode = 2, kPyProcess = 4 };
struct PythonOptions {
  unsigned categories = kPyNetwork | kPyDynamicCode | kPyProcess;
  std::vector<std::string> allow_commands = {"git", "hg", "svn", "pkg-config", "cmake", "make", "ninja", "meson",
                                             "gcc", "g++", "cc", "c++", "clang", "clang++", "nvcc", "cython",
                                             "swig", "protoc", "rustc", "cargo", "go", "npm", "yarn"};
};
void check_python_build_exec(const BuildFile& f, const PythonOptions& o, Hits& out);

// workflow-untrusted-checkout: a GitHub workflow triggered by pull_request_target or
// workflow_run that checks out the pull request's head (ref/repository of actions/checkout,
// git fetch/checkout, gh pr checkout): untrusted code then runs with the base repository's
// secrets and write token ("pwn request").
void check_workflow_untrusted_checkout(const BuildFile& f, Hits& out);

// workflow-script-injection: `${{ github.event.issue.title }}`, `${{ github.head_ref }}` and other
// attacker-controlled contexts expanded inside `run:` (or github-script `script:`) text.
void check_workflow_script_injection(const BuildFile& f, Hits& out);

// workflow-permissions: `permissions: write-all` (every scope writable).
void check_workflow_permissions(const BuildFile& f, Hits& out);

// secret-exfiltration: a secret (`${{ secrets.X }}`, $..TOKEN/PASSWORD/SECRET.. variables,
// toJSON(secrets)) or an environment dump (env, printenv, /proc/*/environ) base64-encoded into
// the log or sent over the network other than as an authentication header or credential option.
void check_secret_exfiltration(const BuildFile& f, Hits& out);

// remote-add-exec: a Dockerfile `ADD http(s)://...` without --checksum whose file a later RUN
// executes (sh/bash/python/chmod +x/./file).
void check_remote_add_exec(const BuildFile& f, Hits& out);

}  // namespace provscan::scan::build
