#include "scanner/policy.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "common/error.h"
#include "common/hash.h"
#include "rules/yaml_util.h"
#include "scanner/fingerprint.h"

namespace provscan::scan {

std::string_view to_string(UnattributedMode m) noexcept {
  switch (m) {
    case UnattributedMode::Deny: return "deny";
    case UnattributedMode::Warn: return "warn";
    case UnattributedMode::Allow: return "allow";
  }
  return "deny";
}

const std::string* PathRule::matching_glob(std::string_view path) const noexcept {
  for (const std::string& g : match)
    if (rules::glob_match(g, path)) return &g;
  return nullptr;
}

const PathRule& Policy::rule_for(std::string_view path) const noexcept {
  for (const PathRule& r : paths)
    if (r.matching_glob(path)) return r;
  return default_rule;
}

bool Policy::is_escort(const Person& p) const noexcept {
  return !p.role.empty() && std::find(escort_roles.begin(), escort_roles.end(), p.role) != escort_roles.end();
}

// ---------------------------------------------------------------------------------------------
// Loading

namespace {

bool is_country_attr(std::string_view a) { return a == "citizenship" || a == "residency" || a == "location"; }

bool is_alpha2(std::string_view s) {
  return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1]));
}

// What is wrong with a glob, or empty. glob_match accepts anything; these are the patterns that
// can only be mistakes (they match nothing, or not what they seem to).
std::string glob_problem(std::string_view g) {
  if (g.empty()) return "empty glob";
  if (g.find('\\') != std::string_view::npos) return fmt::format("glob '{}' contains '\\': paths are '/'-separated", g);
  if (g.back() == '/') return fmt::format("glob '{}' ends with '/': write '{}**' to match a folder", g, g);
  std::string_view body = g.front() == '/' ? g.substr(1) : g;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('/', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view seg = body.substr(start, end - start);
    if (seg.empty()) return fmt::format("glob '{}' has an empty path segment", g);
    if (seg == "." || seg == "..") return fmt::format("glob '{}' has a '{}' segment: globs are relative to the repository root", g, seg);
    if (seg.find("**") != std::string_view::npos && seg != "**")
      return fmt::format("glob '{}': '**' must be a whole path segment", g);
    for (std::size_t i = 0; i < seg.size(); ++i) {
      if (seg[i] != '[') continue;
      std::size_t close = seg.find(']', i + 2);  // "[]a]" is a class holding ']'
      if (close == std::string_view::npos) return fmt::format("glob '{}' has an unterminated '['", g);
      i = close;
    }
    start = end + 1;
  }
  return {};
}

struct Problem {
  rules::SourcePos at;
  std::string message;
};

struct Loader {
  std::string file;
  std::vector<Problem> problems;

  rules::SourcePos pos(const YAML::Node& n) const { return rules::yaml::pos_of(file, n); }
  void add(const rules::SourcePos& at, std::string msg) { problems.push_back({at, std::move(msg)}); }
  // Errors about a value point at the value; an empty value (`key:` alone) has no useful
  // position in yaml-cpp (it points past the line), so they point at its key.
  void add(const YAML::Node& at, const YAML::Node& key, const std::string& msg) {
    const YAML::Node& where = at.IsNull() || at.Mark().line < 0 ? key : at;
    add(pos(where), msg);
  }
  void add(const YAML::Node& at, const std::string& msg) { add(at, at, msg); }

  // False when `n` is not a mapping; reports unknown keys.
  bool keys(const YAML::Node& n, const YAML::Node& key, std::initializer_list<std::string_view> allowed,
            std::string_view what) {
    if (!n.IsMap()) {
      add(n, key, fmt::format("{} must be a mapping", what));
      return false;
    }
    for (const auto& kv : n) {
      const std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
        add(kv.first, fmt::format("unknown key '{}' in {} (allowed: {})", k, what, fmt::join(allowed, ", ")));
    }
    return true;
  }

  std::optional<std::string> scalar(const YAML::Node& n, const YAML::Node& key, std::string_view what) {
    if (n.IsScalar()) return n.Scalar();
    add(n, key, fmt::format("'{}' must be a string", what));
    return std::nullopt;
  }

  std::vector<std::string> list(const YAML::Node& n, const YAML::Node& key, std::string_view what,
                                std::vector<rules::SourcePos>* item_pos = nullptr) {
    std::vector<std::string> out;
    auto take = [&](const YAML::Node& item) {
      if (item.Scalar().empty()) {
        add(item, key, fmt::format("'{}' has an empty value", what));
        return;
      }
      out.push_back(item.Scalar());
      if (item_pos) item_pos->push_back(pos(item));
    };
    if (n.IsScalar()) {
      take(n);
    } else if (!n.IsSequence()) {
      add(n, key, fmt::format("'{}' must be a list of strings", what));
    } else {
      for (const auto& item : n) {
        if (item.IsScalar()) take(item);
        else add(item, key, fmt::format("'{}' items must be strings", what));
      }
    }
    return out;
  }

  std::optional<bool> boolean(const YAML::Node& n, const YAML::Node& key, std::string_view what) {
    if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false")) return n.Scalar() == "true";
    add(n, key, fmt::format("'{}' must be true or false", what));
    return std::nullopt;
  }

  std::optional<unsigned> count(const YAML::Node& n, const YAML::Node& key, std::string_view what) {
    if (n.IsScalar() && !n.Scalar().empty() && n.Scalar().size() <= 4 &&
        std::all_of(n.Scalar().begin(), n.Scalar().end(), [](unsigned char c) { return std::isdigit(c); }))
      return static_cast<unsigned>(std::stoul(n.Scalar()));
    add(n, key, fmt::format("'{}' must be a whole number from 0 to 9999", what));
    return std::nullopt;
  }

  AllowRule allow(const YAML::Node& n, const YAML::Node& key) {
    AllowRule a;
    if (!n.IsMap()) {
      add(n, key, "'allow' must be a mapping of attribute: [values]");
      return a;
    }
    for (const auto& kv : n) {
      std::string attr = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      if (attr == "roles") attr = "role";  // INTERFACE.md's example spells it so
      if (std::find(std::begin(kPolicyAttributes), std::end(kPolicyAttributes), attr) == std::end(kPolicyAttributes)) {
        add(kv.first, fmt::format("unknown attribute '{}' in allow (allowed: {})", kv.first.Scalar(),
                                  fmt::join(kPolicyAttributes, ", ")));
        continue;
      }
      if (a.attrs.count(attr)) {
        add(kv.first, attr == kv.first.Scalar()
                          ? fmt::format("attribute '{}' is given twice in allow", attr)
                          : fmt::format("attribute '{}' is given twice in allow (as '{}')", attr, kv.first.Scalar()));
        continue;
      }
      std::vector<rules::SourcePos> item_pos;
      std::vector<std::string> values = list(kv.second, kv.first, attr, &item_pos);
      if (is_country_attr(attr))
        for (std::size_t i = 0; i < values.size(); ++i)
          if (!is_alpha2(values[i]))
            add(item_pos[i], fmt::format("{} '{}' is not an ISO 3166-1 alpha-2 code", attr, values[i]));
      a.attrs.emplace(attr, std::move(values));
      a.pos.emplace(attr, pos(kv.first));
    }
    return a;
  }

  Requirement require(const YAML::Node& n, const YAML::Node& key) {
    Requirement r;
    if (!keys(n, key, {"signed", "reviewed_by", "no_self_review"}, "require")) return r;
    for (const auto& kv : n) {
      const std::string k = kv.first.Scalar();
      if (k == "signed") r.signed_ = boolean(kv.second, kv.first, k).value_or(false);
      if (k == "no_self_review") r.no_self_review = boolean(kv.second, kv.first, k).value_or(true);
      if (k == "reviewed_by") r.reviewed_by = count(kv.second, kv.first, k).value_or(0);
    }
    return r;
  }

  // A `default:` (is_default) or `paths:` entry. Missing allow/require come from `base`.
  PathRule rule(const YAML::Node& n, const YAML::Node& key, bool is_default, const PathRule& base) {
    PathRule r;
    r.pos = pos(n.Mark().line >= 0 ? n : key);
    r.label = "default";
    r.allow = base.allow;
    r.require = base.require;
    const bool ok = is_default ? keys(n, key, {"allow", "require"}, "default")
                               : keys(n, key, {"match", "allow", "require"}, "path rule");
    if (!ok) return r;
    for (const auto& kv : n) {
      const std::string k = kv.first.Scalar();
      if (k == "allow") r.allow = allow(kv.second, kv.first);
      if (k == "require") r.require = require(kv.second, kv.first);
      if (k == "match") {
        r.match = list(kv.second, kv.first, "match", &r.match_pos);
        for (std::size_t i = 0; i < r.match.size(); ++i)
          if (std::string p = glob_problem(r.match[i]); !p.empty())
            add(r.match_pos[i], p);
      }
    }
    if (!is_default) {
      if (!n["match"]) add(n, key, "path rule without 'match'");
      else if (r.match.empty() && n["match"].IsSequence()) add(n["match"], "'match' lists no glob");
      r.label = fmt::format("{}", fmt::join(r.match, ", "));
    }
    return r;
  }

  void relay(const YAML::Node& n, const YAML::Node& key, Policy& p) {
    if (!keys(n, key, {"escort_roles", "origin_trailer"}, "relay")) return;
    for (const auto& kv : n) {
      const std::string k = kv.first.Scalar();
      if (k == "escort_roles") {
        p.escort_roles = list(kv.second, kv.first, k);  // [] = no escorts
      }
      if (k == "origin_trailer") {
        std::optional<std::string> t = scalar(kv.second, kv.first, k);
        if (!t) continue;
        const bool valid = !t->empty() && std::all_of(t->begin(), t->end(), [](unsigned char c) {
          return std::isalnum(c) || c == '-';
        });
        if (valid) p.origin_trailer = *t;
        else add(kv.second, kv.first, fmt::format("origin_trailer '{}' is not a trailer key (letters, digits and '-')", *t));
      }
    }
  }

  void unattributed(const YAML::Node& n, const YAML::Node& key, Policy& p) {
    const std::string v = n.IsScalar() ? n.Scalar() : "";
    if (v == "deny") p.unattributed = UnattributedMode::Deny;
    else if (v == "warn") p.unattributed = UnattributedMode::Warn;
    else if (v == "allow") p.unattributed = UnattributedMode::Allow;
    else add(n, key, fmt::format("'unattributed' must be deny, warn or allow (got '{}')", n.IsScalar() ? v : "?"));
  }
};

}  // namespace

Policy load_policy(const std::string& file) {
  const std::string text = rules::yaml::read_file(file);
  const YAML::Node doc = rules::yaml::parse_document(file, text);
  Loader l{file, {}};
  Policy p;
  p.file = file;
  p.sha256 = sha256_hex(text);
  if (!doc.IsMap()) {
    l.add(rules::SourcePos{file, 1, 1}, "a policy must be a mapping with keys default, paths, relay, unattributed");
  } else {
    l.keys(doc, doc, {"default", "paths", "relay", "unattributed"}, "policy");
    for (const auto& kv : doc) {  // `default` first: path rules inherit from it
      if (kv.first.Scalar() == "default") p.default_rule = l.rule(kv.second, kv.first, true, PathRule{});
    }
    for (const auto& kv : doc) {
      const std::string k = kv.first.Scalar();
      if (k == "relay") l.relay(kv.second, kv.first, p);
      if (k == "unattributed") l.unattributed(kv.second, kv.first, p);
      if (k != "paths") continue;
      if (!kv.second.IsSequence()) {
        l.add(kv.second, kv.first, "'paths' must be a list of path rules");
        continue;
      }
      for (const auto& item : kv.second) p.paths.push_back(l.rule(item, kv.first, false, p.default_rule));
    }
  }
  if (!l.problems.empty()) {
    std::stable_sort(l.problems.begin(), l.problems.end(), [](const Problem& a, const Problem& b) {
      return std::tie(a.at.line, a.at.col) < std::tie(b.at.line, b.at.col);
    });
    std::string msg;
    for (const Problem& pr : l.problems) msg += fmt::format("{}{}: {}", msg.empty() ? "" : "\n", pr.at.str(), pr.message);
    throw InputError(msg);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

namespace {

std::vector<std::string> values_of(const Person& p, std::string_view attr) {
  auto one = [](const std::string& v) { return v.empty() ? std::vector<std::string>{} : std::vector<std::string>{v}; };
  if (attr == "citizenship") return p.citizenship;
  if (attr == "residency") return one(p.residency);
  if (attr == "location") return one(p.location);
  if (attr == "employer") return one(p.employer);
  if (attr == "role") return one(p.role);
  if (attr == "clearance") return one(p.clearance);
  if (attr == "person") return one(p.id);
  return {};
}

std::string label(const Person& p) { return p.name.empty() ? p.id : fmt::format("{} ({})", p.id, p.name); }

std::string format_day(Day z) {  // Howard Hinnant's civil_from_days
  z += 719468;
  const Day era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const Day y = static_cast<Day>(yoe) + era * 400 + (m <= 2);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::string validity(const Person& p) {
  return fmt::format("{}..{}", p.valid_from ? format_day(*p.valid_from) : "", p.valid_to ? format_day(*p.valid_to) : "");
}

// "for deploy/**" (the glob that took the path) or "for the default rule".
std::string where(const PathRule& r, std::string_view path) {
  const std::string* g = r.matching_glob(path);
  return g ? "for " + *g : "for the default rule";
}

struct Out {
  const CommitFacts& facts;
  std::vector<Finding> findings;

  void add(std::string rule_id, Severity sev, const std::string& path, const std::vector<std::string>& reasons) {
    if (reasons.empty()) return;
    Finding f;
    f.rule_id = std::move(rule_id);
    f.engine = "policy";
    f.severity = sev;
    f.message = fmt::format("{}", fmt::join(reasons, "; "));
    f.commit = facts.commit;
    f.path = path;
    f.author = facts.who.author;
    f.committer = facts.who.committer;
    f.relayed_for = facts.who.relayed_for;
    // A breach belongs to its commit: the same breach repeated later is a new one.
    f.fingerprint = fingerprint(f.rule_id, f.path, facts.commit + "\n" + f.message, 0);
    findings.push_back(std::move(f));
  }
};

const Person* person_of(const Roster& roster, const std::optional<PersonRef>& ref) {
  return ref && ref->person ? roster.by_id(*ref->person) : nullptr;
}

std::optional<std::string> signature_problem(const CommitFacts& c, const Person* author) {
  if (!c.signature_verified) return "commit has no verified signature";
  if (!c.signer) return "signature verified with a key of no roster person";
  if (!author || *c.signer != author->id) return fmt::format("signed by {}, not by the author", *c.signer);
  return std::nullopt;
}

std::string review_problem(const PathRule& rule, const Roster& roster, const CommitFacts& c,
                           const Person* author, const Person* origin, Day day) {
  std::set<std::string> counted;
  std::vector<std::string> not_counted;
  auto skip = [&](const std::string& id, std::string_view why) {
    std::string s = fmt::format("{} {}", id, why);
    if (std::find(not_counted.begin(), not_counted.end(), s) == not_counted.end()) not_counted.push_back(s);
  };
  for (const PersonRef& r : c.reviewers) {
    if (!r.person) {
      skip(r.identity, "is not in the roster");
      continue;
    }
    const Person* p = roster.by_id(*r.person);
    if (!p) skip(*r.person, "is not in the roster");
    else if (author && p->id == author->id) skip(p->id, "is the author");
    else if (rule.require.no_self_review && origin && p->id == origin->id) skip(p->id, "is the relay origin");
    else if (!p->valid_on(day)) skip(p->id, "is outside their validity");
    else if (!allow_failures(rule.allow, *p).empty()) skip(p->id, "may not contribute there");
    else counted.insert(p->id);
  }
  if (counted.size() >= rule.require.reviewed_by) return {};
  std::string s = fmt::format("{} of {} required reviewers", counted.size(), rule.require.reviewed_by);
  if (!not_counted.empty()) s += fmt::format(" (not counted: {})", fmt::join(not_counted, ", "));
  return s;
}

}  // namespace

std::vector<std::string> allow_failures(const AllowRule& allow, const Person& p) {
  std::vector<std::string> out;
  for (const auto& [attr, allowed] : allow.attrs) {
    const std::vector<std::string> have = values_of(p, attr);
    // Init-captures: clang 14 cannot capture a structured binding implicitly.
    const bool ok = std::any_of(have.begin(), have.end(), [&, &allowed = allowed](const std::string& v) {
      return std::find(allowed.begin(), allowed.end(), v) != allowed.end();
    });
    if (!ok)
      out.push_back(fmt::format("{} {} not in [{}]", attr, have.empty() ? "(none)" : fmt::format("{}", fmt::join(have, ", ")),
                                fmt::join(allowed, ", ")));
  }
  return out;
}

std::vector<Finding> evaluate_policy(const Policy& pol, const Roster& roster, const CommitFacts& c) {
  std::vector<std::string> paths = c.paths;
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  if (paths.empty()) return {};
  Out out{c, {}};
  const Day day = day_of(c.time);
  const Person* author = person_of(roster, c.who.author);
  const std::optional<PersonRef>& origin_ref = c.who.relayed_for;
  const Person* origin = person_of(roster, origin_ref);
  const std::string who = author ? label(*author) : c.who.author.identity;
  const std::string& first = paths.front();

  // Checks that do not depend on the path: once per commit.
  std::vector<std::string> unattributed, validity_reasons;
  if (!author) unattributed.push_back(fmt::format("author {} is not in the roster", c.who.author.identity));
  if (origin_ref && !origin)
    unattributed.push_back(fmt::format("relay origin {} (named by {}) is not in the roster", origin_ref->identity,
                                       pol.origin_trailer));
  if (pol.unattributed != UnattributedMode::Allow)
    out.add("policy.unattributed", pol.unattributed == UnattributedMode::Deny ? Severity::High : Severity::Medium,
            first, unattributed);
  if (author && pol.is_escort(*author) && !origin_ref)
    out.add("policy.relay-without-origin", Severity::High, first,
            {fmt::format("{} holds escort role '{}' but the commit names no origin ({} trailer)", who, author->role,
                         pol.origin_trailer)});
  for (const auto& [p, role] : {std::pair{author, "author"}, std::pair{origin, "relay origin"}})
    if (p && !p->valid_on(day))
      validity_reasons.push_back(fmt::format("{} {}: commit day {} outside validity {}", role, label(*p),
                                             format_day(day), validity(*p)));
  out.add("policy.outside-validity", Severity::High, first, validity_reasons);

  // The rest: once per path rule, at the first path under it. Path rules in file order, then
  // the default rule.
  std::vector<std::pair<const PathRule*, std::string>> groups;  // rule -> first path
  for (const std::string& path : paths) {
    const PathRule* r = &pol.rule_for(path);
    if (std::none_of(groups.begin(), groups.end(), [&](const auto& g) { return g.first == r; }))
      groups.emplace_back(r, path);
  }
  auto rank = [&](const PathRule* r) { return r == &pol.default_rule ? pol.paths.size() : std::size_t(r - pol.paths.data()); };
  std::stable_sort(groups.begin(), groups.end(), [&](const auto& a, const auto& b) { return rank(a.first) < rank(b.first); });

  for (const auto& [rule, path] : groups) {
    const std::string at = where(*rule, path);
    if (author)
      if (auto f = allow_failures(rule->allow, *author); !f.empty())
        out.add("policy.path-not-allowed", Severity::High, path,
                {fmt::format("{}: {} {}", who, fmt::join(f, ", "), at)});
    if (origin)
      if (auto f = allow_failures(rule->allow, *origin); !f.empty())
        out.add("policy.relayed-from-disallowed", Severity::Critical, path,
                {fmt::format("relay origin {} (relayed by {}): {} {}", label(*origin), who, fmt::join(f, ", "), at)});
    if (rule->require.signed_)
      if (auto problem = signature_problem(c, author))
        out.add("policy.unsigned", Severity::High, path, {fmt::format("{}: {}; a signature by the author is required {}", who, *problem, at)});
    if (rule->require.reviewed_by > 0)
      if (std::string problem = review_problem(*rule, roster, c, author, origin, day); !problem.empty())
        out.add("policy.unreviewed", Severity::Medium, path, {fmt::format("{}: {} {}", who, problem, at)});
  }
  return std::move(out.findings);
}

std::vector<RuleInfo> policy_rules() {
  auto info = [](std::string id, Severity s, std::string msg) {
    return RuleInfo{std::move(id), "policy", s, std::move(msg), {}, {}};
  };
  return {
      info("policy.outside-validity", Severity::High, "Commit dated outside the contributor's roster validity"),
      info("policy.path-not-allowed", Severity::High, "Contributor's attributes are not allowed on this path"),
      info("policy.relay-without-origin", Severity::High, "Escort's commit names no origin"),
      info("policy.relayed-from-disallowed", Severity::Critical,
           "Escort relayed a change from a person the policy does not allow here"),
      info("policy.unattributed", Severity::High, "Contributor is not in the roster"),
      info("policy.unreviewed", Severity::Medium, "Fewer qualifying reviewers than the path requires"),
      info("policy.unsigned", Severity::High, "Path requires a verified signature by the author"),
  };
}

// ---------------------------------------------------------------------------------------------
// Description

namespace {

std::string describe_allow(const AllowRule& a) {
  if (a.attrs.empty()) return "anyone in the roster";
  std::vector<std::string> parts;
  for (const auto& [attr, values] : a.attrs) parts.push_back(fmt::format("{} [{}]", attr, fmt::join(values, ", ")));
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string describe_require(const Requirement& r) {
  std::vector<std::string> parts;
  if (r.signed_) parts.push_back("signed by the author");
  if (r.reviewed_by > 0)
    parts.push_back(fmt::format("{} reviewer{}{}", r.reviewed_by, r.reviewed_by == 1 ? "" : "s",
                                r.no_self_review ? " (not the author or the relay origin)" : " (not the author)"));
  return parts.empty() ? "nothing" : fmt::format("{}", fmt::join(parts, "; "));
}

std::string where_written(const rules::SourcePos& p) { return p.file.empty() ? "" : fmt::format(" ({})", p.str()); }

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// Sorted by position in the policy file; warnings about the whole policy come last.
struct Warnings {
  std::vector<Problem> items;
  void add(const rules::SourcePos& at, std::string msg) {
    for (const Problem& w : items)
      if (w.at.str() == at.str() && w.message == msg) return;
    items.push_back({at, std::move(msg)});
  }
  std::vector<std::string> lines() const {
    std::vector<Problem> sorted = items;
    auto key = [](const Problem& w) { return std::tuple(w.at.file.empty(), w.at.line, w.at.col); };
    std::stable_sort(sorted.begin(), sorted.end(), [&](const Problem& a, const Problem& b) { return key(a) < key(b); });
    std::vector<std::string> out;
    for (const Problem& w : sorted) out.push_back(w.at.file.empty() ? w.message : fmt::format("{}: {}", w.at.str(), w.message));
    return out;
  }
};

void describe_rule(std::string& out, Warnings& warn, const std::string& heading, const PathRule& r, const Roster& roster) {
  out += fmt::format("{}{}\n", heading, where_written(r.pos));
  out += fmt::format("    allow: {}\n", describe_allow(r.allow));
  out += fmt::format("    require: {}\n", describe_require(r.require));
  std::vector<std::string> may, may_not;
  for (const Person& p : roster.people()) {
    const std::string name = p.name.empty() ? p.id : p.id + " " + p.name;
    const std::vector<std::string> f = allow_failures(r.allow, p);
    if (!f.empty()) may_not.push_back(fmt::format("{}: {}", name, fmt::join(f, ", ")));
    else if (p.valid_from || p.valid_to) may.push_back(fmt::format("{} (valid {})", name, validity(p)));
    else may.push_back(name);
  }
  out += may.empty() ? "    may contribute: nobody\n" : "    may contribute:\n";
  for (const std::string& m : may) out += "      " + m + "\n";
  if (!may_not.empty()) out += "    may not:\n";
  for (const std::string& m : may_not) out += "      " + m + "\n";

  if (may.empty() && !roster.empty()) warn.add(r.pos, fmt::format("nobody in the roster may contribute under '{}'", r.label));
  if (r.require.reviewed_by > 0 && !roster.empty() && may.size() < r.require.reviewed_by + 1)
    warn.add(r.pos, fmt::format("'{}' requires {} besides the author, but only {} may contribute there (reviewers "
                                "must be allowed too)",
                                r.label, plural(r.require.reviewed_by, "reviewer", "reviewers"),
                                plural(may.size(), "roster person", "roster people")));
  for (const auto& [attr, values] : r.allow.attrs) {
    const rules::SourcePos at = r.allow.pos.count(attr) ? r.allow.pos.at(attr) : r.pos;
    for (const std::string& v : values) {
      const bool held = std::any_of(roster.people().begin(), roster.people().end(), [&, &attr = attr](const Person& p) {
        const auto have = values_of(p, attr);
        return std::find(have.begin(), have.end(), v) != have.end();
      });
      if (held) continue;
      if (attr == "person") warn.add(at, fmt::format("person '{}' is not in the roster", v));
      else warn.add(at, fmt::format("{} '{}' is held by no roster person", attr, v));
    }
  }
}

}  // namespace

std::string describe_policy(const Policy& pol, const Roster& roster, const std::vector<std::string>& repo_paths) {
  std::string out;
  Warnings warn;
  out += fmt::format("policy {}{}\n", pol.file.empty() ? "(built in)" : pol.file,
                     pol.sha256.empty() ? "" : " sha256 " + pol.sha256);
  out += "path rules (first match wins):\n";
  for (std::size_t i = 0; i < pol.paths.size(); ++i)
    describe_rule(out, warn, fmt::format("  {}. {}", i + 1, pol.paths[i].label), pol.paths[i], roster);
  describe_rule(out, warn, "  default: every other path", pol.default_rule, roster);

  std::vector<std::string> escorts;
  for (const Person& p : roster.people())
    if (pol.is_escort(p)) escorts.push_back(p.name.empty() ? p.id : p.id + " " + p.name);
  out += fmt::format("relays: escort roles [{}]; origin trailer {}; escorts: {}\n", fmt::join(pol.escort_roles, ", "),
                     pol.origin_trailer, escorts.empty() ? "none" : fmt::format("{}", fmt::join(escorts, ", ")));
  out += fmt::format("unattributed authors: {}\n", to_string(pol.unattributed));

  if (!repo_paths.empty()) {
    for (std::size_t i = 0; i < pol.paths.size(); ++i) {
      const PathRule& r = pol.paths[i];
      for (std::size_t g = 0; g < r.match.size(); ++g) {
        const bool any = std::any_of(repo_paths.begin(), repo_paths.end(),
                                     [&](const std::string& p) { return rules::glob_match(r.match[g], p); });
        if (!any) warn.add(g < r.match_pos.size() ? r.match_pos[g] : r.pos,
                           fmt::format("glob '{}' matches no path of the repository", r.match[g]));
      }
      const bool reached = std::any_of(repo_paths.begin(), repo_paths.end(),
                                       [&](const std::string& p) { return &pol.rule_for(p) == &r; });
      const bool matches = std::any_of(repo_paths.begin(), repo_paths.end(),
                                       [&](const std::string& p) { return r.matching_glob(p) != nullptr; });
      if (matches && !reached)
        warn.add(r.pos, fmt::format("path rule '{}' is never used: earlier rules take every path it matches", r.label));
    }
  }
  if (pol.unattributed == UnattributedMode::Allow &&
      (!pol.default_rule.allow.attrs.empty() ||
       std::any_of(pol.paths.begin(), pol.paths.end(), [](const PathRule& r) { return !r.allow.attrs.empty(); })))
    warn.add({}, "unattributed: allow lets people who are not in the roster contribute to restricted paths unchecked");

  const std::vector<std::string> warnings = warn.lines();
  out += warnings.empty() ? "warnings: none\n" : "warnings:\n";
  for (const std::string& w : warnings) out += "  " + w + "\n";
  return out;
}

}  // namespace provscan::scan
