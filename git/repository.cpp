#include "git/repository.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <unordered_map>

#include "common/error.h"
#include "git/detail/libgit2.h"
#include "git/detail/object_store.h"
#include "git/detail/pack_guard.h"
#include "git/detail/refdb.h"
#include "git/detail/repo_files.h"

namespace provscan::git {

using detail::check;
using detail::entry_type;
using detail::EntryType;
using detail::FileStatus;
using detail::read_repo_file;
using detail::last_error_message;
using detail::oid_hex;
using detail::try_parse_oid;

namespace {

// One entry of a tree object, parsed from its raw bytes.
struct TreeEntry {
  std::string_view name;
  std::uint32_t mode = 0;
  git_oid oid{};
};

struct ParsedTree {
  std::string bytes;               // the raw object; entries point into it
  std::vector<TreeEntry> entries;  // sorted by name (stable: duplicates keep object order)
  std::string anomaly;             // set when the object is not in git's canonical form
};

bool is_tree_mode(std::uint32_t mode) { return (mode & 0170000) == 0040000; }

EntryKind classify(std::uint32_t mode) {
  switch (mode & 0170000) {
    case 0120000: return EntryKind::Symlink;
    case 0160000: return EntryKind::Submodule;
    default:
      // Regular files, and any odd mode git would not write: scanning them as files is the
      // safe reading. Git itself only looks at the owner's execute bit.
      return (mode & 0100) ? EntryKind::Executable : EntryKind::Blob;
  }
}

bool blob_like(EntryKind k) { return k != EntryKind::Submodule; }

// "<octal mode> <name>\0<20-byte id>" repeated. Throws Error on malformed bytes.
ParsedTree parse_tree(std::string bytes, const std::string& id) {
  ParsedTree t;
  t.bytes = std::move(bytes);
  const std::string_view b = t.bytes;
  std::size_t p = 0;
  while (p < b.size()) {
    TreeEntry e;
    const std::size_t sp = b.find(' ', p);
    if (sp == std::string_view::npos || sp == p || sp - p > 7) {
      throw Error(fmt::format("malformed tree {}: bad mode at byte {}", id, p));
    }
    for (std::size_t i = p; i < sp; ++i) {
      if (b[i] < '0' || b[i] > '7') throw Error(fmt::format("malformed tree {}: bad mode at byte {}", id, p));
      e.mode = e.mode * 8 + static_cast<std::uint32_t>(b[i] - '0');
    }
    const std::size_t nul = b.find('\0', sp + 1);
    if (nul == std::string_view::npos || b.size() - nul - 1 < GIT_OID_RAWSZ) {
      throw Error(fmt::format("malformed tree {}: truncated entry at byte {}", id, p));
    }
    e.name = b.substr(sp + 1, nul - sp - 1);
    git_oid_fromraw(&e.oid, reinterpret_cast<const unsigned char*>(b.data() + nul + 1));
    t.entries.push_back(e);
    p = nul + 1 + GIT_OID_RAWSZ;
  }
  // git writes entries sorted by name, a subtree's name compared as if it ended in '/', each
  // name once. Anything else was written by hand: it is read all the same, and reported.
  bool unsorted = false, twice = false;
  for (std::size_t i = 1; i < t.entries.size() && !unsorted; ++i) {
    const TreeEntry& a = t.entries[i - 1];
    const TreeEntry& b = t.entries[i];
    const std::string ka = std::string(a.name) + (is_tree_mode(a.mode) ? "/" : "");
    const std::string kb = std::string(b.name) + (is_tree_mode(b.mode) ? "/" : "");
    unsorted = a.name != b.name && !(ka < kb);
  }
  std::stable_sort(t.entries.begin(), t.entries.end(),
                   [](const TreeEntry& x, const TreeEntry& y) { return x.name < y.name; });
  for (std::size_t i = 1; i < t.entries.size() && !twice; ++i) twice = t.entries[i - 1].name == t.entries[i].name;
  if (twice) t.anomaly = "tree object lists a name twice";
  if (unsorted) t.anomaly += std::string(twice ? "; " : "") + "tree object entries are not in git's order";
  return t;
}

const char* type_name(git_object_t t) {
  const char* s = git_object_type2string(t);
  return s && *s ? s : "unknown";
}

// The object database and its packs' delta-chain checker, as the readers below need them.
struct Store {
  git_odb* odb;
  detail::PackChains* packs;
};

}  // namespace

struct Repository::Impl {
  std::string path;        // as given
  std::string git_dir;     // with a trailing '/'
  std::string common_dir;  // refs/, objects/, packed-refs, shallow: the git dir except for a linked work tree
  bool bare = false;
  detail::GitOdb odb;
  std::shared_ptr<detail::PackChains> packs;  // the packs' delta chains, checked before libgit2 reads them
  std::unique_ptr<detail::RefStore> refs;
  Store store() const { return Store{odb.get(), packs.get()}; }
};

namespace {

// Reads a whole object of the expected type, its size checked from the header first.
// The largest object or delta that reading `oid` from a pack builds on the way (its delta
// chain's bases, deltas and intermediate results); 0 for a loose object. The declared size of
// the object itself says nothing about them: a 10-byte blob can be delta'd over a 2 GiB base.
std::uint64_t pack_peak(const Store& s, const git_oid& oid) {
  if (!s.packs) return 0;
  const detail::PackChains::Verdict v = s.packs->check(oid);
  return v.found && v.ok ? v.peak : 0;  // a bad chain is refused by the pack reader itself
}

// Reads a whole object of the expected type, its size (and its delta chain's) checked first.
std::string read_object(const Store& s, const git_oid& oid, git_object_t want, std::uint64_t max_bytes) {
  std::size_t len = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  const std::string id = oid_hex(oid);
  check(git_odb_read_header(&len, &type, s.odb, &oid), fmt::format("cannot read object {}", id));
  if (type != want) {
    throw Error(fmt::format("object {} is a {}, not a {}", id, type_name(type), type_name(want)));
  }
  if (len > max_bytes) {
    throw Error(fmt::format("object {} has {} bytes, over the limit of {}", id, len, max_bytes));
  }
  if (const std::uint64_t peak = pack_peak(s, oid); peak > max_bytes) {
    throw Error(fmt::format("object {} is built from a {}-byte delta base, over the limit of {}", id, peak, max_bytes));
  }
  git_odb_object* raw = nullptr;
  check(git_odb_read(&raw, s.odb, &oid), fmt::format("cannot read object {}", id));
  detail::GitOdbObject obj(raw);
  if (git_odb_object_type(obj.get()) != want) {
    throw Error(fmt::format("object {} is not a {}", id, type_name(want)));
  }
  return std::string(static_cast<const char*>(git_odb_object_data(obj.get())),
                     git_odb_object_size(obj.get()));
}

ParsedTree read_tree(const Store& s, const git_oid& oid) {
  return parse_tree(read_object(s, oid, GIT_OBJECT_TREE, Repository::kMaxTreeBytes), oid_hex(oid));
}


// The recursive tree comparison behind diff_trees.
class TreeDiff {
 public:
  TreeDiff(Store odb, std::vector<Skipped>& skipped, unsigned max_depth, std::vector<Change>* deleted,
           std::uint64_t max_path_bytes)
      : odb_(odb), skipped_(skipped), max_depth_(max_depth), deleted_(deleted), max_path_bytes_(max_path_bytes) {}

  void run(const git_oid* old_tree, const git_oid& new_tree) {
    const ParsedTree* neu = load(new_tree, "");
    if (!neu) return;
    const ParsedTree* old = old_tree ? load(*old_tree, "") : nullptr;
    compare(old, *neu, "", 0);
    auto order = [](const Change& a, const Change& b) {
      return std::tie(a.path, a.new_blob, a.old_blob) < std::tie(b.path, b.new_blob, b.old_blob);
    };
    std::sort(out_.begin(), out_.end(), order);
    if (deleted_) std::sort(deleted_->begin(), deleted_->end(), order);
  }

  std::vector<Change> take() { return std::move(out_); }

 private:
  // Parsed trees are cached for the duration of one diff: a hostile tree may reference the
  // same subtree thousands of times.
  const ParsedTree* load(const git_oid& oid, const std::string& path) {
    const std::string id = oid_hex(oid);
    if (auto it = cache_.find(id); it != cache_.end()) return it->second.get();
    try {
      auto t = std::make_unique<ParsedTree>(read_tree(odb_, oid));
      if (!t->anomaly.empty())
        skipped_.push_back(Skipped{"malformed-tree", "", path, id,
                                   t->anomaly + ": every entry is still compared and scanned", false});
      return cache_.emplace(id, std::move(t)).first->second.get();
    } catch (const Error& e) {
      skipped_.push_back(Skipped{"unreadable-object", "", path, id, e.what(), true});
      cache_.emplace(id, nullptr);
      return nullptr;
    }
  }

  bool over_budget(const std::string& path) {
    path_bytes_ += path.size() + Repository::kDiffEntryOverhead;
    if (++visited_ <= Repository::kMaxTreeEntries && path_bytes_ <= max_path_bytes_) return false;
    if (!budget_reported_) {
      budget_reported_ = true;
      skipped_.push_back(Skipped{"tree-size", "", path, "",
                                 fmt::format("tree comparison stopped after {} entries and {} MiB of paths (limits: {} "
                                             "entries, {} MiB)",
                                             visited_, path_bytes_ >> 20, Repository::kMaxTreeEntries,
                                             max_path_bytes_ >> 20),
                                 true});
    }
    return true;
  }

  void compare(const ParsedTree* old, const ParsedTree& neu, const std::string& prefix,
               unsigned depth) {
    static const std::vector<TreeEntry> kNone;
    const std::vector<TreeEntry>& olds = old ? old->entries : kNone;
    for (const TreeEntry& e : neu.entries) {
      std::string path = prefix.empty() ? std::string(e.name) : prefix + "/" + std::string(e.name);
      if (over_budget(path)) return;
      auto [lo, hi] = std::equal_range(
          olds.begin(), olds.end(), e,
          [](const TreeEntry& x, const TreeEntry& y) { return x.name < y.name; });
      if (is_tree_mode(e.mode)) {
        compare_subtree(lo, hi, e, path, depth);
      } else {
        compare_file(lo, hi, e, std::move(path));
      }
    }
    if (deleted_) record_deletions(olds, neu.entries, prefix, depth);
  }

  // Files present under `olds` and absent (by name and kind) from `news`, for rename
  // detection. A vanished subtree contributes every file below it.
  void record_deletions(const std::vector<TreeEntry>& olds, const std::vector<TreeEntry>& news,
                        const std::string& prefix, unsigned depth) {
    for (const TreeEntry& o : olds) {
      auto [lo, hi] = std::equal_range(
          news.begin(), news.end(), o,
          [](const TreeEntry& x, const TreeEntry& y) { return x.name < y.name; });
      const bool tree = is_tree_mode(o.mode);
      bool present = false;
      for (auto it = lo; it != hi; ++it) present = present || is_tree_mode(it->mode) == tree;
      if (present) continue;
      std::string path = prefix.empty() ? std::string(o.name) : prefix + "/" + std::string(o.name);
      if (over_budget(path)) return;
      if (!tree) {
        if (classify(o.mode) == EntryKind::Submodule) continue;
        Change c;
        c.path = std::move(path);
        c.old_blob = oid_hex(o.oid);
        c.old_kind = classify(o.mode);
        deleted_->push_back(std::move(c));
      } else if (depth + 1 <= max_depth_) {
        if (const ParsedTree* sub = load(o.oid, path)) {
          static const std::vector<TreeEntry> kNone;
          record_deletions(sub->entries, kNone, path, depth + 1);
        }
      }
    }
  }

  using It = std::vector<TreeEntry>::const_iterator;

  void compare_subtree(It lo, It hi, const TreeEntry& e, const std::string& path, unsigned depth) {
    const TreeEntry* old_sub = nullptr;
    for (It it = lo; it != hi; ++it) {
      if (!is_tree_mode(it->mode)) continue;
      if (git_oid_equal(&it->oid, &e.oid)) return;  // identical subtree: nothing to see
      if (!old_sub) old_sub = &*it;
    }
    if (depth + 1 > max_depth_) {
      skipped_.push_back(Skipped{"tree-depth", "", path, oid_hex(e.oid),
                                 fmt::format("tree nested deeper than {} levels", max_depth_),
                                 true});
      return;
    }
    const ParsedTree* neu = load(e.oid, path);
    if (!neu) return;
    // An unreadable old subtree is compared as empty: everything below counts as new.
    const ParsedTree* old = old_sub ? load(old_sub->oid, path) : nullptr;
    compare(old, *neu, path, depth + 1);
  }

  void compare_file(It lo, It hi, const TreeEntry& e, std::string path) {
    const EntryKind kind = classify(e.mode);
    const TreeEntry* base = nullptr;
    for (It it = lo; it != hi; ++it) {
      if (is_tree_mode(it->mode)) continue;  // tree -> file: the file is new
      const EntryKind old_kind = classify(it->mode);
      if (git_oid_equal(&it->oid, &e.oid) && old_kind == kind) return;
      const bool comparable = blob_like(old_kind) == blob_like(kind);
      if (comparable && !base) base = &*it;
    }
    Change c;
    c.path = std::move(path);
    c.new_blob = oid_hex(e.oid);
    c.kind = kind;
    if (base) {
      c.old_blob = oid_hex(base->oid);
      c.old_kind = classify(base->mode);
    }
    out_.push_back(std::move(c));
  }

  Store odb_;
  std::vector<Skipped>& skipped_;
  unsigned max_depth_;
  std::unordered_map<std::string, std::unique_ptr<ParsedTree>> cache_;
  std::vector<Change> out_;
  std::vector<Change>* deleted_;
  std::uint64_t visited_ = 0;
  std::uint64_t max_path_bytes_;
  std::uint64_t path_bytes_ = 0;
  bool budget_reported_ = false;
};

// A name from the repository, shown in a message: control bytes escaped.
std::string shown(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  return out;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Non-blank lines that are not comments.
std::vector<std::string> entries_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    line = trimmed(line);
    if (!line.empty() && line[0] != '#') out.push_back(line);
  }
  return out;
}

bool all_hex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

// The message for a `.git` file (a "gitdir:" pointer, as submodules and linked work trees use).
std::string gitfile_refusal(const std::string& file) {
  std::string text, why;
  std::string target = "unreadable";
  const std::filesystem::path p(file);
  if (read_repo_file(p.parent_path().string(), p.filename().string(), 4096, text, why) == FileStatus::Ok) {
    std::string_view t = text;
    if (t.starts_with("gitdir:")) target = shown(trimmed(t.substr(7)));
  }
  return fmt::format("'{}' is a file pointing to another git directory (gitdir: {}); provscan does not follow it "
                     "out of the folder it was given: pass that git directory itself",
                     shown(file), target);
}

constexpr int kMaxTagChain = 100;

}  // namespace

Repository::Repository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;
Repository::~Repository() = default;

// No libgit2 repository is opened: that would read the repository's configuration and every
// file its include.path / includeIf names, follow a `.git` file, `commondir` and alternates.
// provscan finds the git directory itself, reads refs itself and opens an object database made
// of this directory's own loose objects and packs.
Repository Repository::open(const std::string& path) {
  namespace fs = std::filesystem;
  detail::ensure_libgit2();
  auto fail = [&](const std::string& why) {
    return Error(fmt::format("cannot open repository '{}': {}", path, why));
  };
  std::error_code ec;
  const std::string given = path.empty() ? std::string(".") : path;
  fs::path abs = fs::absolute(given, ec).lexically_normal();
  if (ec) throw fail(ec.message());
  std::string dir = abs.string();
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  const fs::file_status st = fs::status(dir, ec);
  if (ec || !fs::exists(st)) throw fail(fmt::format("could not find repository from '{}'", path));
  if (fs::is_regular_file(st)) throw fail(gitfile_refusal(dir));
  if (!fs::is_directory(st)) throw fail("not a directory");

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  auto git_dir_like = [](const std::string& d) {
    return entry_type(d, "HEAD") == EntryType::File && entry_type(d, "objects") != EntryType::Absent &&
           entry_type(d, "refs") != EntryType::Absent;
  };
  switch (entry_type(dir, ".git")) {
    case EntryType::Directory:
      impl->git_dir = dir + "/.git/";
      break;
    case EntryType::File: throw fail(gitfile_refusal(dir + "/.git"));
    case EntryType::Link:
      throw fail(fmt::format("'{}/.git' is a symbolic link; provscan does not follow it out of the folder it was "
                             "given: pass the git directory it points to itself",
                             shown(dir)));
    default:
      if (!git_dir_like(dir)) throw fail(fmt::format("could not find repository from '{}'", path));
      impl->git_dir = dir + "/";
      impl->bare = true;
  }

  // A linked work tree's git directory names the main repository in `commondir`. Anything else
  // that redirects refs and objects elsewhere is refused.
  impl->common_dir = impl->git_dir;
  std::string text, why;
  switch (read_repo_file(impl->git_dir, "commondir", 4096, text, why)) {
    case FileStatus::Absent: break;
    case FileStatus::Bad: throw fail("cannot read commondir: " + why);
    case FileStatus::Ok: {
      const fs::path target = fs::path(trimmed(text));
      std::error_code common_ec, here_ec;
      const fs::path common =
          fs::weakly_canonical(target.is_absolute() ? target : fs::path(impl->git_dir) / target, common_ec);
      const fs::path here = fs::weakly_canonical(impl->git_dir, here_ec);
      const std::string prefix = common.string() + "/worktrees/";
      if (common_ec || here_ec || common.empty() || !here.string().starts_with(prefix))
        throw fail(fmt::format("commondir points to '{}', outside this repository; provscan does not follow it",
                               shown(trimmed(text))));
      impl->common_dir = common.string() + "/";
    }
  }
  if (!git_dir_like(impl->common_dir) && entry_type(impl->git_dir, "HEAD") != EntryType::File)
    throw fail(fmt::format("could not find repository from '{}'", path));
  for (const char* sub : {"objects", "refs", "objects/pack"}) {
    const EntryType t = entry_type(impl->common_dir, sub);
    if (t == EntryType::Link)
      throw fail(fmt::format("'{}' is a symbolic link; provscan reads nothing outside the repository", sub));
    if (t != EntryType::Directory && std::string_view(sub) != "objects/pack")
      throw fail(fmt::format("'{}' is not a folder", sub));
  }
  // libgit2 opens pack files, indexes and a multi-pack-index with a blocking open() before it
  // looks at what they are: a FIFO there would hang the scan, a link would read elsewhere.
  for (const auto& e : fs::directory_iterator(impl->common_dir + "objects/pack", ec)) {
    std::error_code type_ec;
    const fs::file_status st = e.symlink_status(type_ec);
    if (type_ec || !fs::is_regular_file(st))
      throw fail(fmt::format("'objects/pack/{}' is {}; provscan reads only regular files there",
                             shown(e.path().filename().string()),
                             fs::is_symlink(st) ? "a symbolic link" : fs::is_directory(st) ? "a folder" : "not a regular file"));
  }
  impl->odb = detail::open_object_store(impl->common_dir + "objects", &impl->packs);
  impl->refs = std::make_unique<detail::RefStore>(impl->git_dir, impl->common_dir);
  return Repository(std::move(impl));
}

Repository Repository::reopen() const { return open(impl_->path); }

const std::string& Repository::path() const { return impl_->path; }

bool Repository::is_bare() const { return impl_->bare; }

bool Repository::is_shallow() const { return !shallow_roots().empty(); }

std::string Repository::git_dir() const { return impl_->git_dir; }

namespace {

// What `shallow` says, checked against the objects: git treats every commit listed there as a
// boundary (its parents hidden), but only a commit with a parent missing from the repository is
// one. A hostile `shallow` listing commits whose history is all present would otherwise hide
// that history from the scan; those commits are walked through and reported.
struct ShallowList {
  std::vector<std::string> roots;          // listed, and a parent is absent (or the commit is unreadable)
  std::vector<std::string> walked_through;  // listed, but every parent is present
  std::string bad;                          // why the file could not be read, when it could not
};

ShallowList list_shallow(const std::string& common_dir, const Store& store) {
  ShallowList out;
  std::string text, why;
  switch (read_repo_file(common_dir, "shallow", Repository::kMaxShallowBytes, text, why)) {
    case FileStatus::Absent: return out;
    case FileStatus::Bad: out.bad = why; return out;
    case FileStatus::Ok: break;
  }
  std::vector<std::string> listed;
  git_oid oid;
  for (std::string_view rest = text; !rest.empty();) {
    const std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (try_parse_oid(line, oid)) listed.push_back(oid_hex(oid));
  }
  std::sort(listed.begin(), listed.end());
  listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
  for (const std::string& id : listed) {
    bool boundary = true;
    try {
      git_oid c;
      try_parse_oid(id, c);
      const std::string raw = read_object(store, c, GIT_OBJECT_COMMIT, 64ull << 20);
      std::size_t parents = 0, present = 0;
      for (std::string_view rest = raw; rest.starts_with("tree ") || rest.starts_with("parent ");) {
        const std::size_t nl = rest.find('\n');
        const std::string_view line = rest.substr(0, nl);
        git_oid p;
        if (line.starts_with("parent ") && try_parse_oid(line.substr(7), p)) {
          ++parents;
          present += git_odb_exists(store.odb, &p) ? 1 : 0;
        }
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
      }
      boundary = parents == 0 || present < parents;
    } catch (const Error&) {
      // Unreadable: the walk reports it as a bad commit; as a boundary it hides nothing more.
    }
    (boundary ? out.roots : out.walked_through).push_back(id);
  }
  return out;
}

}  // namespace

std::vector<std::string> Repository::shallow_roots() const {
  return list_shallow(impl_->common_dir, impl_->store()).roots;
}

std::vector<Skipped> Repository::notices() const {
  std::vector<Skipped> out;
  const std::string& common = impl_->common_dir;
  auto file_notice = [&](const char* file, const char* kind, auto describe) {
    std::string text, why;
    switch (read_repo_file(common, file, 1 << 20, text, why)) {
      case FileStatus::Absent: return;
      case FileStatus::Bad: out.push_back(Skipped{kind, "", file, "", "present but unreadable: " + why, false}); return;
      case FileStatus::Ok: {
        const std::vector<std::string> lines = entries_of(text);
        if (!lines.empty()) out.push_back(Skipped{kind, "", file, "", describe(lines), false});
      }
    }
  };
  const ShallowList shallow = list_shallow(common, impl_->store());
  if (!shallow.bad.empty())
    out.push_back(Skipped{"shallow-file", "", "shallow", "",
                          "present but unreadable: " + shallow.bad +
                              "; no commit is treated as a shallow boundary (a missing parent is a bad-commit)",
                          false});
  if (!shallow.walked_through.empty())
    out.push_back(Skipped{"shallow-file", "", "shallow", shallow.walked_through.front(),
                          fmt::format("shallow lists {} commit(s) whose parents are all in the repository (first: {}); "
                                      "git would show no history behind them, provscan walks on and scans it",
                                      shallow.walked_through.size(), shallow.walked_through.front()),
                          false});
  auto borrowed = [](const std::vector<std::string>& lines) {
    return fmt::format("the repository borrows objects from {} other object store(s) (first: '{}'); provscan reads "
                       "only this repository's own objects: anything found only there is reported as unreadable",
                       lines.size(), shown(lines.front()));
  };
  file_notice("objects/info/alternates", "alternates", borrowed);
  file_notice("objects/info/http-alternates", "alternates", borrowed);
  file_notice("info/grafts", "grafts", [](const std::vector<std::string>& lines) {
    return fmt::format("info/grafts rewrites the parents of {} commit(s) for git; provscan ignores it and walks the "
                       "parents recorded in the commits",
                       lines.size());
  });
  for (const std::string& name : impl_->refs->names()) {
    if (!name.starts_with("refs/replace/")) continue;
    const std::string replaced = name.substr(13);
    out.push_back(Skipped{"replace-ref", "", name, all_hex(replaced) ? replaced : std::string(),
                          "git shows another object in place of this one; provscan ignores replace refs and scans "
                          "the objects as recorded",
                          false});
  }
  return out;
}

std::string Repository::peel_to_commit(const std::string& id) const {
  std::string cur = id;
  for (int i = 0; i <= kMaxTagChain; ++i) {
    git_oid oid;
    if (!try_parse_oid(cur, oid)) throw Error(fmt::format("'{}' is not an object id", shown(cur)));
    std::size_t len = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    check(git_odb_read_header(&len, &type, impl_->odb.get(), &oid), fmt::format("cannot read object {}", cur));
    if (type == GIT_OBJECT_COMMIT) return oid_hex(oid);
    if (type != GIT_OBJECT_TAG)
      throw Error(fmt::format("object {} is a {}, not a commit", oid_hex(oid), type_name(type)));
    const std::string tag = read_object(impl_->store(), oid, GIT_OBJECT_TAG, 64ull << 20);
    if (!tag.starts_with("object ") || tag.size() < 47 || !all_hex(std::string_view(tag).substr(7, 40)))
      throw Error(fmt::format("malformed tag {}: no object line", oid_hex(oid)));
    cur = tag.substr(7, 40);
  }
  throw Error(fmt::format("object {}: tag chain longer than {}", id, kMaxTagChain));
}

// git's revision syntax, the part a scan needs: a ref name as git abbreviates it (v1, main,
// origin/main), HEAD or @, a full or abbreviated object id, followed by ~N, ^N, ^{commit}, ^{}.
std::string Repository::resolve_commit(std::string_view rev) const {
  auto fail = [&](const std::string& why) {
    return Error(fmt::format("revision '{}' does not resolve to a commit: {}", shown(rev), why));
  };
  if (rev.empty() || rev.find('\0') != std::string_view::npos) throw fail("invalid revision");
  const std::size_t op = rev.find_first_of("~^");
  std::string base(rev.substr(0, op));
  if (base == "@") base = "HEAD";
  if (base.empty() || base.find(':') != std::string::npos || base.find("@{") != std::string::npos)
    throw fail("unsupported revision syntax (provscan accepts NAME, ID, ~N, ^N, ^{commit})");
  std::string id;
  try {
    if (base.size() == GIT_OID_HEXSZ && all_hex(base)) {
      id = base;
    } else {
      const std::string candidates[] = {base,
                                        "refs/" + base,
                                        "refs/tags/" + base,
                                        "refs/heads/" + base,
                                        "refs/remotes/" + base,
                                        "refs/remotes/" + base + "/HEAD"};
      for (const std::string& name : candidates) {
        const bool top_level = name == base && !base.starts_with("refs/");
        if (top_level && !std::all_of(base.begin(), base.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; }))
          continue;  // as git: only HEAD, FETCH_HEAD, ... are looked up at the top
        if (impl_->refs->exists(name)) {
          id = impl_->refs->resolve(name);
          break;
        }
      }
      if (id.empty() && base.size() >= GIT_OID_MINPREFIXLEN && base.size() < GIT_OID_HEXSZ && all_hex(base)) {
        git_oid short_id, full;
        if (git_oid_fromstrn(&short_id, base.c_str(), base.size()) == 0 &&
            git_odb_exists_prefix(&full, impl_->odb.get(), &short_id, base.size()) == 0)
          id = oid_hex(full);
      }
      if (id.empty()) throw Error(fmt::format("no ref or object named '{}'", shown(base)));
    }
    id = peel_to_commit(id);
    // Suffixes, left to right.
    std::string_view rest = op == std::string_view::npos ? std::string_view() : rev.substr(op);
    while (!rest.empty()) {
      const char kind = rest[0];
      rest.remove_prefix(1);
      if (kind == '^' && (rest.starts_with("{commit}") || rest.starts_with("{}"))) {
        rest.remove_prefix(rest[1] == '}' ? 2 : 8);
        continue;
      }
      std::size_t digits = 0;
      std::uint64_t n = 1;
      if (!rest.empty() && rest[0] >= '0' && rest[0] <= '9') {
        n = 0;
        while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9' && digits < 9)
          n = n * 10 + static_cast<std::uint64_t>(rest[digits++] - '0');
      }
      rest.remove_prefix(digits);
      if (!rest.empty() && rest[0] != '~' && rest[0] != '^')
        throw Error("unsupported revision syntax (provscan accepts NAME, ID, ~N, ^N, ^{commit})");
      if (kind == '^') {
        if (n == 0) continue;
        const Commit c = read_commit(id);
        if (n > c.parents.size()) throw Error(fmt::format("commit {} has no parent number {}", id, n));
        id = c.parents[n - 1];
      } else {
        for (std::uint64_t i = 0; i < n; ++i) {
          const Commit c = read_commit(id);
          if (c.parents.empty()) throw Error(fmt::format("commit {} has no parent", id));
          id = c.parents.front();
        }
      }
    }
  } catch (const Error& e) {
    throw fail(e.what());
  }
  return id;
}

std::vector<Ref> Repository::refs(std::vector<Skipped>& skipped) const {
  auto bad_ref = [&](const std::string& name, const std::string& why) {
    skipped.push_back(Skipped{"bad-ref", "", name, "", why, true});
  };
  for (const auto& [what, why] : impl_->refs->problems()) bad_ref(what, why);

  std::vector<Ref> out;
  auto resolve = [&](const std::string& name) {
    try {
      out.push_back(Ref{name, peel_to_commit(impl_->refs->resolve(name))});
    } catch (const Error& e) {
      bad_ref(name, e.what());
    }
  };
  std::vector<std::pair<std::string, std::string>> listing;
  const std::vector<std::string> names = impl_->refs->names(&listing);
  for (const auto& [what, why] : listing) bad_ref(what, why);
  for (const std::string& name : names) resolve(name);

  // HEAD: an unborn branch is normal (a new repository); a HEAD that names a ref already
  // resolved (or already recorded as broken) is not resolved twice.
  const std::string target = impl_->refs->head_target();
  if (!target.empty() && std::binary_search(names.begin(), names.end(), target)) {
    auto it = std::find_if(out.begin(), out.end(), [&](const Ref& r) { return r.name == target; });
    if (it != out.end()) out.push_back(Ref{"HEAD", it->commit});
  } else if (target.empty() || impl_->refs->exists(target)) {
    resolve("HEAD");
  }
  std::sort(out.begin(), out.end(), [](const Ref& a, const Ref& b) { return a.name < b.name; });
  return out;
}

Commit Repository::read_commit(const std::string& id) const {
  git_oid oid;
  if (!try_parse_oid(id, oid)) throw Error(fmt::format("cannot read commit '{}': not an object id", id));
  const std::string hex = oid_hex(oid);
  std::string raw;
  try {
    // A commit object is small; a huge one is hostile.
    raw = read_object(impl_->store(), oid, GIT_OBJECT_COMMIT, 64ull << 20);
  } catch (const Error& e) {
    throw Error(fmt::format("cannot read commit {}: {}", hex, e.what()));
  }
  return parse_commit(hex, raw);
}

BlobData Repository::read_blob(const std::string& id, std::uint64_t max_bytes) const {
  BlobData b;
  git_oid oid;
  if (!try_parse_oid(id, oid)) {
    b.error = fmt::format("not an object id: '{}'", id);
    return b;
  }
  std::size_t len = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&len, &type, impl_->odb.get(), &oid) < 0) {
    b.error = fmt::format("cannot read blob {}: {}", id, last_error_message());
    return b;
  }
  b.size = len;
  if (type != GIT_OBJECT_BLOB) {
    b.error = fmt::format("object {} is a {}, not a blob", id, type_name(type));
    return b;
  }
  if (len > max_bytes) {
    b.status = BlobData::Status::TooLarge;
    b.error = fmt::format("blob of {} bytes is over the limit of {} bytes", len, max_bytes);
    return b;
  }
  if (const std::uint64_t peak = pack_peak(impl_->store(), oid); peak > max_bytes) {
    b.status = BlobData::Status::TooLarge;
    b.error = fmt::format("blob of {} bytes is built from a {}-byte delta base, over the limit of {} bytes", len,
                          peak, max_bytes);
    return b;
  }
  git_odb_object* raw = nullptr;
  if (git_odb_read(&raw, impl_->odb.get(), &oid) < 0) {
    b.error = fmt::format("cannot read blob {}: {}", id, last_error_message());
    return b;
  }
  detail::GitOdbObject obj(raw);
  const std::size_t size = git_odb_object_size(obj.get());
  if (git_odb_object_type(obj.get()) != GIT_OBJECT_BLOB || size != len) {
    b.error = fmt::format("blob {} does not match its header", id);
    return b;
  }
  b.bytes.assign(static_cast<const char*>(git_odb_object_data(obj.get())), size);
  b.status = BlobData::Status::Ok;
  return b;
}

std::vector<Change> Repository::diff_trees(const std::string& old_tree, const std::string& new_tree,
                                           std::vector<Skipped>& skipped, unsigned max_depth,
                                           std::vector<Change>* deleted, std::uint64_t max_path_bytes) const {
  git_oid new_oid;
  if (!try_parse_oid(new_tree, new_oid)) throw Error(fmt::format("not a tree id: '{}'", new_tree));
  git_oid old_oid;
  const bool has_old = !old_tree.empty();
  if (has_old && !try_parse_oid(old_tree, old_oid)) {
    throw Error(fmt::format("not a tree id: '{}'", old_tree));
  }
  TreeDiff diff(impl_->store(), skipped, max_depth, deleted, max_path_bytes);
  diff.run(has_old ? &old_oid : nullptr, new_oid);
  return diff.take();
}

std::string Repository::blob_at(const std::string& tree, std::string_view path) const {
  git_oid oid;
  if (!try_parse_oid(tree, oid)) throw Error(fmt::format("not a tree id: '{}'", tree));
  std::string_view rest = path;
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view name = rest.substr(0, slash);
    const ParsedTree t = read_tree(impl_->store(), oid);
    auto it = std::lower_bound(t.entries.begin(), t.entries.end(), name,
                               [](const TreeEntry& e, std::string_view n) { return e.name < n; });
    bool found = false;
    for (; it != t.entries.end() && it->name == name; ++it) {
      const bool last = slash == std::string_view::npos;
      if (last && !is_tree_mode(it->mode) && classify(it->mode) != EntryKind::Submodule) {
        return oid_hex(it->oid);
      }
      if (!last && is_tree_mode(it->mode)) {
        oid = it->oid;
        rest = rest.substr(slash + 1);
        found = true;
        break;
      }
    }
    if (!found) return "";
  }
}

}  // namespace provscan::git
