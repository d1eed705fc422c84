#include "scanner/audit.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "common/error.h"
#include "git/blame.h"
#include "git/repository.h"

namespace provscan::scan {

namespace {

std::string utc(std::int64_t seconds, const char* format) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return "invalid-date";
  char buf[32];
  return std::strftime(buf, sizeof buf, format, &tm) ? std::string(buf) : std::string("invalid-date");
}

std::string day_text(Day d) { return utc(d * 86400, "%Y-%m-%d"); }

// Contributors are keyed as the pipeline keys them: a roster id, or the raw identity.
using Key = std::pair<int, std::string>;  // (0 person | 1 unattributed, id or identity)
Key key_of(const PersonRef& p) { return p.person ? Key{0, *p.person} : Key{1, p.identity}; }
std::string label_of(const PersonRef& p) { return p.person ? *p.person : p.identity; }

struct Detail {
  std::set<std::string> identities;
  std::map<std::string, std::uint64_t> paths;  // path -> commits touching it
  std::uint64_t lines_alive = 0;
  std::set<std::string> files_alive;
};

}  // namespace

std::map<std::string, std::string> roster_attributes(const Person& p) {
  std::map<std::string, std::string> a;
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) a[k] = v;
  };
  put("role", p.role);
  std::string cit;
  for (const std::string& c : p.citizenship) cit += (cit.empty() ? "" : ",") + c;
  put("citizenship", cit);
  put("residency", p.residency);
  put("location", p.location);
  put("employer", p.employer);
  put("clearance", p.clearance);
  if (p.valid_from) put("valid_from", day_text(*p.valid_from));
  if (p.valid_to) put("valid_to", day_text(*p.valid_to));
  return a;
}

void complete_audit(ScanResult& r, const std::string& repository, const IdentityResolver& who,
                    const AuditOptions& options) {
  const Roster& roster = who.roster();
  std::map<Key, ContributorStats> stats;
  for (ContributorStats& c : r.contributors) {
    const Key k = c.person ? Key{0, *c.person} : Key{1, c.identity};
    stats.emplace(k, std::move(c));
  }
  std::map<Key, Detail> detail;

  std::unordered_map<std::string, PersonRef> author_of;  // commit id -> the scan's attribution
  for (const CommitRecord& c : r.commit_log) {
    author_of.emplace(c.id, c.author);
    const Key k = key_of(c.author);
    ContributorStats& s = stats[k];
    Detail& d = detail[k];
    d.identities.insert(c.author.identity);
    for (const std::string& p : c.paths) ++d.paths[p];
    ++s.commits_by_month[utc(c.author_time, "%Y-%m")];
    ++s.signatures[c.signature];
    if (s.first_commit_time == 0 || c.author_time < s.first_commit_time) s.first_commit_time = c.author_time;
    s.last_commit_time = std::max(s.last_commit_time, c.author_time);
    // A relay: the person who committed (an escort, or anyone committing another's work) and
    // the person whose work it was (the origin trailer when given, else the author).
    if (c.relay) {
      const PersonRef& origin = c.relayed_for ? *c.relayed_for : c.author;
      const PersonRef& relayer = c.committer.identity == origin.identity ? c.author : c.committer;
      if (key_of(origin) != key_of(relayer)) {
        ++stats[key_of(origin)].relayed_by[label_of(relayer)];
        ++stats[key_of(relayer)].relayed_for[label_of(origin)];
        detail[key_of(origin)];
        detail[key_of(relayer)];
      }
    }
  }

  const git::Repository repo = git::Repository::open(repository);
  git::BlameOptions bo;
  bo.max_blob_bytes = options.max_blob_bytes;
  const git::BlameResult blame = git::blame_all(repo, repo.resolve_commit(options.rev), bo);
  AliveTotals totals;
  totals.rev = blame.rev;
  totals.skipped = blame.skipped;
  for (const git::FileBlame& f : blame.files) {
    ++totals.files;
    for (const std::string& c : f.line_commits) {
      auto it = author_of.find(c);
      if (it == author_of.end()) {  // introduced before the scanned range
        const git::Commit commit = repo.read_commit(c);
        it = author_of.emplace(c, who.resolve(commit.author.name, commit.author.email)).first;
      }
      ++totals.lines;
      Detail& d = detail[key_of(it->second)];
      if (d.identities.empty() && !it->second.person) d.identities.insert(it->second.identity);
      ++d.lines_alive;
      d.files_alive.insert(f.path);
    }
  }

  r.contributors.clear();
  for (auto& [k, d] : detail) {
    ContributorStats& s = stats[k];
    if (k.first == 0) {
      s.person = k.second;
      const Person* p = roster.by_id(k.second);
      s.identity = p ? p->name : k.second;
      if (p) s.attributes = roster_attributes(*p);
    } else {
      s.person.reset();
      s.identity = k.second;
    }
    s.identities.assign(d.identities.begin(), d.identities.end());
    s.lines_alive_at_head = d.lines_alive;
    s.files_alive_at_head = d.files_alive.size();
    s.paths_touched = d.paths.size();
    std::vector<std::pair<std::string, std::uint64_t>> paths(d.paths.begin(), d.paths.end());
    std::stable_sort(paths.begin(), paths.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (paths.size() > options.top_paths) paths.resize(options.top_paths);
    s.top_paths = std::move(paths);
  }
  for (auto& [k, s] : stats) r.contributors.push_back(std::move(s));  // persons by id, then identities
  r.alive = std::move(totals);
}

}  // namespace provscan::scan
