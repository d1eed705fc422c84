// Fuzzes the commit header parser (git::parse_commit) and the identity line parser
// (git::parse_ident) on raw bytes, as a hostile repository stores them. A malformed commit is an
// Error; an accepted one must hold what git/commit.h promises.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "git/commit.h"
#include "tests/fuzz/fuzz_support.h"

using namespace provscan;

namespace {

bool is_hex40(std::string_view s) {
  if (s.size() != 40) return false;
  for (const char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);

  git::Ident ident;
  if (git::parse_ident(raw, ident) && ident.time_overflow && ident.time != 0)
    fuzz::fail("parse_ident: time_overflow with a non-zero time", raw);

  try {
    const git::Commit c = git::parse_commit(std::string(40, '0'), raw);
    if (c.id != std::string(40, '0')) fuzz::fail("parse_commit changed the id", raw);
    if (!is_hex40(c.tree)) fuzz::fail("parse_commit: tree is not 40 hex", c.tree);
    for (const std::string& p : c.parents)
      if (!is_hex40(p)) fuzz::fail("parse_commit: parent is not 40 hex", p);
    if (c.message.size() > raw.size()) fuzz::fail("parse_commit: message longer than the object", raw);
    if (!c.gpgsig.empty() && c.signed_payload.empty())
      fuzz::fail("parse_commit: a signature without a signed payload", raw);
    if (c.signed_payload.size() > raw.size()) fuzz::fail("parse_commit: signed payload longer than the object", raw);
    (void)c.author.display();
  } catch (const Error&) {
  }
  return 0;
}
