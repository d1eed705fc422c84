#include "git/detail/libgit2.h"

#include <fmt/format.h>

#include <mutex>

#include "common/error.h"

namespace provscan::git::detail {
namespace {

void init_once() {
  if (git_libgit2_init() < 0) throw Error("cannot initialize libgit2: " + last_error_message());
  // No configuration outside the repository is read: a user's or the system's settings must
  // neither change what a scan sees nor be able to point libgit2 anywhere.
  for (int level : {GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG,
                    GIT_CONFIG_LEVEL_PROGRAMDATA}) {
    check(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, ""), "cannot clear config search path");
  }
  // Read-only access: a repository owned by another user is still safe to read with libgit2,
  // which runs no hooks, filters or fsmonitor.
  check(git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0), "cannot disable owner validation");
  // provscan parses trees and commits from raw bytes and caches blobs itself: libgit2's parsed
  // object cache (256 MiB per handle by default, one handle per worker) only costs memory.
  check(git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(16) << 20), "cannot bound the object cache");
}

}  // namespace

void ensure_libgit2() {
  static std::once_flag once;
  std::call_once(once, init_once);  // an exception leaves the flag unset: the next call retries
}

std::string last_error_message() {
  const git_error* e = git_error_last();
  return e && e->message ? std::string(e->message) : std::string("unknown error");
}

void check(int rc, std::string_view doing) {
  if (rc >= 0) return;
  throw Error(fmt::format("{}: {}", doing, last_error_message()));
}

bool try_parse_oid(std::string_view hex, git_oid& out) noexcept {
  if (hex.size() != GIT_OID_HEXSZ) return false;
  for (char c : hex) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!ok) return false;
  }
  return git_oid_fromstrn(&out, hex.data(), hex.size()) == 0;
}

git_oid parse_oid(std::string_view hex) {
  git_oid oid;
  if (!try_parse_oid(hex, oid)) throw Error(fmt::format("not an object id: '{}'", hex));
  return oid;
}

std::string oid_hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return std::string(buf, GIT_OID_HEXSZ);
}

}  // namespace provscan::git::detail
