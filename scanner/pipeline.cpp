#include "scanner/pipeline.h"

#include <algorithm>
#include <atomic>
#include <list>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "common/error.h"
#include "common/hash.h"
#include "git/line_diff.h"
#include "git/path_check.h"
#include "git/repository.h"
#include "scanner/attribution.h"
#include "scanner/blob/blob_engine.h"
#include "scanner/build/build_engine.h"
#include "scanner/cpp_ast/clang_engine.h"
#include "scanner/language.h"
#include "scanner/mailmap.h"
#include "scanner/query/query_engine.h"
#include "scanner/signature/signature_engine.h"
#include "scanner/signing.h"
#include "scanner/suppression.h"
#include "scanner/text/text_engine.h"

namespace provscan::scan {

namespace {

constexpr std::size_t kMaxSnippetLines = 5;
constexpr std::size_t kMaxSnippetLineBytes = 300;

// Hits of every engine for one (blob, path): computed once, shared by every commit that adds
// lines to that blob at that path.
struct Analysis {
  std::vector<Hit> hits;
  std::vector<Skipped> notes;
};

class AnalysisCache {
 public:
  std::shared_ptr<const Analysis> find(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : it->second;
  }
  void put(const std::string& key, std::shared_ptr<const Analysis> a) {
    std::lock_guard lock(mu_);
    map_.emplace(key, std::move(a));
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const Analysis>> map_;
};

// Recently read blobs, shared by the workers: a commit's old blob is usually an earlier
// commit's new blob, and inflating it again from a delta chain is the dominant cost.
// Bounded in bytes; least recently used blobs go first.
class BlobCache {
 public:
  explicit BlobCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  std::shared_ptr<const std::string> get(const std::string& id) {
    std::lock_guard lock(mu_);
    auto it = map_.find(id);
    if (it == map_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second.pos);
    return it->second.bytes;
  }

  void put(const std::string& id, std::shared_ptr<const std::string> bytes) {
    if (bytes->size() > max_bytes_ / 8) return;  // one huge blob must not flush everything
    std::lock_guard lock(mu_);
    if (map_.count(id)) return;
    lru_.push_front(id);
    used_ += bytes->size();
    map_.emplace(id, Entry{std::move(bytes), lru_.begin()});
    while (used_ > max_bytes_ && !lru_.empty()) {
      auto victim = map_.find(lru_.back());
      used_ -= victim->second.bytes->size();
      map_.erase(victim);
      lru_.pop_back();
    }
  }

 private:
  struct Entry {
    std::shared_ptr<const std::string> bytes;
    std::list<std::string>::iterator pos;
  };
  std::mutex mu_;
  std::size_t max_bytes_;
  std::size_t used_ = 0;
  std::list<std::string> lru_;
  std::unordered_map<std::string, Entry> map_;
};

struct CommitOutput {
  SignatureCheck signature;
  std::vector<Finding> findings;
  std::vector<Skipped> skipped;
  std::uint64_t contributions = 0;
  std::uint64_t lines_added = 0;
  Attribution who;
  std::set<std::string> touched;  // paths with added lines, and changed binaries
};

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

std::string snippet_of(const std::vector<std::string_view>& lines, std::uint32_t first, std::uint32_t last) {
  std::string out;
  if (first == 0) return out;
  for (std::uint32_t l = first; l <= last && l <= lines.size() && l - first < kMaxSnippetLines; ++l) {
    std::string_view s = lines[l - 1];
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    if (s.size() > kMaxSnippetLineBytes) s = s.substr(0, kMaxSnippetLineBytes);
    if (!out.empty()) out += '\n';
    out += s;
  }
  return out;
}

bool overlaps(const std::vector<git::LineRange>& added, std::uint32_t first, std::uint32_t last) {
  auto it = std::lower_bound(added.begin(), added.end(), first,
                             [](const git::LineRange& r, std::uint32_t v) { return r.last < v; });
  return it != added.end() && it->first <= last;
}

std::uint64_t count_lines(const std::vector<git::LineRange>& ranges) {
  std::uint64_t n = 0;
  for (const auto& r : ranges) n += r.last - r.first + 1;
  return n;
}

// Lines added by a merge relative to its first parent that also stand in another parent are
// that parent's work, not the merge's: keep only lines found in no parent (evil merges and
// conflict resolutions).
std::vector<git::LineRange> drop_lines_from_parents(const std::vector<git::LineRange>& added,
                                                    const std::vector<std::string_view>& lines,
                                                    const std::vector<std::string>& other_parent_texts) {
  std::unordered_set<std::string_view> seen;
  for (const auto& t : other_parent_texts)
    for (std::string_view l : split_lines(t)) seen.insert(l);
  std::vector<git::LineRange> out;
  for (const auto& r : added)
    for (std::uint32_t l = r.first; l <= r.last; ++l) {
      if (seen.count(lines[l - 1])) continue;
      if (!out.empty() && out.back().last + 1 == l) out.back().last = l;
      else out.push_back({l, l});
    }
  return out;
}

// Where a rule that `supersedes` another hits lines the other also hits in the same file, the
// more specific finding is the one reported (e.g. an install hook that runs a payload is not
// also reported as "an install hook"). A hit on line 0 stands for the whole file.
void drop_superseded(std::vector<Hit>& hits) {
  if (std::none_of(hits.begin(), hits.end(), [](const Hit& h) { return !h.rule->supersedes.empty(); })) return;
  auto overlaps = [](const Hit& a, const Hit& b) {
    if (a.line == 0 || b.line == 0) return true;
    return a.line <= std::max(b.line, b.end_line) && b.line <= std::max(a.line, a.end_line);
  };
  std::vector<bool> drop(hits.size());
  for (const Hit& g : hits)
    for (const std::string& id : g.rule->supersedes)
      for (std::size_t i = 0; i < hits.size(); ++i)
        if (hits[i].rule->id == id && overlaps(g, hits[i])) drop[i] = true;
  std::vector<Hit> kept;
  for (std::size_t i = 0; i < hits.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(hits[i]));
  hits = std::move(kept);
}

class Worker {
 public:
  Worker(const git::Repository& repo, const ScanOptions& opt, const std::vector<std::unique_ptr<Engine>>& engines,
         const IdentityResolver& who, const KeyRing& keys, AnalysisCache& cache, BlobCache& blobs,
         const std::unordered_map<std::string, std::string>& trees)
      : repo_(repo.reopen()), opt_(opt), who_(who), keys_(keys), cache_(cache), blobs_(blobs), trees_(trees) {
    for (const auto& e : engines) detectors_.push_back({std::string(e->name()), e->make_detector()});
  }

  CommitOutput process(const git::Commit& c) {
    CommitOutput out;
    out.who = attribute(c, who_, opt_.origin_trailer, opt_.escort_roles);
    out.signature = keys_.verify(c.signed_payload, c.gpgsig);
    const std::string parent_tree = c.parents.empty() ? std::string() : tree_of(c.parents.front());
    std::vector<std::string> other_trees;
    for (std::size_t i = 1; i < c.parents.size(); ++i) other_trees.push_back(tree_of(c.parents[i]));
    std::vector<git::Change> deleted;
    std::vector<git::Change> changes = repo_.diff_trees(parent_tree, c.tree, out.skipped, 4096, &deleted);
    if (!other_trees.empty()) changes = differing_from_every_parent(std::move(changes), c, other_trees, out);
    report_hostile_paths(c, changes, out);
    for (git::Change& ch : changes) {
      try {
        if (ch.path == ".mailmap") report_mailmap_change(c, ch, out);
        if (ch.old_blob.empty() && !deleted.empty() && follow_rename(ch, deleted)) continue;
        process_change(c, ch, other_trees, out);
      } catch (const Error& e) {
        out.skipped.push_back({"error", c.id, ch.path, ch.new_blob, e.what(), true});
      }
    }
    if (opt_.policy) {
      CommitFacts facts;
      facts.commit = c.id;
      facts.time = c.committer.time;
      facts.who = out.who;
      facts.paths.assign(out.touched.begin(), out.touched.end());
      facts.reviewers = out.who.reviewers;
      facts.signature_verified = out.signature.status == SignatureStatus::Verified;
      facts.signer = out.signature.person;
      for (Finding& f : evaluate_policy(*opt_.policy, who_.roster(), facts)) out.findings.push_back(std::move(f));
    }
    for (Finding& f : out.findings) {
      f.co_authors = out.who.co_authors;
      f.reviewers = out.who.reviewers;
      f.signature = std::string(to_string(out.signature.status));
      f.signer = out.signature.person;
      f.signing_key = out.signature.key;
    }
    for (auto& s : out.skipped)
      if (s.commit.empty()) s.commit = c.id;
    return out;
  }

 private:
  std::string tree_of(const std::string& commit_id) {
    if (auto it = trees_.find(commit_id); it != trees_.end()) return it->second;
    return repo_.read_commit(commit_id).tree;  // a parent outside the walked range
  }

  // Reads a blob through the shared cache. Only complete reads are cached.
  git::BlobData read_blob(const std::string& id) {
    if (auto hit = blobs_.get(id)) {
      git::BlobData b;
      b.status = git::BlobData::Status::Ok;
      b.size = hit->size();
      b.bytes = *hit;
      return b;
    }
    git::BlobData b = repo_.read_blob(id, opt_.max_blob_bytes);
    if (b.status == git::BlobData::Status::Ok) blobs_.put(id, std::make_shared<const std::string>(b.bytes));
    return b;
  }

  // A merge adds nothing at a path whose content equals one of its parents' (git's combined
  // diff shows only the paths that differ from every parent): keep the others.
  std::vector<git::Change> differing_from_every_parent(std::vector<git::Change> changes, const git::Commit& c,
                                                       const std::vector<std::string>& other_trees,
                                                       CommitOutput& out) {
    for (const std::string& tree : other_trees) {
      std::set<std::string> differs;
      for (git::Change& d : repo_.diff_trees(tree, c.tree, out.skipped)) differs.insert(std::move(d.path));
      std::erase_if(changes, [&](const git::Change& ch) { return !differs.count(ch.path); });
    }
    return changes;
  }

  // A path that is new in this commit may be a moved file: then it is compared with the file it
  // came from, so the mover is not charged with code they only moved. Exact moves (same blob)
  // add nothing. Otherwise a vanished file with the same name, or the only vanished file with
  // the same extension, is the origin when at least half of the new file's lines come from it
  // (git's default rename threshold is 50% similarity too). Returns true when nothing is added.
  bool follow_rename(git::Change& ch, const std::vector<git::Change>& deleted) {
    for (const git::Change& d : deleted)
      if (d.old_blob == ch.new_blob) return true;
    auto base = [](std::string_view p) { return p.substr(p.rfind('/') + 1); };
    auto ext = [&](std::string_view p) {
      std::string_view b = base(p);
      const std::size_t dot = b.rfind('.');
      return dot == std::string_view::npos ? std::string_view() : b.substr(dot);
    };
    const git::Change* origin = nullptr;
    unsigned same_ext = 0;
    const git::Change* ext_match = nullptr;
    for (const git::Change& d : deleted) {
      if (base(d.path) == base(ch.path)) {
        origin = &d;
        break;
      }
      if (!ext(ch.path).empty() && ext(d.path) == ext(ch.path)) {
        ++same_ext;
        ext_match = &d;
      }
    }
    if (!origin && same_ext == 1) origin = ext_match;
    if (!origin) return false;
    const git::BlobData old = read_blob(origin->old_blob);
    const git::BlobData neu = read_blob(ch.new_blob);
    if (old.status != git::BlobData::Status::Ok || neu.status != git::BlobData::Status::Ok) return false;
    if (git::looks_binary(old.bytes) || git::looks_binary(neu.bytes)) return false;
    const std::uint64_t total = split_lines(neu.bytes).size();
    const std::uint64_t added = count_lines(git::added_lines(old.bytes, neu.bytes));
    if (total == 0 || 2 * (total - added) < total) return false;
    ch.old_blob = origin->old_blob;
    return false;
  }

  // A built-in provenance finding about a whole path of commit `c`, charged like any other.
  static void add_provenance_finding(const git::Commit& c, const git::Change& ch, const char* rule, Severity severity,
                                     std::string message, CommitOutput& out) {
    Finding f;
    f.rule_id = rule;
    f.engine = "provenance";
    f.severity = severity;
    f.message = std::move(message);
    f.commit = c.id;
    f.path = ch.path;
    f.author = out.who.author;
    f.committer = out.who.committer;
    f.relayed_for = out.who.relayed_for;
    f.fingerprint = fingerprint(f.rule_id, f.path, ch.new_blob, 0);
    out.findings.push_back(std::move(f));
  }

  void report_mailmap_change(const git::Commit& c, const git::Change& ch, CommitOutput& out) {
    add_provenance_finding(c, ch, kMailmapChangedRule, Severity::Medium,
                           "The commit changes .mailmap, which maps recorded identities to people: review who is "
                           "being remapped (provscan reads .mailmap only from the base revision)",
                           out);
  }

  // Paths git would refuse (or that the tree lists twice) are findings of their own, charged to
  // the commit that wrote them; their content is still scanned like any other.
  void report_hostile_paths(const git::Commit& c, const std::vector<git::Change>& changes, CommitOutput& out) {
    for (std::size_t i = 0; i < changes.size(); ++i) {
      const git::Change& ch = changes[i];
      std::string why = git::hostile_path_reason(ch.path);
      const bool twice = (i > 0 && changes[i - 1].path == ch.path) || (i + 1 < changes.size() && changes[i + 1].path == ch.path);
      if (why.empty() && twice) why = "the tree lists this name twice";
      if (why.empty()) continue;
      add_provenance_finding(c, ch, kHostilePathRule, Severity::High,
                             "Hand-written tree entry that git would refuse or that hides what is checked out: " + why,
                             out);
    }
  }

  void process_change(const git::Commit& c, const git::Change& ch, const std::vector<std::string>& other_trees,
                      CommitOutput& out) {
    if (ch.kind == git::EntryKind::Submodule) {
      out.skipped.push_back({"submodule", c.id, ch.path, ch.new_blob, "submodule pointer: content not in this repository", false});
      return;
    }
    git::BlobData blob = read_blob(ch.new_blob);
    if (blob.status == git::BlobData::Status::TooLarge) {
      // Either the blob itself, or the delta base a pack builds it from, is over the limit.
      out.skipped.push_back({"blob-too-large", c.id, ch.path, ch.new_blob,
                             blob.size > opt_.max_blob_bytes
                                 ? fmt::format("{} bytes > --max-blob-bytes {}", blob.size, opt_.max_blob_bytes)
                                 : fmt::format("{} (--max-blob-bytes)", blob.error),
                             true});
      return;
    }
    if (blob.status != git::BlobData::Status::Ok) {
      out.skipped.push_back({"unreadable-object", c.id, ch.path, ch.new_blob, blob.error, true});
      return;
    }
    ++out.contributions;
    const bool binary = git::looks_binary(blob.bytes);
    const std::vector<std::string_view> lines = binary ? std::vector<std::string_view>{} : split_lines(blob.bytes);
    std::vector<git::LineRange> added;
    if (!binary) {
      std::string old_text;
      if (!ch.old_blob.empty()) {
        git::BlobData old = read_blob(ch.old_blob);
        if (old.status == git::BlobData::Status::Ok) old_text = std::move(old.bytes);
      }
      added = git::added_lines(old_text, blob.bytes);
      if (!other_trees.empty() && !added.empty()) {
        std::vector<std::string> others;
        for (const auto& t : other_trees) {
          const std::string id = repo_.blob_at(t, ch.path);
          if (id.empty()) continue;
          git::BlobData b = read_blob(id);
          if (b.status == git::BlobData::Status::Ok) others.push_back(std::move(b.bytes));
        }
        added = drop_lines_from_parents(added, lines, others);
      }
      out.lines_added += count_lines(added);
      if (added.empty()) return;  // nothing new here (e.g. a merge taking a parent's version)
    }
    out.touched.insert(ch.path);
    const std::string_view language = binary ? std::string_view() : detect_language(ch.path, blob.bytes);
    std::shared_ptr<const Analysis> analysis = analyse(ch, blob.bytes, language, binary);
    for (const Skipped& s : analysis->notes) {
      Skipped copy = s;
      copy.commit = c.id;
      if (copy.path.empty()) copy.path = ch.path;
      out.skipped.push_back(std::move(copy));
    }
    if (binary)
      out.skipped.push_back({"binary", c.id, ch.path, ch.new_blob, "binary content: only blob checks ran", false});
    else if (language != "c" && language != "cpp" && !has_grammar(language))
      out.skipped.push_back({"no-grammar", c.id, ch.path, ch.new_blob,
                             language.empty() ? std::string("unrecognised language: signature and blob checks only")
                                              : fmt::format("no grammar for '{}': signature and blob checks only", language),
                             false});
    std::map<std::pair<std::string, std::string>, unsigned> occurrences;
    const std::size_t first_finding = out.findings.size();
    for (const Hit& h : analysis->hits) {
      if (h.line != 0 && !overlaps(added, h.line, h.end_line)) continue;
      Finding f;
      f.rule_id = h.rule->id;
      f.engine = std::string(rules::to_string(h.rule->engine));
      f.severity = h.rule->severity;
      f.message = h.detail.empty() ? h.rule->message : h.rule->message + " (" + h.detail + ")";
      f.commit = c.id;
      f.path = ch.path;
      f.line = h.line;
      f.end_line = h.end_line;
      f.snippet = snippet_of(lines, h.line, h.end_line);
      f.author = out.who.author;
      f.committer = out.who.committer;
      f.relayed_for = out.who.relayed_for;
      f.cwe = h.rule->cwe;
      f.references = h.rule->references;
      const unsigned n = occurrences[{f.rule_id, f.snippet}]++;
      f.fingerprint = fingerprint(f.rule_id, f.path, f.snippet.empty() ? ch.new_blob : f.snippet, n);
      out.findings.push_back(std::move(f));
    }
    apply_inline_suppressions(out.findings, first_finding, lines, added,
                              {opt_.policy, who_.roster(), out.who, c.committer.time});
  }

  std::shared_ptr<const Analysis> analyse(const git::Change& ch, const std::string& bytes, std::string_view language,
                                          bool binary) {
    const std::string key = ch.new_blob + '\0' + ch.path;
    if (auto hit = cache_.find(key)) return hit;
    auto a = std::make_shared<Analysis>();
    Target t{ch.path, ch.new_blob, bytes, language, binary};
    for (auto& [name, d] : detectors_) {
      ScanNotes notes;
      try {
        d->scan(t, a->hits, notes);
      } catch (const Error& e) {
        a->notes.push_back({"engine-error", {}, ch.path, ch.new_blob, fmt::format("{}: {}", name, e.what()), true});
      }
      for (auto& s : notes.skipped) {
        if (s.object.empty()) s.object = ch.new_blob;
        a->notes.push_back(std::move(s));
      }
    }
    drop_superseded(a->hits);
    std::sort(a->hits.begin(), a->hits.end(), [](const Hit& x, const Hit& y) {
      return std::tie(x.line, x.end_line, x.rule->id, x.detail) < std::tie(y.line, y.end_line, y.rule->id, y.detail);
    });
    cache_.put(key, a);
    return a;
  }

  git::Repository repo_;
  const ScanOptions& opt_;
  const IdentityResolver& who_;
  const KeyRing& keys_;
  AnalysisCache& cache_;
  BlobCache& blobs_;
  const std::unordered_map<std::string, std::string>& trees_;
  std::vector<std::pair<std::string, std::unique_ptr<Detector>>> detectors_;
};

ScanOptions with_policy_relay_settings(const ScanOptions& opt) {
  ScanOptions o = opt;
  if (opt.policy) {
    o.escort_roles = opt.policy->escort_roles;
    o.origin_trailer = opt.policy->origin_trailer;
  }
  return o;
}

void sort_result(ScanResult& r) {
  std::sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.path, a.line, a.end_line, a.rule_id, a.commit, a.fingerprint) <
           std::tie(b.path, b.line, b.end_line, b.rule_id, b.commit, b.fingerprint);
  });
  std::sort(r.skipped.begin(), r.skipped.end());
  r.skipped.erase(std::unique(r.skipped.begin(), r.skipped.end()), r.skipped.end());
}

// The mailmap to resolve identities with: --mailmap as given, else the .mailmap of the range's
// base (the first excluded revision). The commits under review are never trusted for it.
Mailmap load_mailmap(const git::Repository& repo, const ScanOptions& opt, std::vector<Skipped>& skipped) {
  if (opt.mailmap_text) return Mailmap::parse(*opt.mailmap_text);
  if (opt.walk.exclude.empty()) return {};
  const std::string base = repo.read_commit(repo.resolve_commit(opt.walk.exclude.front())).tree;
  const std::string id = repo.blob_at(base, ".mailmap");
  if (id.empty()) return {};
  git::BlobData b = repo.read_blob(id, 1 << 20);
  if (b.status == git::BlobData::Status::Ok) return Mailmap::parse(b.bytes);
  skipped.push_back({"unreadable-object", "", ".mailmap", id, "base revision's .mailmap: " + b.error, true});
  return {};
}

}  // namespace

std::vector<std::string> paths_at(const std::string& repository, const std::string& rev) {
  git::Repository repo = git::Repository::open(repository);
  const std::string tree = repo.read_commit(repo.resolve_commit(rev)).tree;
  std::vector<Skipped> skipped;
  std::vector<std::string> out;
  for (const git::Change& c : repo.diff_trees("", tree, skipped)) out.push_back(c.path);
  return out;
}

std::vector<std::unique_ptr<Engine>> make_engines(const rules::RuleSet& rules, const IsolationOptions* isolation) {
  std::vector<std::unique_ptr<Engine>> engines;
  engines.push_back(make_signature_engine(rules));
  if (isolation) {
    engines.push_back(make_isolated_engine(rules, *isolation));
  } else {
    engines.push_back(make_query_engine(rules));
    engines.push_back(make_clang_engine(rules));
  }
  engines.push_back(make_blob_engine(rules));
  engines.push_back(make_build_engine(rules));
  engines.push_back(make_text_engine(rules));
  return engines;
}

ScanResult run_scan(const ScanOptions& options, const rules::RuleSet& rules,
                    const std::vector<std::unique_ptr<Engine>>& engines, const Roster& roster) {
  const ScanOptions opt = with_policy_relay_settings(options);
  git::Repository repo = git::Repository::open(opt.repository);
  git::WalkResult walk = git::walk(repo, opt.walk);

  std::unordered_map<std::string, std::string> trees;
  for (const auto& c : walk.commits) trees.emplace(c.id, c.tree);

  Mailmap mailmap = load_mailmap(repo, opt, walk.skipped);
  const IdentityResolver who(roster, &mailmap);
  const KeyRing keys(roster);

  const unsigned jobs = std::max(1u, opt.jobs ? opt.jobs : std::thread::hardware_concurrency());
  std::vector<CommitOutput> outputs(walk.commits.size());
  AnalysisCache cache;
  BlobCache blobs(256u << 20);
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> done{0};
  std::mutex progress_mu;
  std::exception_ptr failure;
  std::mutex failure_mu;

  auto work = [&] {
    try {
      Worker w(repo, opt, engines, who, keys, cache, blobs, trees);
      for (std::size_t i = next++; i < walk.commits.size(); i = next++) {
        const git::Commit& c = walk.commits[i];
        try {
          outputs[i] = w.process(c);
        } catch (const Error& e) {
          outputs[i].who = attribute(c, who, opt.origin_trailer, opt.escort_roles);
          outputs[i].skipped.push_back({"bad-commit", c.id, {}, c.id, e.what(), true});
        }
        const std::uint64_t d = ++done;
        if (opt.progress) {
          std::lock_guard lock(progress_mu);
          opt.progress(d, walk.commits.size());
        }
      }
    } catch (...) {
      std::lock_guard lock(failure_mu);
      if (!failure) failure = std::current_exception();
      next = walk.commits.size();
    }
  };
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < jobs && i < walk.commits.size(); ++i) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);

  ScanResult r;
  r.repository = opt.repository;
  r.range = walk.description;
  r.rules_sha256 = rules.sha256;
  r.roster_sha256 = roster.sha256();
  if (opt.policy) r.policy_sha256 = opt.policy->sha256;
  r.commits = walk.commits.size();
  r.skipped = std::move(walk.skipped);
  std::map<std::pair<int, std::string>, ContributorStats> contributors;  // (0 person | 1 raw, key)
  if (opt.record_commits) r.commit_log.reserve(outputs.size());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const CommitOutput& o = outputs[i];
    if (opt.record_commits)
      r.commit_log.push_back({walk.commits[i].id, walk.commits[i].author.time, o.who.author, o.who.committer,
                              o.who.relayed_for, o.who.relay, std::string(to_string(o.signature.status)),
                              o.lines_added, o.findings.size(),
                              std::vector<std::string>(o.touched.begin(), o.touched.end())});
    r.contributions += o.contributions;
    const PersonRef& a = o.who.author;
    auto key = a.person ? std::make_pair(0, *a.person) : std::make_pair(1, a.identity);
    ContributorStats& cs = contributors[key];
    cs.person = a.person;
    cs.identity = a.person ? (roster.by_id(*a.person) ? roster.by_id(*a.person)->name : *a.person) : a.identity;
    ++cs.commits;
    cs.lines_added += o.lines_added;
    cs.findings += o.findings.size();
    r.findings.insert(r.findings.end(), o.findings.begin(), o.findings.end());
    r.skipped.insert(r.skipped.end(), o.skipped.begin(), o.skipped.end());
  }
  for (auto& [k, cs] : contributors) r.contributors.push_back(std::move(cs));
  for (const Finding& f : r.findings) ++r.findings_by_engine[f.engine];
  for (const rules::Rule& rule : rules.rules)
    r.rules.push_back({rule.id, std::string(rules::to_string(rule.engine)), rule.severity, rule.message, rule.cwe,
                       rule.references});
  r.rules.push_back({kMailmapChangedRule, "provenance", Severity::Medium,
                     "A commit changes .mailmap, which remaps recorded identities to people", "CWE-345", {}});
  r.rules.push_back({kHostilePathRule, "provenance", Severity::High,
                     "A tree entry git would refuse (.., .git, control characters, invalid UTF-8, a name listed twice)",
                     "CWE-22", {}});
  for (RuleInfo& s : suppression_rules()) r.rules.push_back(std::move(s));
  if (opt.policy)
    for (RuleInfo& p : policy_rules()) r.rules.push_back(std::move(p));
  std::sort(r.rules.begin(), r.rules.end(), [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
  sort_result(r);
  return r;
}

}  // namespace provscan::scan
