#include "git/history.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/error.h"

namespace provscan::git {
namespace {

using IdSet = std::unordered_set<std::string>;

constexpr const char* kShallowFix =
    "fetch more history (actions/checkout with fetch-depth: 0, GIT_DEPTH: \"0\" in GitLab CI, or "
    "git fetch --deepen=N / git fetch --unshallow)";

// Parents as the walk sees them: none for a shallow boundary commit (its parents are not in
// the repository), duplicates dropped (a hostile commit may list a parent twice).
std::vector<std::string> walk_parents(const Commit& c, const IdSet& shallow) {
  if (shallow.count(c.id)) return {};
  std::vector<std::string> out;
  for (const std::string& p : c.parents) {
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  return out;
}

// Everything reachable from `starts`. Commits that cannot be read end that line of ancestry:
// they are reported when (and only when) the included walk reaches them.
IdSet reachable(const Repository& repo, const std::vector<std::string>& starts,
                const IdSet& shallow) {
  IdSet seen;
  std::vector<std::string> stack(starts.begin(), starts.end());
  while (!stack.empty()) {
    std::string id = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(id).second) continue;
    try {
      for (std::string& p : walk_parents(repo.read_commit(id), shallow)) {
        if (!seen.count(p)) stack.push_back(std::move(p));
      }
    } catch (const Error&) {
    }
  }
  return seen;
}

// Kahn's algorithm: a commit is emitted once all its walked parents are; among the ready
// commits the smallest id goes first, so the order depends on nothing but the graph.
std::vector<Commit> topological(std::unordered_map<std::string, Commit> commits,
                                const IdSet& shallow) {
  std::unordered_map<std::string, std::size_t> waiting;
  std::unordered_map<std::string, std::vector<std::string>> children;
  std::set<std::string> ready;
  for (const auto& [id, c] : commits) {
    std::size_t n = 0;
    for (const std::string& p : walk_parents(c, shallow)) {
      if (commits.count(p)) {
        ++n;
        children[p].push_back(id);
      }
    }
    waiting[id] = n;
    if (n == 0) ready.insert(id);
  }
  std::vector<Commit> out;
  out.reserve(commits.size());
  while (!ready.empty()) {
    const std::string id = *ready.begin();
    ready.erase(ready.begin());
    for (const std::string& child : children[id]) {
      if (--waiting[child] == 0) ready.insert(child);
    }
    out.push_back(std::move(commits.at(id)));
    commits.erase(id);
  }
  // Only a cycle (impossible without a hash collision) leaves commits behind: emit them in
  // id order rather than drop them.
  std::map<std::string, Commit> rest(std::make_move_iterator(commits.begin()),
                                     std::make_move_iterator(commits.end()));
  for (auto& [id, c] : rest) out.push_back(std::move(c));
  return out;
}

std::string describe(const WalkSpec& spec, std::size_t ref_count) {
  std::string d;
  if (spec.all_refs) d = fmt::format("--all ({} refs)", ref_count);
  if (!spec.all_refs && spec.include.size() == 1 && spec.exclude.size() == 1) {
    d = spec.exclude[0] + ".." + spec.include[0];
  } else {
    for (const std::string& i : spec.include) d += (d.empty() ? "" : " ") + i;
    for (const std::string& e : spec.exclude) d += (d.empty() ? "^" : " ^") + e;
  }
  if (spec.since) d += fmt::format(" --since={}", *spec.since);
  if (spec.until) d += fmt::format(" --until={}", *spec.until);
  return d;
}

}  // namespace

WalkSpec parse_range(const std::string& range) {
  WalkSpec spec;
  if (range.empty()) {
    spec.include.push_back("HEAD");
    return spec;
  }
  if (range.find("...") != std::string::npos) {
    throw Error(fmt::format("range '{}': 'A...B' (symmetric difference) is not supported", range));
  }
  const std::size_t dots = range.find("..");
  if (dots == std::string::npos) {
    spec.include.push_back(range);
    return spec;
  }
  std::string from = range.substr(0, dots);
  std::string to = range.substr(dots + 2);
  if (from.empty() && to.empty()) throw Error(fmt::format("range '{}' names no revision", range));
  if (to.find("..") != std::string::npos) throw Error(fmt::format("malformed range '{}'", range));
  // As in git, an empty side means HEAD ("..B" = HEAD..B, "A.." = A..HEAD).
  spec.exclude.push_back(from.empty() ? "HEAD" : from);
  spec.include.push_back(to.empty() ? "HEAD" : to);
  return spec;
}

WalkResult walk(const Repository& repo, const WalkSpec& spec) {
  WalkResult result;
  std::vector<std::string> starts;
  std::size_t ref_count = 0;
  if (spec.all_refs) {
    for (const Ref& r : repo.refs(result.skipped)) starts.push_back(r.commit);
    ref_count = starts.size();
  }
  const std::vector<std::string> roots = repo.shallow_roots();
  const IdSet shallow(roots.begin(), roots.end());
  // Explicitly named revisions must resolve: a typo must not pass as an empty scan. In a
  // shallow clone the likely cause is missing history: say how to get it.
  auto resolve = [&](const std::string& rev) {
    try {
      return repo.resolve_commit(rev);
    } catch (const Error& e) {
      if (shallow.empty()) throw;
      throw Error(fmt::format("{} (the repository is a shallow clone: {})", e.what(), kShallowFix));
    }
  };
  for (const std::string& rev : spec.include) starts.push_back(resolve(rev));
  if (!spec.all_refs && spec.include.empty()) starts.push_back(resolve("HEAD"));
  std::vector<std::string> excluded_starts;
  for (const std::string& rev : spec.exclude) excluded_starts.push_back(resolve(rev));
  const IdSet excluded = reachable(repo, excluded_starts, shallow);

  std::unordered_map<std::string, Commit> commits;
  IdSet seen;
  std::set<std::string> boundary_hit;
  std::vector<std::string> stack(starts.rbegin(), starts.rend());
  while (!stack.empty()) {
    std::string id = std::move(stack.back());
    stack.pop_back();
    if (excluded.count(id) || !seen.insert(id).second) continue;
    Commit c;
    try {
      c = repo.read_commit(id);
    } catch (const Error& e) {
      result.skipped.push_back(Skipped{"bad-commit", id, "", id, e.what(), true});
      continue;
    }
    if (shallow.count(id) && !c.parents.empty()) boundary_hit.insert(id);
    for (std::string& p : walk_parents(c, shallow)) {
      if (!seen.count(p) && !excluded.count(p)) stack.push_back(std::move(p));
    }
    commits.emplace(id, std::move(c));
  }
  if (!boundary_hit.empty() && !excluded_starts.empty()) {
    // The walk from the included side ran into the cut before meeting the excluded side:
    // what the base already had cannot be told apart from what the range adds.
    throw Error(fmt::format("range {}: the shallow clone's history stops at {} (its parents are not in the "
                            "repository) before the range is closed, so the base's ancestry cannot be "
                            "excluded; {}",
                            describe(spec, 0), *boundary_hit.begin(), kShallowFix));
  }
  if (!boundary_hit.empty()) {
    result.skipped.push_back(Skipped{
        "shallow-boundary", "", "", *boundary_hit.begin(),
        fmt::format("shallow repository: history stops at {} boundary commit(s) whose parents "
                    "are absent: what those commits changed cannot be computed (each is listed as a "
                    "bad-commit) and nothing older is scanned; {}",
                    boundary_hit.size(), kShallowFix),
        false});
  }
  for (const auto& [id, c] : commits) {
    if (c.author.time_overflow || c.committer.time_overflow)
      result.skipped.push_back(Skipped{"bad-date", id, "", id,
                                       "author or committer date does not fit in 64 bits: read as 0 "
                                       "(1970-01-01), as git shows it",
                                       false});
  }
  for (Skipped& n : repo.notices()) result.skipped.push_back(std::move(n));

  // Date bounds filter; they do not cut the walk, so a commit dated out of order (clock skew,
  // or on purpose) behind an out-of-range one is still found.
  for (Commit& c : topological(std::move(commits), shallow)) {
    if (spec.since && c.committer.time < *spec.since) continue;
    if (spec.until && c.committer.time > *spec.until) continue;
    result.commits.push_back(std::move(c));
  }
  std::sort(result.skipped.begin(), result.skipped.end());
  result.description = describe(spec, ref_count);
  if (result.description.empty()) result.description = "HEAD";
  return result;
}

}  // namespace provscan::git
