#pragma once
// Every Hyperscan database provscan builds (the signature engine's, the query prefilter's word
// list) is compiled here, once per distinct input: a compiled database is serialized into the
// cache folder under the SHA-256 of everything that determines it (this file's format version,
// hs_version(), the host platform Hyperscan targets, the mode, and each expression's bytes,
// flags and id), and the next run with the same rules deserializes it instead of compiling.
//
// An entry is used only when its header (magic, key, payload length, SHA-256 of the payload,
// written by us) checks out, Hyperscan's own header agrees (version, mode, platform), and the
// file and the folder are owned by this user and writable by nobody else. Anything else
// (truncated, tampered, another version, a deserialize error) is recompiled and overwritten:
// an entry is never an error and never changes a result. Entries are written to a temporary
// file in the same folder (O_EXCL) and renamed into place, so processes racing on one key each
// see either no file or a whole one. A cache that cannot be created, read or written only
// costs the compile (a note on stderr when PROVSCAN_DEBUG is set).
//
// The cache is trusted like the provscan binary: whoever can write to it could hand Hyperscan a
// database that matches nothing. Keep it private (the default location is under $HOME) and do
// not restore it from a cache a change under review can write.
#include <hs/hs.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "common/c_handle.h"
#include "common/error.h"

namespace provscan::scan {

using HsDatabase = Owned<hs_database_t, hs_free_database>;

struct HsCompileInput {
  std::vector<std::string> expressions;  // regexes, or raw bytes with `literal`
  std::vector<unsigned> flags;           // HS_FLAG_* per expression
  std::vector<unsigned> ids;             // per expression
  bool literal = false;                  // hs_compile_lit_multi (lengths are the strings' sizes)
  unsigned mode = HS_MODE_BLOCK;

  // A cached entry recorded as slower or larger than this is compiled afresh (and a fresh
  // database over either limit is not stored), so a cache never turns a rule set that is over
  // a limit into one that is under it, or the other way round.
  double max_compile_seconds = std::numeric_limits<double>::infinity();
  std::size_t max_database_bytes = std::numeric_limits<std::size_t>::max();
};

struct HsCompiled {
  HsDatabase db;
  std::size_t bytes = 0;        // hs_database_size()
  double compile_seconds = 0;   // measured now, or as recorded in the cache entry
  bool from_cache = false;
};

// Hyperscan refused an expression (`expression` is its index in the input, -1 when Hyperscan
// did not name one); what() is Hyperscan's message.
class HsCompileError : public Error {
 public:
  HsCompileError(std::string message, int expression) : Error(std::move(message)), expression_(expression) {}
  int expression() const noexcept { return expression_; }

 private:
  int expression_;
};

// Compiles `in`, through the cache when one is configured. Throws HsCompileError for a pattern
// Hyperscan refuses; a cache problem is never thrown.
HsCompiled compile_cached(const HsCompileInput& in);
// The same, never touching the cache (and always measuring compile_seconds).
HsCompiled compile_uncached(const HsCompileInput& in);

// The cache key of `in`: lower-case hex SHA-256 (the file is CACHE_DIR/hs-KEY.db).
std::string hs_cache_key(const HsCompileInput& in);

// The cache folder. Until set_hs_cache_dir() is called it is default_hs_cache_dir(), read from
// the environment on first use. nullopt disables the cache.
void set_hs_cache_dir(std::optional<std::filesystem::path> dir);
std::optional<std::filesystem::path> hs_cache_dir();
// $PROVSCAN_CACHE_DIR if set (empty: disabled), else $XDG_CACHE_HOME/provscan (when absolute),
// else $HOME/.cache/provscan, else disabled.
std::optional<std::filesystem::path> default_hs_cache_dir();

// Counters for this process (tests, --debug output).
struct HsCacheStats {
  std::uint64_t hits = 0;            // databases deserialized from an entry
  std::uint64_t misses = 0;          // compiled with the cache on (no usable entry)
  std::uint64_t rejected = 0;        // entries present but unusable (then recompiled)
  std::uint64_t stores = 0;          // entries written
  std::uint64_t store_failures = 0;  // folder or entry could not be created/written
  std::string last_note;             // why the last entry was rejected or not stored
};
HsCacheStats hs_cache_stats();
void reset_hs_cache_stats();

}  // namespace provscan::scan
