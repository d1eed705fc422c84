#include "git/detail/object_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <git2/sys/odb_backend.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "common/error.h"
#include "git/detail/pack_guard.h"

namespace provscan::git::detail {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
// "commit 18446744073709551615\0" is 28 bytes: a header that has no NUL within this many bytes
// is not a git object header.
constexpr std::size_t kMaxHeader = 64;

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

enum class Open { Ok, Absent, Bad };

// Opens objects/XX/YYYY… without following a symbolic link at either level and refuses
// anything but a regular file: a FIFO would block, a device would stream forever, a link would
// read outside the repository.
Open open_loose(const std::string& objects_dir, const git_oid& oid, int& fd, std::string& why) {
  const std::string hex = oid_hex(oid);
  const std::string fan = objects_dir + "/" + hex.substr(0, 2);
  Fd dir(::open(fan.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (dir.fd < 0) {
    // Only a folder that is not there means "not a loose object"; one that cannot be read
    // (EACCES, a link, a file) is reported, or an unreadable object would pass as absent.
    const int err = errno;
    if (err == ENOENT) return Open::Absent;
    why = fmt::format("objects/{}: {}", hex.substr(0, 2),
                      err == ELOOP || err == ENOTDIR ? "not a directory (a symbolic link?)" : std::strerror(err));
    return Open::Bad;
  }
  const int f = ::openat(dir.fd, hex.c_str() + 2, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (f < 0) {
    const int err = errno;
    if (err == ENOENT) return Open::Absent;
    why = fmt::format("loose object {}: {}", hex, err == ELOOP ? "a symbolic link" : std::strerror(err));
    return Open::Bad;
  }
  struct stat st {};
  if (::fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(f);
    why = fmt::format("loose object {}: not a regular file", hex);
    return Open::Bad;
  }
  fd = f;
  return Open::Ok;
}

// zlib inflation from a file descriptor that always makes progress or stops: a truncated or
// corrupt stream is an error, never a loop.
class Inflater {
 public:
  explicit Inflater(int fd) : fd_(fd), in_(new unsigned char[kChunk]) {
    std::memset(&z_, 0, sizeof z_);
    ok_ = inflateInit(&z_) == Z_OK;
  }
  ~Inflater() {
    if (ok_) inflateEnd(&z_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  enum class Status { Full, End, Error };

  // Inflates into out[0, cap): Full when `cap` bytes were produced and the stream goes on, End
  // when the stream ended (`produced` says how much came), Error otherwise (`error()`).
  Status fill(unsigned char* out, std::size_t cap, std::size_t& produced) {
    produced = 0;
    if (!ok_) return fail("cannot initialize zlib");
    if (ended_) return Status::End;
    while (produced < cap) {
      if (z_.avail_in == 0 && !eof_) {
        const ssize_t n = ::read(fd_, in_.get(), kChunk);
        if (n < 0) {
          if (errno == EINTR) continue;
          return fail(std::string("read error: ") + std::strerror(errno));
        }
        if (n == 0) eof_ = true;
        z_.next_in = in_.get();
        z_.avail_in = static_cast<uInt>(n);
      }
      const std::size_t room = std::min<std::size_t>(cap - produced, 1u << 30);
      z_.next_out = out + produced;
      z_.avail_out = static_cast<uInt>(room);
      const int rc = inflate(&z_, Z_NO_FLUSH);
      produced += room - z_.avail_out;
      if (rc == Z_STREAM_END) {
        ended_ = true;
        return Status::End;
      }
      if (rc == Z_BUF_ERROR) {
        if (z_.avail_in == 0 && eof_) return fail("truncated zlib stream");
        if (z_.avail_in != 0 && z_.avail_out != 0) return fail("corrupt zlib stream");
        continue;  // needs more input (read above) or more room (loop condition)
      }
      if (rc != Z_OK) return fail(std::string("corrupt zlib stream: ") + (z_.msg ? z_.msg : "inflate error"));
      if (z_.avail_in == 0 && eof_ && z_.avail_out != 0) return fail("truncated zlib stream");
    }
    return Status::Full;
  }

  const std::string& error() const { return error_; }

 private:
  Status fail(std::string why) {
    error_ = std::move(why);
    return Status::Error;
  }
  int fd_;
  std::unique_ptr<unsigned char[]> in_;  // not zero-filled: one per object read
  z_stream z_;
  bool ok_ = false;
  bool eof_ = false;
  bool ended_ = false;
  std::string error_;
};

struct Header {
  git_object_t type = GIT_OBJECT_INVALID;
  std::uint64_t size = 0;
  std::string rest;  // content bytes inflated along with the header
};

// "<type> <decimal size>\0".
bool read_header(Inflater& in, Header& h, std::string& why) {
  unsigned char buf[kMaxHeader];
  std::size_t n = 0;
  if (in.fill(buf, sizeof buf, n) == Inflater::Status::Error) {
    why = in.error();
    return false;
  }
  const std::string_view b(reinterpret_cast<const char*>(buf), n);
  const std::size_t nul = b.find('\0');
  const std::size_t sp = b.find(' ');
  if (nul == std::string_view::npos || sp == std::string_view::npos || sp > nul || sp + 1 == nul) {
    why = "malformed object header";
    return false;
  }
  const std::string type(b.substr(0, sp));
  h.type = git_object_string2type(type.c_str());
  if (h.type != GIT_OBJECT_COMMIT && h.type != GIT_OBJECT_TREE && h.type != GIT_OBJECT_BLOB &&
      h.type != GIT_OBJECT_TAG) {
    why = "unknown object type in header";
    return false;
  }
  std::uint64_t size = 0;
  for (std::size_t i = sp + 1; i < nul; ++i) {
    const char c = b[i];
    if (c < '0' || c > '9' || size > (UINT64_MAX - 9) / 10) {
      why = "malformed object size in header";
      return false;
    }
    size = size * 10 + static_cast<std::uint64_t>(c - '0');
  }
  h.size = size;
  h.rest.assign(b.substr(nul + 1));
  return true;
}

struct LooseBackend {
  git_odb_backend parent;  // first: libgit2 hands us this pointer
  std::string dir;
};

LooseBackend& self(git_odb_backend* b) { return *reinterpret_cast<LooseBackend*>(b); }

int error(const std::string& why) {
  git_error_set_str(GIT_ERROR_ODB, why.c_str());
  return GIT_ERROR;
}

int open_or_report(LooseBackend& b, const git_oid* oid, int& fd) {
  std::string why;
  switch (open_loose(b.dir, *oid, fd, why)) {
    case Open::Ok: return 0;
    case Open::Absent:
      git_error_set_str(GIT_ERROR_ODB, fmt::format("object {} not found", oid_hex(*oid)).c_str());
      return GIT_ENOTFOUND;
    case Open::Bad: break;
  }
  return error(why);
}

int loose_read_header(std::size_t* len, git_object_t* type, git_odb_backend* backend, const git_oid* oid) {
  int fd = -1;
  if (const int rc = open_or_report(self(backend), oid, fd); rc != 0) return rc;
  Fd owned(fd);
  Inflater in(fd);
  Header h;
  std::string why;
  if (!read_header(in, h, why)) return error(fmt::format("loose object {}: {}", oid_hex(*oid), why));
  if (h.size > SIZE_MAX) return error(fmt::format("loose object {}: size does not fit in memory", oid_hex(*oid)));
  *len = static_cast<std::size_t>(h.size);
  *type = h.type;
  return 0;
}

// Never produces more than the header declares: a "small" object that inflates to gigabytes is
// an error after `size` bytes, not an allocation of gigabytes.
int loose_read(void** out, std::size_t* len, git_object_t* type, git_odb_backend* backend, const git_oid* oid) {
  int fd = -1;
  if (const int rc = open_or_report(self(backend), oid, fd); rc != 0) return rc;
  Fd owned(fd);
  Inflater in(fd);
  Header h;
  std::string why;
  const std::string id = oid_hex(*oid);
  if (!read_header(in, h, why)) return error(fmt::format("loose object {}: {}", id, why));
  if (h.size > SIZE_MAX / 2) return error(fmt::format("loose object {}: size does not fit in memory", id));
  const std::size_t size = static_cast<std::size_t>(h.size);
  if (h.rest.size() > size) return error(fmt::format("loose object {}: longer than its header says", id));
  auto* data = static_cast<unsigned char*>(git_odb_backend_data_alloc(backend, size + 1));
  if (!data) return error(fmt::format("loose object {}: cannot allocate {} bytes", id, size));
  std::memcpy(data, h.rest.data(), h.rest.size());
  std::size_t got = h.rest.size();
  Inflater::Status st = Inflater::Status::End;
  if (got < size) {
    std::size_t n = 0;
    st = in.fill(data + got, size - got, n);
    got += n;
  }
  // Whatever stopped the fill, the stream must now be exactly at its end.
  unsigned char extra = 0;
  std::size_t more = 0;
  if (st == Inflater::Status::Full || (st == Inflater::Status::End && got == size)) {
    st = in.fill(&extra, 1, more);
    if (st == Inflater::Status::Full) why = "longer than its header says";
  }
  if (st == Inflater::Status::Error) why = in.error();
  if (st != Inflater::Status::End || got != size || more != 0) {
    if (why.empty()) why = fmt::format("{} bytes where the header declares {}", got, size);
    git_odb_backend_data_free(backend, data);
    return error(fmt::format("loose object {}: {}", id, why));
  }
  data[size] = 0;
  *out = data;
  *len = size;
  *type = h.type;
  return 0;
}

int loose_exists(git_odb_backend* backend, const git_oid* oid) {
  int fd = -1;
  std::string why;
  if (open_loose(self(backend).dir, *oid, fd, why) != Open::Ok) return 0;
  ::close(fd);
  return 1;
}

bool is_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// An abbreviated id (`len` hex digits) among the loose objects of one fan-out folder.
int loose_exists_prefix(git_oid* out, git_odb_backend* backend, const git_oid* short_id, std::size_t len) {
  const std::string hex = oid_hex(*short_id).substr(0, len);
  if (len < 2) return GIT_EAMBIGUOUS;
  // Not opendir(): it would follow objects/XX as a symbolic link out of the repository.
  const int dfd = ::open((self(backend).dir + "/" + hex.substr(0, 2)).c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dfd < 0) return GIT_ENOTFOUND;
  DIR* d = ::fdopendir(dfd);
  if (!d) {
    ::close(dfd);
    return GIT_ENOTFOUND;
  }
  std::string found;
  bool ambiguous = false;
  while (dirent* e = ::readdir(d)) {
    const std::string_view name = e->d_name;
    if (name.size() != GIT_OID_HEXSZ - 2 || !is_hex(name) || !name.starts_with(std::string_view(hex).substr(2))) continue;
    if (!found.empty() && found != name) ambiguous = true;
    found = name;
  }
  ::closedir(d);
  if (ambiguous) {
    git_error_set_str(GIT_ERROR_ODB, fmt::format("short id {} is ambiguous", hex).c_str());
    return GIT_EAMBIGUOUS;
  }
  if (found.empty()) return GIT_ENOTFOUND;
  return git_oid_fromstr(out, (hex.substr(0, 2) + found).c_str());
}

void loose_free(git_odb_backend* backend) { delete &self(backend); }

// libgit2's reader of one pack file, behind provscan's look at each object's delta chain
// (pack_guard.h): an object whose chain loops, runs too deep or leaves the pack is an error
// before libgit2 follows it.
struct GuardedPack {
  git_odb_backend parent;  // first: libgit2 hands us this pointer
  git_odb_backend* inner = nullptr;
  std::shared_ptr<PackChains> chains;
  std::size_t index = 0;
};

GuardedPack& guarded(git_odb_backend* b) { return *reinterpret_cast<GuardedPack*>(b); }

int guard(GuardedPack& g, const git_oid& oid) {
  const auto v = g.chains->check_in_pack(g.index, oid);
  if (!v) {
    git_error_set_str(GIT_ERROR_ODB, fmt::format("object {} not found", oid_hex(oid)).c_str());
    return GIT_ENOTFOUND;
  }
  return v->ok ? 0 : error(v->error);
}

int pack_read(void** out, std::size_t* len, git_object_t* type, git_odb_backend* backend, const git_oid* oid) {
  GuardedPack& g = guarded(backend);
  if (const int rc = guard(g, *oid); rc != 0) return rc;
  return g.inner->read(out, len, type, g.inner, oid);
}

int pack_read_header(std::size_t* len, git_object_t* type, git_odb_backend* backend, const git_oid* oid) {
  GuardedPack& g = guarded(backend);
  if (const int rc = guard(g, *oid); rc != 0) return rc;
  return g.inner->read_header(len, type, g.inner, oid);
}

int pack_read_prefix(git_oid* out_oid, void** out, std::size_t* len, git_object_t* type, git_odb_backend* backend,
                     const git_oid* short_id, std::size_t n) {
  GuardedPack& g = guarded(backend);
  git_oid full;
  if (const int rc = g.inner->exists_prefix(&full, g.inner, short_id, n); rc != 0) return rc;
  if (const int rc = guard(g, full); rc != 0) return rc;
  if (const int rc = g.inner->read(out, len, type, g.inner, &full); rc != 0) return rc;
  git_oid_cpy(out_oid, &full);
  return 0;
}

int pack_exists(git_odb_backend* backend, const git_oid* oid) {
  GuardedPack& g = guarded(backend);
  return g.inner->exists(g.inner, oid);
}

int pack_exists_prefix(git_oid* out, git_odb_backend* backend, const git_oid* short_id, std::size_t n) {
  GuardedPack& g = guarded(backend);
  return g.inner->exists_prefix(out, g.inner, short_id, n);
}

int pack_refresh(git_odb_backend* backend) {
  GuardedPack& g = guarded(backend);
  return g.inner->refresh ? g.inner->refresh(g.inner) : 0;
}

int pack_foreach(git_odb_backend* backend, git_odb_foreach_cb cb, void* payload) {
  GuardedPack& g = guarded(backend);
  return g.inner->foreach(g.inner, cb, payload);
}

void pack_free(git_odb_backend* backend) {
  GuardedPack& g = guarded(backend);
  if (g.inner) g.inner->free(g.inner);
  delete &g;
}

// The packs of objects/pack: NAME for every NAME.idx beside a NAME.pack, sorted. Anything in
// the folder but a regular file was refused when the repository was opened (a FIFO would block
// libgit2's open()); here the two files are checked again without following links.
std::vector<std::string> pack_names(const std::string& pack_dir) {
  std::vector<std::string> names;
  const int dfd = ::open(pack_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dfd < 0) {
    if (errno == ENOENT) return names;
    throw Error(fmt::format("objects/pack: {}", std::strerror(errno)));
  }
  DIR* d = ::fdopendir(dfd);
  if (!d) {
    ::close(dfd);
    throw Error(fmt::format("objects/pack: {}", std::strerror(errno)));
  }
  auto regular = [&](const std::string& name) {
    struct stat st {};
    return ::fstatat(dfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
  };
  while (dirent* e = ::readdir(d)) {
    const std::string_view name = e->d_name;
    if (name.size() <= 4 || !name.ends_with(".idx")) continue;
    const std::string base(name.substr(0, name.size() - 4));
    if (regular(base + ".idx") && regular(base + ".pack")) names.push_back(base);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

// A backend of ours (B starts with its git_odb_backend `parent`), initialized, with the `free`
// that deletes it.
template <class B>
B* new_backend(const char* what, void (*free_fn)(git_odb_backend*)) {
  auto* b = new B{};
  if (git_odb_init_backend(&b->parent, GIT_ODB_BACKEND_VERSION) < 0) {
    delete b;
    throw Error(fmt::format("cannot initialize the {}", what));
  }
  b->parent.free = free_fn;
  return b;
}

// Hands `b` to `odb`; on failure frees it and throws.
template <class B>
void add_backend(git_odb* odb, B* b, int priority, const char* what) {
  if (git_odb_add_backend(odb, &b->parent, priority) < 0) {
    const std::string why = last_error_message();
    b->parent.free(&b->parent);
    throw Error(fmt::format("cannot add the {}: {}", what, why));
  }
}

}  // namespace

GitOdb open_object_store(const std::string& objects_dir, std::shared_ptr<PackChains>* chains_out) {
  // libgit2 re-hashes (SHA-1 with collision detection) every object it reads to check it
  // against its id: about a fifth of `provscan blame` on redis. provscan does not rely on that
  // check for safety: objects are looked up by id in this repository's own packs (whose index
  // and pack checksums libgit2 still uses), every reader is bounded (our loose reader never
  // produces more than the header declares, tree and commit parsers reject malformed bytes),
  // and a corrupt object is at worst scanned as the content it has, which is what `git` shows
  // too. A process-wide libgit2 setting; it only ever disables a check, never enables a read.
  git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  git_odb* raw = nullptr;
  check(git_odb_new(&raw), "cannot create an object database");
  GitOdb odb(raw);

  auto* loose = new_backend<LooseBackend>("loose object reader", loose_free);
  loose->dir = objects_dir;
  loose->parent.read = loose_read;
  loose->parent.read_header = loose_read_header;
  loose->parent.exists = loose_exists;
  loose->parent.exists_prefix = loose_exists_prefix;
  add_backend(odb.get(), loose, 1, "loose object reader");

  // One libgit2 reader per pack (git_odb_backend_one_pack), each reading exactly the index that
  // PackChains checks against: libgit2's all-packs reader would also follow a
  // multi-pack-index, which could send a lookup to another pack or offset than the one checked.
  const std::string pack_dir = objects_dir + "/pack";
  const std::vector<std::string> names = pack_names(pack_dir);
  std::shared_ptr<PackChains> chains = PackChains::open(pack_dir, names);
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto* g = new_backend<GuardedPack>("pack reader", pack_free);
    if (git_odb_backend_one_pack(&g->inner, (pack_dir + "/" + names[i] + ".idx").c_str()) < 0) {
      const std::string why = last_error_message();
      pack_free(&g->parent);
      throw Error(fmt::format("cannot open objects/pack/{}.pack: {}", names[i], why));
    }
    g->chains = chains;
    g->index = i;
    g->parent.read = pack_read;
    g->parent.read_header = pack_read_header;
    g->parent.read_prefix = pack_read_prefix;
    g->parent.exists = pack_exists;
    g->parent.exists_prefix = pack_exists_prefix;
    g->parent.refresh = pack_refresh;
    g->parent.foreach = pack_foreach;
    add_backend(odb.get(), g, 2, "pack reader");
    g->inner->odb = odb.get();
  }
  if (chains_out) *chains_out = std::move(chains);
  return odb;
}

}  // namespace provscan::git::detail
