#include "scanner/signature/hs_cache.h"

#include "common/fd_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "common/hash.h"

namespace provscan::scan {

namespace fs = std::filesystem;

namespace {

// Entry layout (integers little-endian):
//   magic[16] key[64 hex] payload_len[8] compile_micros[8] db_bytes[8] checksum[64 hex] payload
// checksum = SHA-256 of everything before it followed by the payload.
constexpr std::string_view kMagic = "PROVSCAN HSDB v1";  // 16 bytes; bump with any layout change
constexpr std::string_view kKeyFormat = "provscan-hs-cache/1";
constexpr std::size_t kHexLen = 64;
constexpr std::size_t kPrefixLen = 16 + kHexLen + 8 + 8 + 8;
constexpr std::size_t kHeaderLen = kPrefixLen + kHexLen;
constexpr std::size_t kMaxEntryBytes = std::size_t{1} << 30;

// ---- Settings and counters ------------------------------------------------------------------

std::mutex g_mutex;  // guards g_dir_set, g_dir, g_last_note
bool g_dir_set = false;
std::optional<fs::path> g_dir;
std::string g_last_note;
std::atomic<std::uint64_t> g_hits{0}, g_misses{0}, g_rejected{0}, g_stores{0}, g_store_failures{0};

bool debug_on() {
  static const bool on = [] {
    const char* v = std::getenv("PROVSCAN_DEBUG");
    return v && *v;
  }();
  return on;
}

void note(std::string text) {
  if (debug_on()) std::fprintf(stderr, "provscan: debug: hyperscan cache: %s\n", text.c_str());
  std::lock_guard lock(g_mutex);
  g_last_note = std::move(text);
}

// ---- Bytes ----------------------------------------------------------------------------------

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint64_t get_u64(std::string_view in, std::size_t at) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[at + i]);
  return v;
}

std::string u64_bytes(std::uint64_t v) {
  std::string s;
  put_u64(s, v);
  return s;
}

std::string checksum(std::string_view prefix, std::string_view payload) {
  Sha256 h;
  h.update(prefix);
  h.update(payload);
  return h.hex();
}

// ---- Compiling ------------------------------------------------------------------------------

void check_input(const HsCompileInput& in) {
  if (in.flags.size() != in.expressions.size() || in.ids.size() != in.expressions.size())
    throw Error("hyperscan: expressions, flags and ids differ in number");
}

HsCompiled compile_now(const HsCompileInput& in) {
  check_input(in);
  std::vector<const char*> ptrs;
  std::vector<std::size_t> lens;
  ptrs.reserve(in.expressions.size());
  lens.reserve(in.expressions.size());
  for (const auto& e : in.expressions) {
    ptrs.push_back(e.c_str());
    lens.push_back(e.size());
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  const auto start = std::chrono::steady_clock::now();
  const unsigned n = static_cast<unsigned>(in.expressions.size());
  const hs_error_t rc =
      in.literal ? hs_compile_lit_multi(ptrs.data(), in.flags.data(), in.ids.data(), lens.data(), n, in.mode,
                                        nullptr, &db, &err)
                 : hs_compile_multi(ptrs.data(), in.flags.data(), in.ids.data(), n, in.mode, nullptr, &db, &err);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (rc != HS_SUCCESS) {
    std::string msg = err && err->message ? err->message : "unknown error";
    const int bad = err ? err->expression : -1;
    hs_free_compile_error(err);
    if (db) hs_free_database(db);
    throw HsCompileError(std::move(msg), bad);
  }
  HsCompiled out;
  out.db.reset(db);
  out.compile_seconds = seconds;
  if (hs_database_size(db, &out.bytes) != HS_SUCCESS) throw Error("hyperscan: cannot read the database size");
  return out;
}

std::string_view mode_name(unsigned mode) {
  if (mode & HS_MODE_STREAM) return "STREAM";
  if (mode & HS_MODE_VECTORED) return "VECTORED";
  return "BLOCK";
}

// ---- The cache folder and its files ---------------------------------------------------------

std::optional<fs::path> effective_dir() {
  std::lock_guard lock(g_mutex);
  if (!g_dir_set) {
    g_dir = default_hs_cache_dir();
    g_dir_set = true;
  }
  return g_dir;
}

bool private_to_us(const struct stat& st) {
  return st.st_uid == geteuid() && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

// The folder, created (0700) if missing; nullopt (with a note) if it cannot be used.
std::optional<fs::path> ready_dir(const fs::path& dir, bool create) {
  struct stat st{};
  if (::stat(dir.c_str(), &st) != 0) {
    if (!create) return std::nullopt;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || ::stat(dir.c_str(), &st) != 0) {
      note(fmt::format("cannot create {}: {}", dir.string(), ec ? ec.message() : std::strerror(errno)));
      ++g_store_failures;
      return std::nullopt;
    }
    ::chmod(dir.c_str(), 0700);
    ::stat(dir.c_str(), &st);
  }
  if (!S_ISDIR(st.st_mode) || !private_to_us(st)) {
    note(fmt::format("not using {}: not a folder owned by this user and writable by it alone", dir.string()));
    if (create) ++g_store_failures;
    return std::nullopt;
  }
  return dir;
}

// Whole file, or nullopt if missing, not a private regular file, or too large.
std::optional<std::string> read_entry(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    if (errno != ENOENT) {
      note(fmt::format("cannot open {}: {}", file.string(), std::strerror(errno)));
      ++g_rejected;
    }
    return std::nullopt;
  }
  struct stat st{};
  std::optional<std::string> out;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !private_to_us(st) ||
      static_cast<std::uint64_t>(st.st_size) > kMaxEntryBytes) {
    note(fmt::format("ignoring {}: not a regular file owned by this user and writable by it alone, or too large",
                     file.string()));
    ++g_rejected;
  } else {
    std::string data(static_cast<std::size_t>(st.st_size), '\0');
    data.resize(read_full(fd, data.data(), data.size()));
    out = std::move(data);
  }
  ::close(fd);
  return out;
}

// The database in `entry`, or nullopt with the reason in `why`.
std::optional<HsCompiled> decode_entry(std::string_view entry, const std::string& key, const HsCompileInput& in,
                                       std::string& why) {
  if (entry.size() < kHeaderLen || entry.substr(0, kMagic.size()) != kMagic) {
    why = entry.size() < kHeaderLen ? "truncated header" : "not a provscan entry (magic)";
    return std::nullopt;
  }
  if (entry.substr(16, kHexLen) != key) {
    why = "key in the header differs";
    return std::nullopt;
  }
  const std::uint64_t len = get_u64(entry, 16 + kHexLen);
  const std::uint64_t micros = get_u64(entry, 16 + kHexLen + 8);
  const std::uint64_t db_bytes = get_u64(entry, 16 + kHexLen + 16);
  if (len != entry.size() - kHeaderLen) {
    why = fmt::format("payload is {} bytes, header says {}", entry.size() - kHeaderLen, len);
    return std::nullopt;
  }
  const std::string_view payload = entry.substr(kHeaderLen);
  if (checksum(entry.substr(0, kPrefixLen), payload) != entry.substr(kPrefixLen, kHexLen)) {
    why = "checksum mismatch";
    return std::nullopt;
  }
  std::size_t size = 0;
  if (hs_serialized_database_size(payload.data(), payload.size(), &size) != HS_SUCCESS || size != db_bytes) {
    why = "Hyperscan does not read the payload's size, or it differs from the header";
    return std::nullopt;
  }
  char* info = nullptr;
  if (hs_serialized_database_info(payload.data(), payload.size(), &info) != HS_SUCCESS || !info) {
    why = "Hyperscan does not read the payload's header";
    return std::nullopt;
  }
  const std::string info_s(info);
  std::free(info);
  const std::string_view version(hs_version());
  const std::string want_version = fmt::format("Version: {} ", version.substr(0, version.find(' ')));
  if (!info_s.starts_with(want_version) || info_s.find(fmt::format("Mode: {}", mode_name(in.mode))) == std::string::npos) {
    why = fmt::format("made for another Hyperscan or mode ({})", info_s);
    return std::nullopt;
  }
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(payload.data(), payload.size(), &db) != HS_SUCCESS || !db) {
    why = "Hyperscan refused to deserialize it";
    return std::nullopt;
  }
  HsCompiled out;
  out.db.reset(db);
  out.from_cache = true;
  out.compile_seconds = static_cast<double>(micros) / 1e6;
  if (hs_database_size(db, &out.bytes) != HS_SUCCESS || out.bytes != db_bytes) {
    why = "deserialized database size differs from the header";
    return std::nullopt;
  }
  return out;
}

void store_entry(const fs::path& dir, const fs::path& file, const std::string& key, const HsCompiled& c) {
  char* bytes = nullptr;
  std::size_t length = 0;
  if (hs_serialize_database(c.db.get(), &bytes, &length) != HS_SUCCESS || !bytes) {
    note("Hyperscan could not serialize the database");
    ++g_store_failures;
    return;
  }
  std::string entry(kMagic);
  entry += key;
  put_u64(entry, length);
  put_u64(entry, static_cast<std::uint64_t>(c.compile_seconds * 1e6 + 0.5));
  put_u64(entry, c.bytes);
  const std::string_view payload(bytes, length);
  entry += checksum(entry, payload);
  entry.append(payload);
  std::free(bytes);

  static std::atomic<unsigned> counter{0};
  static const unsigned salt = std::random_device{}();
  fs::path tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 8 && fd < 0; ++attempt) {
    tmp = dir / fmt::format(".hs-{}.{}.{:x}.{}.tmp", key.substr(0, 16), ::getpid(), salt, counter++);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) {
    note(fmt::format("cannot create a file in {}: {}", dir.string(), std::strerror(errno)));
    ++g_store_failures;
    return;
  }
  const bool written = write_full(fd, entry.data(), entry.size()) == entry.size();
  const int write_errno = errno;
  const bool closed = ::close(fd) == 0;
  if (!written) errno = write_errno;
  if (!written || !closed || ::rename(tmp.c_str(), file.c_str()) != 0) {
    note(fmt::format("cannot write {}: {}", file.string(), std::strerror(errno)));
    ::unlink(tmp.c_str());
    ++g_store_failures;
    return;
  }
  ++g_stores;
}

bool within_limits(const HsCompiled& c, const HsCompileInput& in) {
  return c.compile_seconds <= in.max_compile_seconds && c.bytes <= in.max_database_bytes;
}

}  // namespace

// ---- Public ---------------------------------------------------------------------------------

std::string hs_cache_key(const HsCompileInput& in) {
  check_input(in);
  Sha256 h;
  auto field = [&](std::string_view s) {
    h.update(u64_bytes(s.size()));
    h.update(s);
  };
  field(kKeyFormat);
  field(hs_version());
  hs_platform_info_t platform{};
  if (hs_populate_platform(&platform) == HS_SUCCESS) {
    field(u64_bytes(platform.tune));
    field(u64_bytes(platform.cpu_features));
    field(u64_bytes(platform.reserved1));
    field(u64_bytes(platform.reserved2));
  } else {
    field("unknown-platform");
  }
  field(in.literal ? "literal" : "regex");
  field(u64_bytes(in.mode));
  field(u64_bytes(in.expressions.size()));
  for (std::size_t i = 0; i < in.expressions.size(); ++i) {
    field(in.expressions[i]);
    field(u64_bytes(in.flags[i]));
    field(u64_bytes(in.ids[i]));
  }
  return h.hex();
}

HsCompiled compile_uncached(const HsCompileInput& in) { return compile_now(in); }

HsCompiled compile_cached(const HsCompileInput& in) {
  const std::optional<fs::path> configured = effective_dir();
  if (!configured || configured->empty()) return compile_now(in);
  const std::string key = hs_cache_key(in);
  const fs::path file = *configured / fmt::format("hs-{}.db", key);

  if (ready_dir(*configured, false)) {
    if (std::optional<std::string> entry = read_entry(file)) {
      std::string why;
      if (std::optional<HsCompiled> got = decode_entry(*entry, key, in, why)) {
        if (within_limits(*got, in)) {
          ++g_hits;
          return std::move(*got);
        }
        note(fmt::format("{} was recorded over this run's limits: compiling afresh", file.string()));
      } else {
        note(fmt::format("rejecting {}: {}", file.string(), why));
        ++g_rejected;
      }
    }
  }
  ++g_misses;
  HsCompiled fresh = compile_now(in);  // HsCompileError propagates: nothing is stored
  if (within_limits(fresh, in))
    if (const std::optional<fs::path> dir = ready_dir(*configured, true)) store_entry(*dir, file, key, fresh);
  return fresh;
}

void set_hs_cache_dir(std::optional<fs::path> dir) {
  std::lock_guard lock(g_mutex);
  if (dir && dir->empty()) dir.reset();
  g_dir = std::move(dir);
  g_dir_set = true;
}

std::optional<fs::path> hs_cache_dir() { return effective_dir(); }

std::optional<fs::path> default_hs_cache_dir() {
  if (const char* p = std::getenv("PROVSCAN_CACHE_DIR")) {
    if (!*p) return std::nullopt;
    return fs::path(p);
  }
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x == '/') return fs::path(x) / "provscan";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "provscan";
  return std::nullopt;
}

HsCacheStats hs_cache_stats() {
  HsCacheStats s;
  s.hits = g_hits;
  s.misses = g_misses;
  s.rejected = g_rejected;
  s.stores = g_stores;
  s.store_failures = g_store_failures;
  std::lock_guard lock(g_mutex);
  s.last_note = g_last_note;
  return s;
}

void reset_hs_cache_stats() {
  g_hits = g_misses = g_rejected = g_stores = g_store_failures = 0;
  std::lock_guard lock(g_mutex);
  g_last_note.clear();
}

}  // namespace provscan::scan
