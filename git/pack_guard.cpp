#include "git/detail/pack_guard.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_set>

#include <fmt/format.h>

#include "common/error.h"

namespace provscan::git::detail {

namespace {

std::uint32_t be32_at(const unsigned char* p) noexcept {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

// Reads at most `n` bytes at `offset`, retrying short reads and EINTR; returns what it got.
std::size_t pread_some(int fd, unsigned char* buf, std::size_t n, std::uint64_t offset) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, buf + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  return got;
}

}  // namespace

struct PackChains::Pack {
  std::string name;  // objects/pack/pack-….pack, for messages
  int fd = -1;
  std::uint64_t size = 0;
  const unsigned char* idx = nullptr;  // the mapped index
  std::size_t idx_size = 0;
  int version = 0;
  std::uint32_t count = 0;
  const unsigned char* fanout = nullptr;
  const unsigned char* ids = nullptr;        // v2: count × 20; v1: count × (4 + 20)
  const unsigned char* offsets = nullptr;    // v2: count × 4
  const unsigned char* large = nullptr;      // v2: large_count × 8
  std::uint32_t large_count = 0;
  // Per entry offset: 0 = resolvable, otherwise 1 + an index into `errors`; and the peak.
  struct Memo {
    std::uint64_t peak = 0;
    std::uint32_t error = 0;
  };
  std::unordered_map<std::uint64_t, Memo> memo;
  std::vector<std::string> errors;

  ~Pack() {
    if (idx) ::munmap(const_cast<unsigned char*>(idx), idx_size);
    if (fd >= 0) ::close(fd);
  }

  const unsigned char* id_at(std::uint32_t i) const { return version == 2 ? ids + 20ull * i : ids + 24ull * i + 4; }

  std::optional<std::uint64_t> offset_at(std::uint32_t i) const {
    if (version == 1) return be32_at(ids + 24ull * i);
    const std::uint32_t o = be32_at(offsets + 4ull * i);
    if (!(o & 0x80000000u)) return o;
    const std::uint32_t k = o & 0x7fffffffu;
    if (k >= large_count) return std::nullopt;
    return (std::uint64_t{be32_at(large + 8ull * k)} << 32) | be32_at(large + 8ull * k + 4);
  }

  // The entry's offset in the pack, when the index lists `oid`.
  std::optional<std::uint64_t> find(const unsigned char* oid) const {
    std::uint32_t lo = oid[0] ? be32_at(fanout + 4u * (oid[0] - 1u)) : 0;
    std::uint32_t hi = be32_at(fanout + 4u * oid[0]);
    while (lo < hi) {
      const std::uint32_t mid = lo + (hi - lo) / 2;
      const int c = std::memcmp(id_at(mid), oid, GIT_OID_RAWSZ);
      if (c == 0) return offset_at(mid);
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    return std::nullopt;
  }
};

namespace {

// Maps an index file and checks that its tables fit in it (git's pack-format.txt).
void map_index(PackChains::Pack& p, const std::string& path);

}  // namespace

std::unique_ptr<PackChains> PackChains::open(const std::string& pack_dir, const std::vector<std::string>& names) {
  std::unique_ptr<PackChains> chains(new PackChains());
  for (const std::string& base : names) {
    auto p = std::make_unique<Pack>();
    p->name = "objects/pack/" + base + ".pack";
    const std::string pack_path = pack_dir + "/" + base + ".pack";
    p->fd = ::open(pack_path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st {};
    if (p->fd < 0 || ::fstat(p->fd, &st) != 0 || !S_ISREG(st.st_mode))
      throw Error(fmt::format("{}: cannot read it as a regular file", p->name));
    p->size = static_cast<std::uint64_t>(st.st_size);
    map_index(*p, pack_dir + "/" + base + ".idx");
    chains->packs_.push_back(std::move(p));
  }
  return chains;
}

namespace {

void map_index(PackChains::Pack& p, const std::string& path) {
  const std::string shown = p.name.substr(0, p.name.size() - 5) + ".idx";
  auto bad = [&](const std::string& why) { return Error(fmt::format("{}: {}", shown, why)); };
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) ::close(fd);
    throw bad("cannot read it as a regular file");
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size < 4 * 256 + 40) {
    ::close(fd);
    throw bad("too short for a pack index");
  }
  void* m = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) throw bad(std::string("cannot map it: ") + std::strerror(errno));
  p.idx = static_cast<const unsigned char*>(m);
  p.idx_size = size;
  const unsigned char* b = p.idx;
  if (std::memcmp(b, "\377tOc", 4) == 0) {
    if (be32_at(b + 4) != 2) throw bad(fmt::format("index version {} is not supported", be32_at(b + 4)));
    p.version = 2;
    p.fanout = b + 8;
  } else {
    p.version = 1;
    p.fanout = b;
  }
  for (int i = 1; i < 256; ++i)
    if (be32_at(p.fanout + 4 * i) < be32_at(p.fanout + 4 * (i - 1))) throw bad("its fan-out table is not sorted");
  p.count = be32_at(p.fanout + 4 * 255);
  const std::uint64_t n = p.count;
  const std::uint64_t head = p.version == 2 ? 8 + 1024 : 1024;
  const std::uint64_t tables = p.version == 2 ? n * (20 + 4 + 4) : n * 24;
  if (head + tables + 40 > size) throw bad(fmt::format("too short for the {} objects it lists", n));
  p.ids = b + head;
  if (p.version == 2) {
    p.offsets = b + head + n * 24;
    const std::uint64_t rest = size - head - tables - 40;
    if (rest % 8) throw bad("its large-offset table is malformed");
    p.large = b + head + tables;
    p.large_count = static_cast<std::uint32_t>(std::min<std::uint64_t>(rest / 8, UINT32_MAX));
  }
}

// One pack entry's header: its type, its declared size, where its data starts and, for a delta,
// where its base is (offset, or the id of a REF_DELTA base).
struct Entry {
  int type = 0;
  std::uint64_t size = 0;
  std::uint64_t data = 0;
  std::uint64_t base = 0;      // OFS_DELTA
  unsigned char base_id[GIT_OID_RAWSZ] = {};  // REF_DELTA
};

bool read_entry(const PackChains::Pack& p, std::uint64_t at, Entry& e, std::string& why) {
  // An entry starts after the 12-byte pack header and before the 20-byte trailer.
  if (at < 12 || p.size < 32 || at >= p.size - 20) {
    why = "the entry lies outside the pack";
    return false;
  }
  unsigned char b[64];
  const std::size_t n = pread_some(p.fd, b, static_cast<std::size_t>(std::min<std::uint64_t>(sizeof b, p.size - at)), at);
  std::size_t i = 0;
  if (n == 0) {
    why = "cannot read the entry";
    return false;
  }
  unsigned c = b[i++];
  e.type = static_cast<int>((c >> 4) & 7);
  e.size = c & 15;
  for (unsigned shift = 4; c & 0x80; shift += 7) {
    if (i >= n || shift > 57) {
      why = "malformed entry header";
      return false;
    }
    c = b[i++];
    e.size |= static_cast<std::uint64_t>(c & 0x7f) << shift;
  }
  switch (e.type) {
    case GIT_OBJECT_COMMIT:
    case GIT_OBJECT_TREE:
    case GIT_OBJECT_BLOB:
    case GIT_OBJECT_TAG: break;
    case GIT_OBJECT_OFS_DELTA: {
      if (i >= n) {
        why = "malformed delta offset";
        return false;
      }
      c = b[i++];
      std::uint64_t rel = c & 0x7f;
      while (c & 0x80) {
        if (i >= n || rel > (UINT64_MAX >> 7) - 1) {
          why = "malformed delta offset";
          return false;
        }
        c = b[i++];
        rel = ((rel + 1) << 7) | (c & 0x7f);
      }
      if (rel == 0 || rel > at) {
        why = rel == 0 ? "the delta is its own base" : "the delta's base lies outside the pack";
        return false;
      }
      e.base = at - rel;
      break;
    }
    case GIT_OBJECT_REF_DELTA:
      if (i + GIT_OID_RAWSZ > n) {
        why = "malformed delta base id";
        return false;
      }
      std::memcpy(e.base_id, b + i, GIT_OID_RAWSZ);
      i += GIT_OID_RAWSZ;
      break;
    default:
      why = fmt::format("invalid entry type {}", e.type);
      return false;
  }
  e.data = at + i;
  return true;
}

// A delta starts with two varints: the size of its base and of its result. Inflates just enough
// of the entry's zlib stream to read them.
bool delta_sizes(const PackChains::Pack& p, const Entry& e, std::uint64_t& base_size, std::uint64_t& result_size,
                 std::string& why) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) {
    why = "cannot initialize zlib";
    return false;
  }
  unsigned char in[512];
  unsigned char out[32];
  z.next_out = out;
  z.avail_out = sizeof out;
  std::uint64_t at = e.data;
  int rc = Z_OK;
  // 64 KiB of input is far more than any real encoder spends before its first 20 bytes.
  while (z.avail_out > 0 && rc == Z_OK && at < p.size && at - e.data < (64u << 10)) {
    const std::size_t n = pread_some(p.fd, in, static_cast<std::size_t>(std::min<std::uint64_t>(sizeof in, p.size - at)), at);
    if (n == 0) break;
    at += n;
    z.next_in = in;
    z.avail_in = static_cast<uInt>(n);
    while (z.avail_in > 0 && z.avail_out > 0 && rc == Z_OK) rc = inflate(&z, Z_NO_FLUSH);
    if (rc == Z_BUF_ERROR) rc = Z_OK;  // wants more input
  }
  const std::size_t got = sizeof out - z.avail_out;
  inflateEnd(&z);
  std::size_t i = 0;
  auto varint = [&](std::uint64_t& v) {
    v = 0;
    for (unsigned shift = 0; i < got; shift += 7) {
      const unsigned c = out[i++];
      if (shift > 63) return false;
      v |= static_cast<std::uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) return true;
    }
    return false;
  };
  if (!varint(base_size) || !varint(result_size)) {
    why = "malformed delta header";
    return false;
  }
  return true;
}

}  // namespace

PackChains::~PackChains() = default;

PackChains::Verdict PackChains::check(const git_oid& oid) {
  std::lock_guard lock(mu_);
  Verdict v;
  v.ok = true;
  for (auto& p : packs_) {
    const auto at = p->find(oid.id);
    if (!at) continue;
    const Verdict one = check_in(*p, *at);
    v.found = true;
    v.peak = std::max(v.peak, one.peak);
    if (!one.ok && v.ok) {
      v.ok = false;
      v.error = one.error;
    }
  }
  return v;
}

std::optional<PackChains::Verdict> PackChains::check_in_pack(std::size_t pack, const git_oid& oid) {
  std::lock_guard lock(mu_);
  Pack& p = *packs_.at(pack);
  const auto at = p.find(oid.id);
  if (!at) return std::nullopt;
  Verdict v = check_in(p, *at);
  v.found = true;
  return v;
}

// Walks from `offset` towards the chain's base object, stopping at an entry already judged; then
// judges every entry walked, from the base back: an entry is resolvable when its base is, and its
// peak is the larger of its own sizes and its base's peak.
PackChains::Verdict PackChains::check_in(Pack& p, std::uint64_t offset) {
  struct Step {
    std::uint64_t at;
    std::uint64_t own;  // the largest of: the entry's declared size, a delta's result size
  };
  std::vector<Step> chain;
  std::unordered_set<std::uint64_t> seen;
  Pack::Memo tail;
  auto fail = [&](std::uint64_t at, const std::string& why) {
    p.errors.push_back(fmt::format("{} at offset {}: {}", p.name, at, why));
    tail.error = static_cast<std::uint32_t>(p.errors.size());
  };
  for (std::uint64_t at = offset;;) {
    if (const auto m = p.memo.find(at); m != p.memo.end()) {
      tail = m->second;
      break;
    }
    if (!seen.insert(at).second) {
      fail(offset, "its delta chain loops back on itself");
      break;
    }
    if (chain.size() >= kMaxDeltaChain) {
      fail(offset, fmt::format("its delta chain is deeper than {}", kMaxDeltaChain));
      break;
    }
    Entry e;
    std::string why;
    if (!read_entry(p, at, e, why)) {
      fail(at, why);
      break;
    }
    if (e.type != GIT_OBJECT_OFS_DELTA && e.type != GIT_OBJECT_REF_DELTA) {
      chain.push_back({at, e.size});
      break;  // a whole object: the chain's base
    }
    std::uint64_t base_size = 0, result_size = 0;
    if (!delta_sizes(p, e, base_size, result_size, why)) {
      fail(at, why);
      break;
    }
    chain.push_back({at, std::max({e.size, base_size, result_size})});
    if (e.type == GIT_OBJECT_OFS_DELTA) {
      at = e.base;
    } else if (const auto base = p.find(e.base_id)) {
      at = *base;
    } else {
      git_oid id;
      std::memcpy(id.id, e.base_id, GIT_OID_RAWSZ);
      fail(at, fmt::format("the delta's base {} is not in this pack", oid_hex(id)));
      break;
    }
  }
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!tail.error) tail.peak = std::max(tail.peak, it->own);
    p.memo[it->at] = tail;
  }
  Verdict v;
  v.ok = tail.error == 0;
  v.peak = tail.peak;
  if (!v.ok) v.error = p.errors[tail.error - 1];
  return v;
}

}  // namespace provscan::git::detail
