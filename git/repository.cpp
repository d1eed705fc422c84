#include "git/repository.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "common/error.h"
#include "git/detail/libgit2.h"

namespace provscan::git {

using detail::check;
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
  std::stable_sort(t.entries.begin(), t.entries.end(),
                   [](const TreeEntry& x, const TreeEntry& y) { return x.name < y.name; });
  return t;
}

const char* type_name(git_object_t t) {
  const char* s = git_object_type2string(t);
  return s && *s ? s : "unknown";
}

}  // namespace

struct Repository::Impl {
  std::string path;
  detail::GitRepository repo;
  detail::GitOdb odb;
};

namespace {

// Reads a whole object of the expected type, its size checked from the header first.
std::string read_object(git_odb* odb, const git_oid& oid, git_object_t want,
                        std::uint64_t max_bytes) {
  std::size_t len = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  const std::string id = oid_hex(oid);
  check(git_odb_read_header(&len, &type, odb, &oid), fmt::format("cannot read object {}", id));
  if (type != want) {
    throw Error(fmt::format("object {} is a {}, not a {}", id, type_name(type), type_name(want)));
  }
  if (len > max_bytes) {
    throw Error(fmt::format("object {} has {} bytes, over the limit of {}", id, len, max_bytes));
  }
  git_odb_object* raw = nullptr;
  check(git_odb_read(&raw, odb, &oid), fmt::format("cannot read object {}", id));
  detail::GitOdbObject obj(raw);
  if (git_odb_object_type(obj.get()) != want) {
    throw Error(fmt::format("object {} is not a {}", id, type_name(want)));
  }
  return std::string(static_cast<const char*>(git_odb_object_data(obj.get())),
                     git_odb_object_size(obj.get()));
}

ParsedTree read_tree(git_odb* odb, const git_oid& oid) {
  return parse_tree(read_object(odb, oid, GIT_OBJECT_TREE, Repository::kMaxTreeBytes), oid_hex(oid));
}


// The recursive tree comparison behind diff_trees.
class TreeDiff {
 public:
  TreeDiff(git_odb* odb, std::vector<Skipped>& skipped, unsigned max_depth,
           std::vector<Change>* deleted = nullptr)
      : odb_(odb), skipped_(skipped), max_depth_(max_depth), deleted_(deleted) {}

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
      return cache_.emplace(id, std::move(t)).first->second.get();
    } catch (const Error& e) {
      skipped_.push_back(Skipped{"unreadable-object", "", path, id, e.what(), true});
      cache_.emplace(id, nullptr);
      return nullptr;
    }
  }

  bool over_budget(const std::string& path) {
    if (++visited_ <= Repository::kMaxTreeEntries) return false;
    if (!budget_reported_) {
      budget_reported_ = true;
      skipped_.push_back(Skipped{"tree-size", "", path, "",
                                 fmt::format("tree comparison stopped after {} entries",
                                             Repository::kMaxTreeEntries),
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

  git_odb* odb_;
  std::vector<Skipped>& skipped_;
  unsigned max_depth_;
  std::unordered_map<std::string, std::unique_ptr<ParsedTree>> cache_;
  std::vector<Change> out_;
  std::vector<Change>* deleted_;
  std::uint64_t visited_ = 0;
  bool budget_reported_ = false;
};

// Loose ref files under refs/ that libgit2's iterator silently drops when their content is
// corrupt: listing them ourselves lets a broken ref be reported instead of vanishing.
void add_loose_ref_names(const std::string& common_dir, std::set<std::string>& names) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path root = fs::path(common_dir) / "refs";
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) return;
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) break;
    if (it.depth() > 64) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    const std::string name = "refs/" + fs::relative(it->path(), root, ec).generic_string();
    if (ec) continue;
    int valid = 0;
    if (git_reference_name_is_valid(&valid, name.c_str()) == 0 && valid) names.insert(name);
  }
}

}  // namespace

Repository::Repository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;
Repository::~Repository() = default;

Repository Repository::open(const std::string& path) {
  detail::ensure_libgit2();
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  git_repository* repo = nullptr;
  // NO_SEARCH: exactly this path, never a parent directory's repository. Environment
  // variables (GIT_DIR, ...) are not consulted without GIT_REPOSITORY_OPEN_FROM_ENV.
  if (git_repository_open_ext(&repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) < 0) {
    throw Error(fmt::format("cannot open repository '{}': {}", path, last_error_message()));
  }
  impl->repo.reset(repo);
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) < 0) {
    throw Error(fmt::format("cannot open repository '{}': {}", path, last_error_message()));
  }
  impl->odb.reset(odb);
  return Repository(std::move(impl));
}

Repository Repository::reopen() const { return open(impl_->path); }

const std::string& Repository::path() const { return impl_->path; }

bool Repository::is_bare() const { return git_repository_is_bare(impl_->repo.get()) == 1; }

bool Repository::is_shallow() const { return git_repository_is_shallow(impl_->repo.get()) == 1; }

std::string Repository::git_dir() const { return git_repository_path(impl_->repo.get()); }

std::vector<std::string> Repository::shallow_roots() const {
  std::vector<std::string> out;
  std::ifstream in(std::filesystem::path(git_repository_commondir(impl_->repo.get())) / "shallow");
  std::string line;
  git_oid oid;
  while (std::getline(in, line)) {
    if (try_parse_oid(line, oid)) out.push_back(oid_hex(oid));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string Repository::resolve_commit(std::string_view rev) const {
  auto fail = [&](const std::string& why) {
    return Error(fmt::format("revision '{}' does not resolve to a commit: {}", rev, why));
  };
  if (rev.empty() || rev.find('\0') != std::string_view::npos) throw fail("invalid revision");
  const std::string spec(rev);
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, impl_->repo.get(), spec.c_str()) < 0) throw fail(last_error_message());
  detail::GitObject owned(obj);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, owned.get(), GIT_OBJECT_COMMIT) < 0) throw fail(last_error_message());
  detail::GitObject owned_peeled(peeled);
  return oid_hex(*git_object_id(peeled));
}

std::vector<Ref> Repository::refs(std::vector<Skipped>& skipped) const {
  git_repository* repo = impl_->repo.get();
  auto bad_ref = [&](const std::string& name, const std::string& why) {
    skipped.push_back(Skipped{"bad-ref", "", name, "", why, true});
  };

  std::set<std::string> names;
  git_reference_iterator* raw_iter = nullptr;
  if (git_reference_iterator_new(&raw_iter, repo) < 0) {
    bad_ref("(reference database)", "cannot list references: " + last_error_message());
  } else {
    detail::GitReferenceIterator iter(raw_iter);
    const char* name = nullptr;
    int rc = 0;
    while ((rc = git_reference_next_name(&name, iter.get())) == 0) names.insert(name);
    if (rc != GIT_ITEROVER) {
      bad_ref("(reference database)", "cannot list all references: " + last_error_message());
    }
  }
  add_loose_ref_names(git_repository_commondir(repo), names);

  std::vector<Ref> out;
  auto resolve = [&](const std::string& name) -> bool {
    git_reference* r = nullptr;
    if (git_reference_lookup(&r, repo, name.c_str()) < 0) {
      bad_ref(name, last_error_message());
      return false;
    }
    detail::GitReference ref(r);
    git_object* peeled = nullptr;
    if (git_reference_peel(&peeled, ref.get(), GIT_OBJECT_COMMIT) < 0) {
      bad_ref(name, last_error_message());
      return false;
    }
    detail::GitObject obj(peeled);
    out.push_back(Ref{name, oid_hex(*git_object_id(peeled))});
    return true;
  };
  for (const std::string& name : names) {
    if (name.starts_with("refs/")) resolve(name);
  }

  // HEAD: an unborn branch is normal (a new repository); a HEAD that names a broken ref we
  // already recorded is not recorded twice.
  if (git_repository_head_unborn(repo) != 1) {
    git_reference* h = nullptr;
    std::string target;
    if (git_reference_lookup(&h, repo, "HEAD") == 0) {
      detail::GitReference head(h);
      if (git_reference_type(head.get()) == GIT_REFERENCE_SYMBOLIC) {
        target = git_reference_symbolic_target(head.get());
      }
    }
    const bool reported_already = !target.empty() && names.count(target) > 0;
    if (reported_already) {
      auto it = std::find_if(out.begin(), out.end(), [&](const Ref& r) { return r.name == target; });
      if (it != out.end()) out.push_back(Ref{"HEAD", it->commit});
    } else {
      resolve("HEAD");
    }
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
    raw = read_object(impl_->odb.get(), oid, GIT_OBJECT_COMMIT, 64ull << 20);
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
                                           std::vector<Change>* deleted) const {
  git_oid new_oid;
  if (!try_parse_oid(new_tree, new_oid)) throw Error(fmt::format("not a tree id: '{}'", new_tree));
  git_oid old_oid;
  const bool has_old = !old_tree.empty();
  if (has_old && !try_parse_oid(old_tree, old_oid)) {
    throw Error(fmt::format("not a tree id: '{}'", old_tree));
  }
  TreeDiff diff(impl_->odb.get(), skipped, max_depth, deleted);
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
    const ParsedTree t = read_tree(impl_->odb.get(), oid);
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
