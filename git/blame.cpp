#include "git/blame.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <list>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "git/history.h"
#include "git/line_diff.h"

namespace provscan::git {
namespace {

// A 20-byte object id: compared and hashed without allocating (ids come from our own tree
// diff, always 40 hex digits).
struct Oid {
  std::array<unsigned char, 20> b{};
  friend bool operator==(const Oid&, const Oid&) = default;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

Oid oid_of(const std::string& hex) {
  Oid o;
  for (std::size_t i = 0; i < o.b.size() && 2 * i + 1 < hex.size(); ++i) {
    o.b[i] = static_cast<unsigned char>(hex_digit(hex[2 * i]) * 16 + hex_digit(hex[2 * i + 1]));
  }
  return o;
}

std::string hex_of(const Oid& o) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(40, '0');
  for (std::size_t i = 0; i < o.b.size(); ++i) {
    s[2 * i] = kHex[o.b[i] >> 4];
    s[2 * i + 1] = kHex[o.b[i] & 15];
  }
  return s;
}

struct OidHash {
  std::size_t operator()(const Oid& o) const noexcept {
    std::size_t h;
    std::memcpy(&h, o.b.data(), sizeof h);
    return h;
  }
};

constexpr std::uint32_t kNone = UINT32_MAX;

using Origins = std::vector<std::uint32_t>;  // per line, index of the introducing commit
using OriginsPtr = std::shared_ptr<const Origins>;

bool is_regular(EntryKind k) { return k == EntryKind::Blob || k == EntryKind::Executable; }

// What git's diff calls the file type (S_IFMT): a change between types is a 'T' pair.
int type_class(EntryKind k) {
  switch (k) {
    case EntryKind::Symlink: return 1;
    case EntryKind::Submodule: return 2;
    default: return 0;
  }
}

// One path of one commit. `origins` is shared by every commit where the path is unchanged;
// null when the blob could not be read (too large, unreadable).
struct FileState {
  Oid oid;
  EntryKind kind = EntryKind::Blob;
  bool present = false;
  OriginsPtr origins;
};
// Indexed by relevant-path number (dense: O(1) lookups, one flat copy where history forks).
using TreeState = std::vector<FileState>;

// One changed or deleted path of a commit relative to its first parent.
struct Entry {
  std::uint32_t path = 0;  // interned path id
  EntryKind kind = EntryKind::Blob;
  Oid oid;
};

struct CommitDiff {
  std::vector<Entry> changed;  // path order
  std::vector<Entry> deleted;  // path order
};

// A commit that, relative to one parent, both adds and deletes files: the deleted files are
// possible rename sources of the added ones.
struct RenameEvent {
  std::vector<std::uint32_t> added, deleted;
};

// A blob's bytes, and what diffs and rename detection derive from them (computed once).
struct Blob {
  std::string text;
  bool indexed = false;
  LineIndex lines;
  bool hashed = false;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;  // git's span hashes, sorted
};
using BlobPtr = std::shared_ptr<Blob>;

// A small LRU of blobs: the blob a commit writes is usually the one its child diffs.
class BlobCache {
 public:
  BlobCache(const Repository& repo, std::uint64_t max_blob, std::uint64_t budget)
      : repo_(repo), max_blob_(max_blob), budget_(budget) {}

  // Null when the blob is too large or unreadable.
  BlobPtr get(const Oid& id) {
    if (auto it = map_.find(id); it != map_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->blob;
    }
    BlobData data = repo_.read_blob(hex_of(id), max_blob_);
    BlobPtr blob;
    if (data.status == BlobData::Status::Ok) {
      blob = std::make_shared<Blob>();
      blob->text = std::move(data.bytes);
    }
    const std::uint64_t cost = (blob ? blob->text.size() : 0) + 64;
    lru_.push_front(Node{id, blob, cost});
    map_[id] = lru_.begin();
    used_ += cost;
    shrink();
    return blob;
  }

  const LineIndex& lines(const Oid& id, Blob& b) {
    if (!b.indexed) {
      b.lines = index_lines(b.text);
      b.indexed = true;
      charge(id, b.lines.lines.size() * (sizeof(std::string_view) + sizeof(std::uint64_t)));
    }
    return b.lines;
  }

  void charge(const Oid& id, std::uint64_t bytes) {
    if (auto it = map_.find(id); it != map_.end()) {
      it->second->cost += bytes;
      used_ += bytes;
    }
  }

 private:
  struct Node {
    Oid id;
    BlobPtr blob;
    std::uint64_t cost = 0;
  };

  void shrink() {
    while (used_ > budget_ && lru_.size() > 1) {
      const Node& last = lru_.back();
      used_ -= last.cost;
      map_.erase(last.id);
      lru_.pop_back();
    }
  }

  const Repository& repo_;
  std::uint64_t max_blob_, budget_, used_ = 0;
  std::list<Node> lru_;
  std::unordered_map<Oid, std::list<Node>::iterator, OidHash> map_;
};

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Git's similarity estimate (diffcore-delta.c): the text cut into chunks that end at a newline
// or after 64 bytes (a last chunk without either is dropped), each chunk's hash counted with
// its length; CR of a CRLF pair ignored in text. Sorted by hash, one entry per hash.
std::vector<std::pair<std::uint32_t, std::uint32_t>> span_hashes(std::string_view buf) {
  constexpr std::uint32_t kHashBase = 107927;
  const bool is_text = !looks_binary(buf);
  std::unordered_map<std::uint32_t, std::uint32_t> counts;
  std::uint32_t accum1 = 0, accum2 = 0, n = 0;
  const std::size_t sz = buf.size();
  for (std::size_t i = 0; i < sz; ++i) {
    const std::uint32_t c = static_cast<unsigned char>(buf[i]);
    const std::uint32_t old1 = accum1;
    if (is_text && c == '\r' && i + 1 < sz && buf[i + 1] == '\n') continue;
    accum1 = (accum1 << 7) ^ (accum2 >> 25);
    accum2 = (accum2 << 7) ^ (old1 >> 25);
    accum1 += c;
    if (++n < 64 && c != '\n') continue;
    const std::uint32_t hashval = (accum1 + accum2 * 0x61) % kHashBase;
    counts[hashval] += n;
    n = 0;
    accum1 = accum2 = 0;
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out(counts.begin(), counts.end());
  std::sort(out.begin(), out.end());
  return out;
}

constexpr int kMaxScore = 60000;      // MAX_SCORE
constexpr int kRenameScore = 30000;   // DEFAULT_RENAME_SCORE: 50%
constexpr int kBasenameScore = 45000;  // find_basename_matches: halfway to MAX_SCORE

class Blamer {
 public:
  Blamer(const Repository& repo, const BlameOptions& options)
      : repo_(repo), options_(options), blobs_(repo, options.max_blob_bytes, 96ull << 20) {}

  BlameResult run(const std::string& rev) {
    BlameResult result;
    result.rev = repo_.resolve_commit(rev);
    WalkSpec spec;
    spec.include = {result.rev};
    WalkResult walked = walk(repo_, spec);
    commits_ = std::move(walked.commits);
    skipped_ = std::move(walked.skipped);

    std::unordered_map<std::string, std::uint32_t> index;
    for (std::size_t i = 0; i < commits_.size(); ++i) {
      index.emplace(commits_[i].id, static_cast<std::uint32_t>(i));
    }
    parents_.resize(commits_.size());
    children_left_.assign(commits_.size(), 0);
    std::vector<std::vector<std::uint32_t>> children(commits_.size());
    for (std::size_t i = 0; i < commits_.size(); ++i) {
      for (const std::string& p : commits_[i].parents) {
        auto it = index.find(p);
        // A parent outside the walk (shallow boundary, unreadable) explains nothing: git
        // blames its lines on the boundary commit too.
        parents_[i].push_back(it == index.end() ? kNone : it->second);
        if (it != index.end()) {
          ++children_left_[it->second];
          children[it->second].push_back(static_cast<std::uint32_t>(i));
        }
      }
    }
    const std::vector<std::uint32_t> order = chain_order(children);

    // The files of REV.
    const auto rev_it = index.find(result.rev);
    std::vector<Skipped> rev_skipped;
    const std::string rev_tree =
        rev_it != index.end() ? commits_[rev_it->second].tree : repo_.read_commit(result.rev).tree;
    const std::vector<Change> rev_files = repo_.diff_trees("", rev_tree, rev_skipped);
    for (Skipped& s : rev_skipped) s.commit = result.rev;
    skipped_.insert(skipped_.end(), rev_skipped.begin(), rev_skipped.end());

    // One tree diff per commit and parent, kept compactly; then the paths that can carry
    // lines into REV's files; then the line pass, reusing the diffs.
    diffs_.resize(commits_.size());
    for (std::uint32_t c : order) diff_commit(c);
    relevant_.assign(paths_.size(), 0);
    for (const Change& c : rev_files) relevant_[intern(c.path)] = 1;
    close_relevance();
    rel_.assign(paths_.size(), kNone);
    for (std::size_t p = 0; p < paths_.size(); ++p) {
      if (relevant_[p]) rel_[p] = num_relevant_++;
    }

    states_.resize(commits_.size());
    for (std::uint32_t c : order) process(c);

    const TreeState* final_state =
        rev_it != index.end() ? states_[rev_it->second].get() : nullptr;
    for (const Change& c : rev_files) {
      Skipped s;
      s.commit = result.rev;
      s.path = c.path;
      s.object = c.new_blob;
      if (c.kind == EntryKind::Submodule || c.kind == EntryKind::Symlink) {
        s.kind = c.kind == EntryKind::Submodule ? "submodule" : "symlink";
        s.reason = c.kind == EntryKind::Submodule ? "submodule: not a file of this repository"
                                                  : "symbolic link: no lines to attribute";
        skipped_.push_back(std::move(s));
        continue;
      }
      BlobData data = repo_.read_blob(c.new_blob, options_.max_blob_bytes);
      if (data.status != BlobData::Status::Ok) {
        const bool large = data.status == BlobData::Status::TooLarge;
        s.kind = large ? "blob-too-large" : "unreadable-object";
        s.reason = large && data.size > options_.max_blob_bytes
                       ? "blob of " + std::to_string(data.size) + " bytes exceeds the limit"
                       : data.error;  // unreadable, or built from a delta base over the limit
        s.incomplete = true;
        skipped_.push_back(std::move(s));
        continue;
      }
      if (looks_binary(data.bytes)) {
        s.kind = "binary";
        s.reason = "binary file: no lines to attribute";
        skipped_.push_back(std::move(s));
        continue;
      }
      const FileState* fs = nullptr;
      if (final_state != nullptr) {
        const std::uint32_t r = rel_[path_ids_.at(c.path)];
        const FileState& f = (*final_state)[r];
        if (f.present && f.oid == oid_of(c.new_blob)) fs = &f;
      }
      if (fs == nullptr || !fs->origins || fs->origins->size() != count_lines(data.bytes)) {
        s.kind = "unreadable-object";
        s.reason = "history of the file could not be followed";
        s.incomplete = true;
        skipped_.push_back(std::move(s));
        continue;
      }
      FileBlame fb;
      fb.path = c.path;
      fb.line_commits.reserve(fs->origins->size());
      for (std::uint32_t o : *fs->origins) fb.line_commits.push_back(commits_[o].id);
      result.files.push_back(std::move(fb));
    }
    std::sort(result.files.begin(), result.files.end(),
              [](const FileBlame& a, const FileBlame& b) { return a.path < b.path; });
    std::sort(skipped_.begin(), skipped_.end());
    skipped_.erase(std::unique(skipped_.begin(), skipped_.end()), skipped_.end());
    result.skipped = std::move(skipped_);
    return result;
  }

 private:
  static std::size_t count_lines(std::string_view text) {
    std::size_t n = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    if (!text.empty() && text.back() != '\n') ++n;
    return n;
  }

  // Parents before children, and a commit's children as soon as they are ready (depth first):
  // along a line of history the state moves from commit to commit instead of being copied,
  // few states are alive at once, and the blob a commit writes is still cached when its child
  // diffs it. Any parents-first order gives the same answer.
  std::vector<std::uint32_t> chain_order(const std::vector<std::vector<std::uint32_t>>& children) {
    const std::size_t n = commits_.size();
    std::vector<std::uint32_t> waiting(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::uint32_t p : parents_[i]) waiting[i] += p != kNone;
    }
    std::vector<std::uint32_t> stack, order;
    order.reserve(n);
    for (std::size_t i = n; i-- > 0;) {
      if (waiting[i] == 0) stack.push_back(static_cast<std::uint32_t>(i));
    }
    while (!stack.empty()) {
      const std::uint32_t c = stack.back();
      stack.pop_back();
      order.push_back(c);
      const auto& kids = children[c];
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
        if (--waiting[*it] == 0) stack.push_back(*it);
      }
    }
    return order;  // the walk is parents-first already, so every commit is reached
  }

  std::uint32_t intern(const std::string& path) {
    auto [it, fresh] = path_ids_.emplace(path, static_cast<std::uint32_t>(paths_.size()));
    if (fresh) paths_.push_back(path);
    return it->second;
  }

  Entry entry_of(const std::string& path, const std::string& blob, EntryKind kind) {
    return Entry{intern(path), kind, oid_of(blob)};
  }

  // The commit's tree diff against its first parent (kept for the line pass) and, for a
  // merge, against the other parents (only which files each adds and deletes, when it does
  // both: the rename candidates).
  void diff_commit(std::uint32_t c) {
    const Commit& commit = commits_[c];
    const std::uint32_t p0 = parents_[c].empty() ? kNone : parents_[c][0];
    std::vector<Skipped> skipped;
    std::vector<Change> deleted;
    const std::vector<Change> changes =
        repo_.diff_trees(p0 != kNone ? commits_[p0].tree : std::string(), commit.tree, skipped,
                         4096, &deleted);
    for (Skipped& s : skipped) {
      s.commit = commit.id;
      skipped_.push_back(std::move(s));
    }
    CommitDiff& d = diffs_[c];
    d.changed.reserve(changes.size());
    for (const Change& ch : changes) d.changed.push_back(entry_of(ch.path, ch.new_blob, ch.kind));
    d.deleted.reserve(deleted.size());
    for (const Change& ch : deleted) d.deleted.push_back(entry_of(ch.path, ch.old_blob, ch.old_kind));
    if (p0 != kNone) note_renames(changes, deleted);

    std::vector<Skipped> ignored;  // the first-parent diff above records tree problems
    for (std::size_t k = 1; k < parents_[c].size(); ++k) {
      const std::uint32_t p = parents_[c][k];
      if (p == kNone) continue;
      std::vector<Change> del_k;
      const std::vector<Change> ch_k = repo_.diff_trees(commits_[p].tree, commit.tree, ignored, 4096, &del_k);
      note_renames(ch_k, del_k);
    }
  }

  void note_renames(const std::vector<Change>& changes, const std::vector<Change>& deleted) {
    if (deleted.empty()) return;
    RenameEvent ev;
    for (const Change& ch : changes) {
      if (ch.old_blob.empty()) ev.added.push_back(intern(ch.path));
    }
    if (ev.added.empty()) return;
    for (const Change& d : deleted) ev.deleted.push_back(intern(d.path));
    events_.push_back(std::move(ev));
  }

  // A deleted path can carry lines into a path of REV only as a rename source: of a file that
  // a commit adds (relative to the same parent) and that itself carries lines into REV. Every
  // file deleted alongside such an addition is kept (a superset: which one git picks depends on
  // contents, decided in the line pass), to a fixed point.
  void close_relevance() {
    bool changed = true;
    while (changed) {
      changed = false;
      for (const RenameEvent& ev : events_) {
        bool wanted = false;
        for (std::uint32_t a : ev.added) wanted = wanted || relevant_[a];
        if (!wanted) continue;
        for (std::uint32_t d : ev.deleted) {
          if (!relevant_[d]) relevant_[d] = 1, changed = true;
        }
      }
    }
    events_.clear();
    events_.shrink_to_fit();
  }

  void release_parents(std::uint32_t c) {
    for (std::uint32_t p : parents_[c]) {
      if (p == kNone) continue;
      if (--children_left_[p] == 0) states_[p].reset();
    }
  }

  // A relevant path this commit changes: its new entry and its first parent's version.
  struct Todo {
    std::uint32_t rel;
    const Entry* entry;
    FileState old;
  };
  // A relevant file deleted relative to the first parent, as it was there.
  struct Deleted {
    const Entry* entry;
    FileState old;
  };

  void process(std::uint32_t c) {
    const CommitDiff& d = diffs_[c];
    const std::uint32_t p0 = parents_[c].empty() ? kNone : parents_[c][0];
    const bool have_p0 = p0 != kNone && states_[p0] != nullptr;
    std::unique_ptr<TreeState> state;
    if (have_p0 && children_left_[p0] == 1) {
      state = std::move(states_[p0]);  // the last child takes the state over
    } else if (have_p0) {
      state = std::make_unique<TreeState>(*states_[p0]);
    } else {
      state = std::make_unique<TreeState>(num_relevant_);
    }

    // New structure first (which relevant paths exist in this commit), origins after.
    std::vector<Deleted> dels;
    for (const Entry& e : d.deleted) {
      const std::uint32_t r = rel_[e.path];
      if (r == kNone) continue;
      FileState& fs = (*state)[r];
      dels.push_back(Deleted{&e, std::move(fs)});
      fs = FileState{};
    }
    std::vector<Todo> todo;
    for (const Entry& e : d.changed) {
      const std::uint32_t r = rel_[e.path];
      if (r == kNone) continue;
      FileState& fs = (*state)[r];
      FileState old = std::move(fs);
      fs = FileState{};
      if (e.kind == EntryKind::Submodule) continue;
      fs.oid = e.oid;
      fs.kind = e.kind;
      fs.present = true;
      todo.push_back(Todo{r, &e, std::move(old)});
    }
    for (const Todo& t : todo) (*state)[t.rel].origins = origins_for(c, t, dels, *state);
    // A merge: a path unchanged from the first parent keeps its origins (git passes the whole
    // blame to the first parent whose blob is identical, and the first parent comes first).

    diffs_[c] = CommitDiff{};  // `dels` and `todo` pointed into it
    release_parents(c);
    // Every commit of the walk but REV has a child in it, so only REV's state outlives the loop.
    states_[c] = std::move(state);
  }

  // A rename candidate: a file of the parent that this commit no longer has.
  struct Source {
    std::uint32_t path;  // interned id
    const FileState* fs;
  };

  int estimate_similarity(const Source& src, const Entry& dst, int minimum_score) {
    if (!is_regular(src.fs->kind) || !is_regular(dst.kind)) return 0;
    const BlobPtr a = blobs_.get(src.fs->oid);
    const BlobPtr b = blobs_.get(dst.oid);
    if (!a || !b) return 0;
    const std::uint64_t sa = a->text.size(), sb = b->text.size();
    const std::uint64_t max_size = std::max(sa, sb), base_size = std::min(sa, sb);
    const std::uint64_t delta = max_size - base_size;
    if (max_size * static_cast<std::uint64_t>(kMaxScore - minimum_score) <
        delta * static_cast<std::uint64_t>(kMaxScore)) {
      return 0;
    }
    const auto& sa_spans = spans(src.fs->oid, *a);
    const auto& sb_spans = spans(dst.oid, *b);
    std::uint64_t copied = 0;
    std::size_t i = 0, j = 0;
    while (i < sa_spans.size() && j < sb_spans.size()) {
      if (sa_spans[i].first < sb_spans[j].first) {
        ++i;
      } else if (sb_spans[j].first < sa_spans[i].first) {
        ++j;
      } else {
        copied += std::min(sa_spans[i].second, sb_spans[j].second);
        ++i, ++j;
      }
    }
    if (sb == 0) return 0;
    return static_cast<int>(copied * kMaxScore / max_size);
  }

  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& spans(const Oid& id, Blob& b) {
    if (!b.hashed) {
      b.spans = span_hashes(b.text);
      b.hashed = true;
      blobs_.charge(id, b.spans.size() * sizeof(b.spans[0]));
    }
    return b.spans;
  }

  // What `git blame` finds as the origin of `dst` in a parent that does not have the path
  // (blame.c find_rename: a tree diff with rename detection, following only `dst`): among the
  // parent's files this commit deleted, an identical blob (same base name first, then path
  // order; non-regular files only with the same type), else (regular files only) a source with
  // the same base name, unique among the sources, at least 75% similar, else the most similar
  // source at 50% or more, with git's tie rules (diffcore-rename.c).
  const FileState* find_rename(const std::vector<Source>& sources, const Entry& dst) {
    const std::string_view dst_base = base_name(paths_[dst.path]);
    const Source* best = nullptr;
    int best_score = -1, left = 100;
    for (const Source& s : sources) {
      if (!(s.fs->oid == dst.oid)) continue;
      if ((!is_regular(s.fs->kind) || !is_regular(dst.kind)) && s.fs->kind != dst.kind) continue;
      const int score = 1 + (base_name(paths_[s.path]) == dst_base);
      if (score > best_score) {
        best = &s;
        best_score = score;
        if (score == 2) break;
      }
      if (!--left) break;
    }
    if (best != nullptr) return best->fs;

    // Basename match: the one source with the destination's base name, when no other source
    // shares it.
    const Source* same_base = nullptr;
    int with_base = 0;
    for (const Source& s : sources) {
      if (base_name(paths_[s.path]) == dst_base) {
        ++with_base;
        same_base = &s;
      }
    }
    if (with_base == 1 && estimate_similarity(*same_base, dst, kBasenameScore) >= kBasenameScore) {
      return same_base->fs;
    }

    // The similarity matrix for one destination: the best NUM_CANDIDATE_PER_DST (4)
    // candidates kept as record_if_better does, then a stable sort by score_compare.
    struct Score {
      int score = 0, name_score = 0;
      const Source* src = nullptr;  // null: unused slot
    };
    auto cmp = [](const Score& a, const Score& b) {  // score_compare
      if (a.src == nullptr) return b.src != nullptr ? 1 : 0;
      if (b.src == nullptr) return -1;
      if (a.score == b.score) return b.name_score - a.name_score;
      return b.score - a.score;
    };
    std::array<Score, 4> m{};
    for (const Source& s : sources) {
      Score o;
      o.score = estimate_similarity(s, dst, kRenameScore);
      o.name_score = base_name(paths_[s.path]) == dst_base;
      o.src = &s;
      std::size_t worst = 0;
      for (std::size_t i = 1; i < m.size(); ++i) {
        if (cmp(m[i], m[worst]) > 0) worst = i;
      }
      if (cmp(m[worst], o) > 0) m[worst] = o;
    }
    std::stable_sort(m.begin(), m.end(), [&](const Score& a, const Score& b) { return cmp(a, b) < 0; });
    for (const Score& s : m) {
      if (s.src == nullptr || s.score < kRenameScore) break;
      return s.src->fs;
    }
    return nullptr;
  }

  // The rename candidates in parent k (path order).
  std::vector<Source> rename_sources(std::uint32_t c, std::size_t k,
                                     const std::vector<Deleted>& dels, const TreeState& now) {
    std::vector<Source> out;
    if (k == 0) {
      for (const Deleted& d : dels) {
        if (d.old.present) out.push_back(Source{d.entry->path, &d.old});
      }
      return out;
    }
    const std::uint32_t p = parents_[c][k];
    if (p == kNone || !states_[p]) return out;
    const TreeState& st = *states_[p];
    for (std::uint32_t path = 0; path < rel_.size(); ++path) {
      const std::uint32_t r = rel_[path];
      if (r == kNone || !st[r].present || now[r].present) continue;
      out.push_back(Source{path, &st[r]});
    }
    std::sort(out.begin(), out.end(),
              [&](const Source& a, const Source& b) { return paths_[a.path] < paths_[b.path]; });
    return out;
  }

  // git blame's pass_blame for one path of one commit: pass 0 (find_origin: the same path in
  // each parent; an identical blob takes all), pass 1 (find_rename for parents without the
  // path), then a line diff against each parent's version in order; what no parent explains
  // is this commit's.
  OriginsPtr origins_for(std::uint32_t c, const Todo& t, const std::vector<Deleted>& dels,
                         const TreeState& now) {
    const Entry& e = *t.entry;
    const std::size_t np = parents_[c].size();
    std::vector<const FileState*> from(np, nullptr), sg(np, nullptr);
    std::vector<char> usable(np, 0);
    for (std::size_t k = 0; k < np; ++k) {
      const std::uint32_t p = parents_[c][k];
      if (p == kNone) continue;
      const FileState* f = nullptr;
      if (k == 0) {
        f = t.old.present ? &t.old : nullptr;
      } else if (states_[p]) {
        const FileState& fs = (*states_[p])[t.rel];
        f = fs.present ? &fs : nullptr;
      } else {
        continue;
      }
      usable[k] = 1;
      // A type change (file <-> symbolic link) is a 'T' pair: neither an origin nor a rename.
      if (f != nullptr && type_class(f->kind) != type_class(e.kind)) {
        usable[k] = 0;
        continue;
      }
      from[k] = f;
    }
    auto seen_before = [&](std::size_t k, const Oid& oid) {
      for (std::size_t j = 0; j < k; ++j) {
        if (sg[j] != nullptr && sg[j]->oid == oid) return true;
      }
      return false;
    };
    for (std::size_t k = 0; k < np; ++k) {
      const FileState* f = from[k];
      if (f == nullptr) continue;
      if (f->oid == e.oid) return f->origins;
      if (!seen_before(k, f->oid)) sg[k] = f;
    }
    for (std::size_t k = 0; k < np; ++k) {
      if (!usable[k] || from[k] != nullptr) continue;
      const std::vector<Source> sources = rename_sources(c, k, dels, now);
      if (sources.empty()) continue;
      const FileState* src = find_rename(sources, e);
      if (src == nullptr) continue;
      if (src->oid == e.oid) return src->origins;
      if (!seen_before(k, src->oid)) sg[k] = src;
    }

    const BlobPtr blob = blobs_.get(e.oid);
    if (!blob) return nullptr;
    const LineIndex& now_lines = blobs_.lines(e.oid, *blob);
    auto out = std::make_shared<Origins>(now_lines.lines.size(), c);
    std::size_t left = out->size();
    for (std::size_t k = 0; k < np && left > 0; ++k) {
      const FileState* pf = sg[k];
      if (pf == nullptr || !pf->origins) continue;
      const BlobPtr old_blob = blobs_.get(pf->oid);
      if (!old_blob) continue;
      const LineIndex& old_lines = blobs_.lines(pf->oid, *old_blob);
      if (old_lines.lines.size() != pf->origins->size()) continue;
      const std::vector<std::int64_t> map = line_origins(old_lines, now_lines);
      for (std::size_t j = 0; j < map.size() && j < out->size(); ++j) {
        if ((*out)[j] != c || map[j] < 0) continue;
        (*out)[j] = (*pf->origins)[static_cast<std::size_t>(map[j])];
        --left;
      }
    }
    return out;
  }

  const Repository& repo_;
  BlameOptions options_;
  BlobCache blobs_;
  std::vector<Commit> commits_;
  std::vector<std::vector<std::uint32_t>> parents_;
  std::vector<std::uint32_t> children_left_;
  std::vector<CommitDiff> diffs_;
  std::vector<RenameEvent> events_;
  std::unordered_map<std::string, std::uint32_t> path_ids_;
  std::vector<std::string> paths_;
  std::vector<char> relevant_;    // by path id
  std::vector<std::uint32_t> rel_;  // path id -> relevant-path number, or kNone
  std::uint32_t num_relevant_ = 0;
  std::vector<std::unique_ptr<TreeState>> states_;
  std::vector<Skipped> skipped_;
};

}  // namespace

BlameResult blame_all(const Repository& repo, const std::string& rev, const BlameOptions& options) {
  Blamer blamer(repo, options);
  return blamer.run(rev);
}

}  // namespace provscan::git
