#include "scanner/lines_alive.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "git/blame.h"
#include "git/repository.h"

namespace provscan::scan {

namespace {

// The group keys one author's lines count under.
std::vector<std::string> keys_for(const Person* p, const std::string& by) {
  if (by == "person") return {p->id};
  if (by == "citizenship") return p->citizenship.empty() ? std::vector<std::string>{"(none)"} : p->citizenship;
  const std::string* v = by == "role"        ? &p->role
                         : by == "location"  ? &p->location
                         : by == "employer"  ? &p->employer
                         : by == "clearance" ? &p->clearance
                                             : &p->residency;
  return {v->empty() ? "(none)" : *v};
}

}  // namespace

const std::vector<std::string>& alive_groupings() {
  static const std::vector<std::string> kBy = {"person",   "role",      "citizenship", "location",
                                               "employer", "clearance", "residency"};
  return kBy;
}

AliveSummary lines_alive(const std::string& repository, const std::string& rev, const IdentityResolver& who,
                         const std::string& by) {
  const auto& groupings = alive_groupings();
  if (std::find(groupings.begin(), groupings.end(), by) == groupings.end())
    throw Error(fmt::format("unknown grouping '{}' for --by", by));
  const git::Repository repo = git::Repository::open(repository);
  const git::BlameResult blame = git::blame_all(repo, repo.resolve_commit(rev));

  // Each introducing commit is read once; its author decides the group.
  std::unordered_map<std::string, PersonRef> author_of;
  struct Acc {
    std::string label;
    bool unattributed = false;
    std::uint64_t lines = 0;
    std::set<std::string> files;
  };
  std::map<std::string, Acc> groups;
  AliveSummary s;
  s.rev = blame.rev;
  s.by = by;
  s.skipped = blame.skipped;
  for (const git::FileBlame& f : blame.files) {
    ++s.total_files;
    for (const std::string& c : f.line_commits) {
      auto it = author_of.find(c);
      if (it == author_of.end()) {
        const git::Commit commit = repo.read_commit(c);
        it = author_of.emplace(c, who.resolve(commit.author.name, commit.author.email)).first;
      }
      ++s.total_lines;
      const PersonRef& a = it->second;
      const Person* p = a.person ? who.roster().by_id(*a.person) : nullptr;
      if (!p) {
        Acc& g = groups["unattributed:" + a.identity];
        g.unattributed = true;
        g.label = a.identity;
        ++g.lines;
        g.files.insert(f.path);
        continue;
      }
      for (const std::string& k : keys_for(p, by)) {
        Acc& g = groups[k];
        if (by == "person") g.label = p->name;
        ++g.lines;
        g.files.insert(f.path);
      }
    }
  }
  for (auto& [key, g] : groups)
    s.rows.push_back({g.unattributed ? g.label : key, g.unattributed ? "" : g.label, g.unattributed, g.lines,
                      g.files.size()});
  std::sort(s.rows.begin(), s.rows.end(), [](const AliveRow& a, const AliveRow& b) {
    return std::tie(b.lines, a.unattributed, a.key) < std::tie(a.lines, b.unattributed, b.key);
  });
  return s;
}

std::string to_text(const AliveSummary& s) {
  std::string out = fmt::format("lines alive at {}: {} lines in {} files, by {}\n", s.rev.substr(0, 12),
                                s.total_lines, s.total_files, s.by);
  for (const AliveRow& r : s.rows) {
    const double share = s.total_lines ? 100.0 * static_cast<double>(r.lines) / static_cast<double>(s.total_lines) : 0;
    std::string who = r.unattributed ? "unattributed " + r.key : r.key;
    if (!r.label.empty()) who += " (" + r.label + ")";
    // Identities come from repository content: keep control characters out of the terminal.
    std::string safe;
    for (unsigned char c : who) safe += c < 0x20 || c == 0x7f ? fmt::format("\\x{:02x}", c) : std::string(1, static_cast<char>(c));
    out += fmt::format("  {:>9} lines {:>6.2f}%  {:>6} files  {}\n", r.lines, share, r.files, safe);
  }
  if (s.by == "citizenship") out += "  (a person with several citizenships counts under each)\n";
  if (!s.skipped.empty()) {
    std::map<std::string, std::uint64_t> kinds;
    for (const Skipped& k : s.skipped) ++kinds[k.kind];
    std::string list;
    for (const auto& [k, n] : kinds) list += fmt::format("{}{} {}", list.empty() ? "" : ", ", n, k);
    out += fmt::format("not counted: {}\n", list);
  }
  return out;
}

std::string to_json(const AliveSummary& s) {
  using nlohmann::ordered_json;
  ordered_json j;
  j["schema"] = "provscan-blame/1";
  j["rev"] = s.rev;
  j["by"] = s.by;
  j["total_lines"] = s.total_lines;
  j["total_files"] = s.total_files;
  ordered_json rows = ordered_json::array();
  for (const AliveRow& r : s.rows) {
    ordered_json row;
    row["key"] = r.unattributed ? ordered_json(nullptr) : ordered_json(r.key);
    row["identity"] = r.unattributed ? ordered_json(r.key) : ordered_json(nullptr);
    row["name"] = r.label.empty() ? ordered_json(nullptr) : ordered_json(r.label);
    row["lines"] = r.lines;
    row["files"] = r.files;
    rows.push_back(std::move(row));
  }
  j["groups"] = std::move(rows);
  ordered_json skipped = ordered_json::array();
  for (const Skipped& k : s.skipped) skipped.push_back({{"kind", k.kind}, {"path", k.path}, {"reason", k.reason}});
  j["skipped"] = std::move(skipped);
  // Repository bytes may be invalid UTF-8: replace rather than throw.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace provscan::scan
