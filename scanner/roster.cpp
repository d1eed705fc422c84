#include "scanner/roster.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "common/error.h"
#include "common/hash.h"
#include "rules/yaml_util.h"

namespace provscan::scan {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Days from civil date (Howard Hinnant's algorithm).
Day days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<Day>(era) * 146097 + static_cast<Day>(doe) - 719468;
}

struct Collector {
  std::string file;
  std::vector<std::string> problems;
  void add(const YAML::Node& at, const std::string& msg) {
    problems.push_back(fmt::format("{}: {}", rules::yaml::pos_of(file, at).str(), msg));
  }
};

std::vector<std::string> list_of(Collector& c, const YAML::Node& n, const std::string& what) {
  std::vector<std::string> out;
  if (n.IsScalar()) return {n.Scalar()};
  if (!n.IsSequence()) {
    c.add(n, what + " must be a list of strings");
    return out;
  }
  for (const auto& i : n) {
    if (i.IsScalar()) out.push_back(i.Scalar());
    else c.add(i, what + " items must be strings");
  }
  return out;
}

std::string scalar_of(Collector& c, const YAML::Node& n, const std::string& what) {
  if (n.IsScalar()) return n.Scalar();
  c.add(n, what + " must be a string");
  return {};
}

constexpr std::array<const char*, 14> kPersonKeys = {
    "id",        "name",     "names",    "emails",   "citizenship", "residency", "location",
    "employer",  "role",     "clearance", "valid_from", "valid_to", "signing_keys", "note"};

Person parse_person(Collector& c, const YAML::Node& n) {
  Person p;
  p.pos = rules::yaml::pos_of(c.file, n);
  if (!n.IsMap()) {
    c.add(n, "each person must be a mapping");
    return p;
  }
  for (const auto& kv : n) {
    const std::string key = kv.first.as<std::string>();
    if (std::find_if(kPersonKeys.begin(), kPersonKeys.end(), [&](const char* k) { return key == k; }) ==
        kPersonKeys.end())
      c.add(kv.first, fmt::format("unknown key '{}' in person (allowed: {})", key, fmt::join(kPersonKeys, ", ")));
  }
  if (n["id"]) p.id = scalar_of(c, n["id"], "id");
  if (p.id.empty()) c.add(n, "person without 'id'");
  if (n["name"]) p.name = scalar_of(c, n["name"], "name");
  if (n["names"]) p.names = list_of(c, n["names"], "names");
  if (n["emails"]) p.emails = list_of(c, n["emails"], "emails");
  for (auto& e : p.emails) e = lower(e);
  if (p.emails.empty() && p.name.empty() && p.names.empty())
    c.add(n, fmt::format("person {} has no emails or names to be matched by", p.id));
  if (n["citizenship"]) p.citizenship = list_of(c, n["citizenship"], "citizenship");
  for (const auto& cc : p.citizenship)
    if (cc.size() != 2 || !std::isupper(static_cast<unsigned char>(cc[0])) ||
        !std::isupper(static_cast<unsigned char>(cc[1])))
      c.add(n["citizenship"], fmt::format("citizenship '{}' is not an ISO 3166-1 alpha-2 code", cc));
  if (n["residency"]) p.residency = scalar_of(c, n["residency"], "residency");
  if (n["location"]) p.location = scalar_of(c, n["location"], "location");
  if (n["employer"]) p.employer = scalar_of(c, n["employer"], "employer");
  if (n["role"]) p.role = scalar_of(c, n["role"], "role");
  if (n["clearance"]) p.clearance = scalar_of(c, n["clearance"], "clearance");
  if (n["signing_keys"]) p.signing_keys = list_of(c, n["signing_keys"], "signing_keys");
  for (const char* key : {"valid_from", "valid_to"}) {
    if (!n[key]) continue;
    const std::string s = scalar_of(c, n[key], key);
    auto d = parse_date(s);
    if (!d) c.add(n[key], fmt::format("{} '{}' is not a date (YYYY-MM-DD)", key, s));
    (std::string_view(key) == "valid_from" ? p.valid_from : p.valid_to) = d;
  }
  if (p.valid_from && p.valid_to && *p.valid_from > *p.valid_to)
    c.add(n["valid_to"], fmt::format("person {}: valid_to is before valid_from", p.id));
  return p;
}

}  // namespace

std::optional<Day> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  const int y = std::stoi(std::string(s.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(s.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(s.substr(8, 2))));
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  return days_from_civil(y, m, d);
}

Day day_of(std::int64_t unix_seconds) {
  return unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
}

Roster::Roster(std::vector<Person> people, std::string sha256)
    : people_(std::move(people)), sha256_(std::move(sha256)) {
  std::sort(people_.begin(), people_.end(), [](const Person& a, const Person& b) { return a.id < b.id; });
  for (std::size_t i = 0; i < people_.size(); ++i) {
    for (const auto& e : people_[i].emails) by_email_.emplace(lower(e), i);
    std::set<std::string> names(people_[i].names.begin(), people_[i].names.end());
    if (!people_[i].name.empty()) names.insert(people_[i].name);
    for (const auto& n : names) by_name_[n].push_back(i);
  }
}

const Person* Roster::find(std::string_view name, std::string_view email) const {
  if (!email.empty()) {
    if (auto it = by_email_.find(lower(email)); it != by_email_.end()) return &people_[it->second];
  }
  if (!name.empty()) {
    auto it = by_name_.find(name);
    // Two people with one name: do not guess.
    if (it != by_name_.end() && it->second.size() == 1) return &people_[it->second.front()];
  }
  return nullptr;
}

const Person* Roster::by_id(std::string_view id) const {
  auto it = std::lower_bound(people_.begin(), people_.end(), id,
                             [](const Person& p, std::string_view v) { return p.id < v; });
  return it != people_.end() && it->id == id ? &*it : nullptr;
}

Roster load_roster(const std::string& file) {
  const std::string text = rules::yaml::read_file(file);
  YAML::Node doc = rules::yaml::parse_document(file, text);
  Collector c{file, {}};
  std::vector<Person> people;
  if (!doc.IsMap() || !doc["people"]) {
    c.problems.push_back(fmt::format("{}:1:1: a roster needs a top-level 'people:' list", file));
  } else {
    for (const auto& kv : doc)
      if (kv.first.as<std::string>() != "people")
        c.add(kv.first, fmt::format("unknown key '{}' at top level (allowed: people)", kv.first.as<std::string>()));
    const YAML::Node list = doc["people"];
    if (!list.IsSequence()) c.add(list, "'people' must be a list");
    else
      for (const auto& n : list) people.push_back(parse_person(c, n));
  }
  std::map<std::string, const Person*> ids;
  std::map<std::string, const Person*> emails;
  for (const Person& p : people) {
    if (!p.id.empty()) {
      auto [it, fresh] = ids.emplace(p.id, &p);
      if (!fresh)
        c.problems.push_back(fmt::format("{}: duplicate person id '{}' (first at {})", p.pos.str(), p.id,
                                         it->second->pos.str()));
    }
    for (const auto& e : p.emails) {
      auto [it, fresh] = emails.emplace(e, &p);
      if (!fresh && it->second != &p)
        c.problems.push_back(fmt::format("{}: email '{}' belongs to both {} and {}", p.pos.str(), e,
                                         it->second->id, p.id));
    }
  }
  if (!c.problems.empty()) {
    std::string msg;
    for (const auto& line : c.problems) msg += (msg.empty() ? "" : "\n") + line;
    throw InputError(msg);
  }
  return Roster(std::move(people), sha256_hex(text));
}

}  // namespace provscan::scan
