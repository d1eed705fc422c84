#include "git/blame.h"

#include <algorithm>
#include <list>
#include <map>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "git/history.h"
#include "git/line_diff.h"

namespace provscan::git {
namespace {

using Origins = std::vector<std::uint32_t>;  // per line, index of the introducing commit
using OriginsPtr = std::shared_ptr<const Origins>;

// One path of one commit. `origins` is shared by every commit where the path is unchanged;
// null when the blob could not be read (too large, unreadable) or is not a blob (submodule).
struct FileState {
  std::string blob;
  EntryKind kind = EntryKind::Blob;
  OriginsPtr origins;
};
using TreeState = std::map<std::string, FileState>;

// A small LRU of blob contents: the blob a commit writes is usually the one its child diffs.
class BlobCache {
 public:
  BlobCache(const Repository& repo, std::uint64_t max_blob, std::uint64_t budget)
      : repo_(repo), max_blob_(max_blob), budget_(budget) {}

  // Null when the blob is too large or unreadable.
  std::shared_ptr<const std::string> get(const std::string& id) {
    if (auto it = map_.find(id); it != map_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->second;
    }
    BlobData data = repo_.read_blob(id, max_blob_);
    std::shared_ptr<const std::string> text;
    if (data.status == BlobData::Status::Ok) {
      text = std::make_shared<const std::string>(std::move(data.bytes));
    }
    const std::uint64_t cost = (text ? text->size() : 0) + 64;
    lru_.emplace_front(id, text);
    map_[id] = lru_.begin();
    used_ += cost;
    while (used_ > budget_ && lru_.size() > 1) {
      auto& last = lru_.back();
      used_ -= (last.second ? last.second->size() : 0) + 64;
      map_.erase(last.first);
      lru_.pop_back();
    }
    return text;
  }

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const std::string>>;
  const Repository& repo_;
  std::uint64_t max_blob_, budget_, used_ = 0;
  std::list<Entry> lru_;
  std::unordered_map<std::string, std::list<Entry>::iterator> map_;
};

std::size_t count_lines(std::string_view text) {
  std::size_t n = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') ++n;
  return n;
}

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Among `candidates` (paths holding the wanted blob, in path order), git's pick for an exact
// rename to `target`: the same base name first, else the first.
const std::string* pick_rename(const std::vector<const std::string*>& candidates,
                               const std::string& target) {
  if (candidates.empty()) return nullptr;
  for (const std::string* c : candidates) {
    if (base_name(*c) == base_name(target)) return c;
  }
  return candidates.front();
}

class Blamer {
 public:
  Blamer(const Repository& repo, const BlameOptions& options)
      : repo_(repo), options_(options), blobs_(repo, options.max_blob_bytes, 64ull << 20) {}

  BlameResult run(const std::string& rev) {
    BlameResult result;
    result.rev = repo_.resolve_commit(rev);
    WalkSpec spec;
    spec.include = {result.rev};
    WalkResult walked = walk(repo_, spec);
    commits_ = std::move(walked.commits);
    skipped_ = std::move(walked.skipped);

    for (std::size_t i = 0; i < commits_.size(); ++i) {
      index_.emplace(commits_[i].id, static_cast<std::uint32_t>(i));
    }
    parents_.resize(commits_.size());
    children_left_.assign(commits_.size(), 0);
    for (std::size_t i = 0; i < commits_.size(); ++i) {
      for (const std::string& p : commits_[i].parents) {
        auto it = index_.find(p);
        // A parent outside the walk (shallow boundary, unreadable) explains nothing: git
        // blames its lines on the boundary commit too.
        parents_[i].push_back(it == index_.end() ? kNone : it->second);
        if (it != index_.end()) ++children_left_[it->second];
      }
    }

    // The files of REV, and every path that can carry lines into them.
    const auto rev_it = index_.find(result.rev);
    std::vector<Skipped> rev_skipped;
    const std::string rev_tree =
        rev_it != index_.end() ? commits_[rev_it->second].tree
                               : repo_.read_commit(result.rev).tree;
    const std::vector<Change> rev_files = repo_.diff_trees("", rev_tree, rev_skipped);
    for (Skipped& s : rev_skipped) s.commit = result.rev;
    skipped_.insert(skipped_.end(), rev_skipped.begin(), rev_skipped.end());
    for (const Change& c : rev_files) relevant_.insert(c.path);
    find_rename_sources();

    states_.resize(commits_.size());
    for (std::size_t i = 0; i < commits_.size(); ++i) process(static_cast<std::uint32_t>(i));

    const TreeState* final_state =
        rev_it != index_.end() ? states_[rev_it->second].get() : nullptr;
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
        s.reason = large ? "blob of " + std::to_string(data.size) + " bytes exceeds the limit"
                         : data.error;
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
        auto it = final_state->find(c.path);
        if (it != final_state->end() && it->second.blob == c.new_blob) fs = &it->second;
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
  static constexpr std::uint32_t kNone = UINT32_MAX;

  // A deleted path can carry lines into a path of REV only as the source of an exact rename:
  // a file that a commit deletes (relative to one parent) while adding a file with the same
  // blob. Every such source is kept (a superset of the transitive closure from REV's paths).
  void find_rename_sources() {
    std::vector<Skipped> ignored;  // the second pass records tree problems
    for (std::size_t i = 0; i < commits_.size(); ++i) {
      const Commit& c = commits_[i];
      const std::size_t np = std::max<std::size_t>(c.parents.size(), 1);
      for (std::size_t k = 0; k < np; ++k) {
        const bool has_parent = k < c.parents.size() && parents_[i][k] != kNone;
        if (!has_parent) continue;  // no parent: nothing deleted
        const std::string& ptree = commits_[parents_[i][k]].tree;
        std::vector<Change> deleted;
        const std::vector<Change> changes = repo_.diff_trees(ptree, c.tree, ignored, 4096, &deleted);
        if (deleted.empty()) continue;
        std::unordered_set<std::string> added_blobs;
        for (const Change& ch : changes) {
          if (ch.old_blob.empty()) added_blobs.insert(ch.new_blob);
        }
        for (const Change& d : deleted) {
          if (added_blobs.count(d.old_blob)) relevant_.insert(d.path);
        }
      }
    }
  }

  void release_parents(std::uint32_t c) {
    for (std::uint32_t p : parents_[c]) {
      if (p == kNone) continue;
      if (--children_left_[p] == 0) states_[p].reset();
    }
  }

  void process(std::uint32_t c) {
    const Commit& commit = commits_[c];
    const std::uint32_t p0 = parents_[c].empty() ? kNone : parents_[c][0];
    const bool have_p0 = p0 != kNone && states_[p0] != nullptr;
    std::vector<Skipped> skipped;
    std::vector<Change> deleted;
    const std::vector<Change> changes = repo_.diff_trees(
        have_p0 ? commits_[p0].tree : std::string(), commit.tree, skipped, 4096, &deleted);
    for (Skipped& s : skipped) {
      s.commit = commit.id;
      skipped_.push_back(std::move(s));
    }

    // The first parent's state as it was (read-only), then the new state built on it.
    const TreeState* p0_state = have_p0 ? states_[p0].get() : nullptr;
    std::unique_ptr<TreeState> state;
    TreeState p0_saved;  // p0's entries for changed and deleted paths, when `state` was moved
    if (have_p0 && children_left_[p0] == 1) {
      state = std::move(states_[p0]);
      for (const Change& ch : changes) {
        if (auto it = state->find(ch.path); it != state->end()) p0_saved.insert(*it);
      }
      for (const Change& d : deleted) {
        if (auto it = state->find(d.path); it != state->end()) p0_saved.insert(*it);
      }
      p0_state = &p0_saved;
    } else {
      state = std::make_unique<TreeState>(have_p0 ? *states_[p0] : TreeState{});
    }

    // New structure first (which relevant paths exist in this commit), origins after.
    for (const Change& d : deleted) state->erase(d.path);
    std::vector<const Change*> todo;
    for (const Change& ch : changes) {
      if (!relevant_.count(ch.path)) continue;
      if (ch.kind == EntryKind::Submodule) {
        state->erase(ch.path);
        continue;
      }
      FileState& fs = (*state)[ch.path];
      fs.blob = ch.new_blob;
      fs.kind = ch.kind;
      fs.origins.reset();
      todo.push_back(&ch);
    }
    for (const Change* ch : todo) {
      (*state)[ch->path].origins = origins_for(c, *ch, p0_state, deleted, *state);
    }
    // A merge: a path unchanged from the first parent keeps its origins (git passes the whole
    // blame to the first parent whose blob is identical, and the first parent comes first).

    release_parents(c);
    // Every commit of the walk but REV has a child in it, so only REV's state outlives the loop.
    states_[c] = std::move(state);
  }

  // The parent-side version of `path` for parent number k of commit c.
  const FileState* parent_file(std::uint32_t c, std::size_t k, const TreeState* p0_state,
                               const std::string& path) {
    const TreeState* st = nullptr;
    if (k == 0) {
      st = p0_state;
    } else {
      const std::uint32_t p = parents_[c][k];
      if (p != kNone) st = states_[p].get();
    }
    if (st == nullptr) return nullptr;
    auto it = st->find(path);
    return it == st->end() ? nullptr : &it->second;
  }

  // The exact rename source of `path` (blob `blob`) in parent k: a file of the parent with the
  // same blob that this commit no longer has.
  const FileState* rename_source(std::uint32_t c, std::size_t k, const TreeState* p0_state,
                                 const std::vector<Change>& deleted, const TreeState& now,
                                 const std::string& path, const std::string& blob) {
    std::vector<const std::string*> candidates;
    const TreeState* st = nullptr;
    if (k == 0) {
      st = p0_state;
      if (st == nullptr) return nullptr;
      for (const Change& d : deleted) {
        if (d.old_blob == blob && st->count(d.path)) candidates.push_back(&d.path);
      }
    } else {
      const std::uint32_t p = parents_[c][k];
      if (p == kNone || !states_[p]) return nullptr;
      st = states_[p].get();
      for (const auto& [q, fs] : *st) {
        if (fs.blob == blob && !now.count(q)) candidates.push_back(&q);
      }
    }
    const std::string* pick = pick_rename(candidates, path);
    if (pick == nullptr) return nullptr;
    return &st->at(*pick);
  }

  OriginsPtr origins_for(std::uint32_t c, const Change& ch, const TreeState* p0_state,
                         const std::vector<Change>& deleted, const TreeState& now) {
    const std::size_t np = parents_[c].size();
    std::vector<const FileState*> from(np, nullptr);
    // Pass 0 (git's find_origin): the same path in each parent; an identical blob takes all.
    for (std::size_t k = 0; k < np; ++k) {
      from[k] = parent_file(c, k, p0_state, ch.path);
      if (from[k] != nullptr && from[k]->blob == ch.new_blob) return from[k]->origins;
    }
    // Pass 1 (git's find_rename) for parents without the path: exact renames only.
    for (std::size_t k = 0; k < np; ++k) {
      if (from[k] != nullptr) continue;
      if (const FileState* src = rename_source(c, k, p0_state, deleted, now, ch.path, ch.new_blob)) {
        return src->origins;
      }
    }
    const auto text = blobs_.get(ch.new_blob);
    if (!text) return nullptr;
    auto out = std::make_shared<Origins>(count_lines(*text), c);
    std::size_t left = out->size();
    for (std::size_t k = 0; k < np && left > 0; ++k) {
      const FileState* pf = from[k];
      if (pf == nullptr || !pf->origins) continue;
      bool same = false;  // an earlier parent with the same blob already took those lines
      for (std::size_t j = 0; j < k; ++j) same = same || (from[j] && from[j]->blob == pf->blob);
      if (same) continue;
      const auto old_text = blobs_.get(pf->blob);
      if (!old_text || count_lines(*old_text) != pf->origins->size()) continue;
      const std::vector<std::int64_t> map = line_origins(*old_text, *text);
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
  std::unordered_map<std::string, std::uint32_t> index_;
  std::vector<std::vector<std::uint32_t>> parents_;
  std::vector<std::uint32_t> children_left_;
  std::vector<std::unique_ptr<TreeState>> states_;
  std::unordered_set<std::string> relevant_;
  std::vector<Skipped> skipped_;
};

}  // namespace

BlameResult blame_all(const Repository& repo, const std::string& rev, const BlameOptions& options) {
  Blamer blamer(repo, options);
  return blamer.run(rev);
}

}  // namespace provscan::git
