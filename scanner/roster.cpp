#include "scanner/roster.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "common/text.h"
#include "common/error.h"
#include "common/hash.h"
#include "rules/yaml_util.h"
#include "scanner/signing.h"

namespace provscan::scan {

namespace {

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
  void add(const rules::SourcePos& at, const std::string& msg) {
    problems.push_back(fmt::format("{}: {}", at.str(), msg));
  }
};

// One person's fields as read from either format, each with where it stands in the file.
struct Field {
  std::vector<std::string> values;  // a scalar is a one-element list
  bool is_list = false;             // written as a list (YAML sequence)
  bool malformed = false;           // neither a string nor a list of strings
  rules::SourcePos pos;
};
struct Record {
  rules::SourcePos pos;
  std::map<std::string, Field> fields;
  std::vector<std::pair<std::string, rules::SourcePos>> keys;  // in file order, for unknown-key errors
};

constexpr std::array<const char*, 14> kPersonKeys = {
    "id",        "name",     "names",    "emails",   "citizenship", "residency", "location",
    "employer",  "role",     "clearance", "valid_from", "valid_to", "signing_keys", "note"};
constexpr std::array<const char*, 4> kListKeys = {"names", "emails", "citizenship", "signing_keys"};

bool is_list_key(std::string_view k) {
  return std::find(kListKeys.begin(), kListKeys.end(), k) != kListKeys.end();
}

Person parse_person(Collector& c, const Record& r) {
  Person p;
  p.pos = r.pos;
  for (const auto& [key, pos] : r.keys)
    // std::find, not a lambda capturing `key`: clang 14 cannot capture a structured binding.
    if (std::find(kPersonKeys.begin(), kPersonKeys.end(), std::string_view(key)) == kPersonKeys.end())
      c.add(pos, fmt::format("unknown key '{}' in person (allowed: {})", key, fmt::join(kPersonKeys, ", ")));
  auto scalar = [&](const char* key) -> std::string {
    auto it = r.fields.find(key);
    if (it == r.fields.end()) return {};
    if (it->second.malformed || it->second.is_list || it->second.values.size() != 1) {
      c.add(it->second.pos, std::string(key) + " must be a string");
      return {};
    }
    return it->second.values.front();
  };
  auto list = [&](const char* key) -> std::vector<std::string> {
    auto it = r.fields.find(key);
    if (it == r.fields.end()) return {};
    if (it->second.malformed) c.add(it->second.pos, std::string(key) + " must be a list of strings");
    return it->second.values;
  };
  auto pos_of = [&](const char* key) { return r.fields.count(key) ? r.fields.at(key).pos : r.pos; };
  p.id = scalar("id");
  if (p.id.empty()) c.add(r.pos, "person without 'id'");
  p.name = scalar("name");
  p.names = list("names");
  p.emails = list("emails");
  for (auto& e : p.emails) {
    e = ascii_lower(e);
    // An empty entry matches no commit (an author with no e-mail is matched by name, if at all):
    // it is a slip in the roster, e.g. a YAML tag (`[!x@corp.example]`) that swallowed the value.
    if (e.find_first_not_of(" \t") == std::string::npos)
      c.add(pos_of("emails"), fmt::format("person {} has an empty e-mail in 'emails'", p.id));
  }
  if (p.emails.empty() && p.name.empty() && p.names.empty())
    c.add(r.pos, fmt::format("person {} has no emails or names to be matched by", p.id));
  p.citizenship = list("citizenship");
  for (const auto& cc : p.citizenship)
    if (cc.size() != 2 || !std::isupper(static_cast<unsigned char>(cc[0])) ||
        !std::isupper(static_cast<unsigned char>(cc[1])))
      c.add(pos_of("citizenship"), fmt::format("citizenship '{}' is not an ISO 3166-1 alpha-2 code", cc));
  p.residency = scalar("residency");
  p.location = scalar("location");
  p.employer = scalar("employer");
  p.role = scalar("role");
  p.clearance = scalar("clearance");
  p.signing_keys = list("signing_keys");
  for (const auto& key : p.signing_keys)
    if (auto problem = validate_signing_key(key)) c.add(pos_of("signing_keys"), "signing key: " + *problem);
  for (const char* key : {"valid_from", "valid_to"}) {
    if (!r.fields.count(key)) continue;
    const std::string s = scalar(key);
    auto d = parse_date(s);
    if (!d) c.add(pos_of(key), fmt::format("{} '{}' is not a date (YYYY-MM-DD)", key, s));
    (std::string_view(key) == "valid_from" ? p.valid_from : p.valid_to) = d;
  }
  if (p.valid_from && p.valid_to && *p.valid_from > *p.valid_to)
    c.add(pos_of("valid_to"), fmt::format("person {}: valid_to is before valid_from", p.id));
  return p;
}

Record record_from_yaml(Collector& c, const YAML::Node& n) {
  Record r;
  r.pos = rules::yaml::pos_of(c.file, n);
  if (!n.IsMap()) {
    c.add(r.pos, "each person must be a mapping");
    return r;
  }
  for (const auto& kv : n) {
    if (!kv.first.IsScalar()) {  // a complex key (`? [a]`): yaml-cpp would throw, not report it
      c.add(rules::yaml::pos_of(c.file, kv.first), "a key must be a string");
      continue;
    }
    const std::string key = kv.first.Scalar();
    r.keys.emplace_back(key, rules::yaml::pos_of(c.file, kv.first));
    Field f;
    f.pos = rules::yaml::pos_of(c.file, kv.second);
    if (kv.second.IsScalar()) {
      f.values.push_back(kv.second.Scalar());
    } else if (kv.second.IsSequence()) {
      f.is_list = true;
      for (const auto& item : kv.second) {
        if (item.IsScalar()) f.values.push_back(item.Scalar());
        else f.malformed = true;
      }
    } else if (!kv.second.IsNull()) {
      f.malformed = true;
    }
    r.fields[key] = std::move(f);
  }
  return r;
}

std::vector<Person> people_from_yaml(Collector& c, const std::string& text) {
  YAML::Node doc = rules::yaml::parse_document(c.file, text);
  std::vector<Person> people;
  if (!doc.IsMap() || !doc["people"]) {
    c.problems.push_back(fmt::format("{}:1:1: a roster needs a top-level 'people:' list", c.file));
    return people;
  }
  for (const auto& kv : doc)
    if (!kv.first.IsScalar() || kv.first.Scalar() != "people")
      c.add(rules::yaml::pos_of(c.file, kv.first),
            fmt::format("unknown key '{}' at top level (allowed: people)", kv.first.Scalar()));
  const YAML::Node list = doc["people"];
  if (!list.IsSequence()) c.add(rules::yaml::pos_of(c.file, list), "'people' must be a list");
  else
    for (const auto& n : list) people.push_back(parse_person(c, record_from_yaml(c, n)));
  return people;
}

// RFC 4180 CSV with a header row of the YAML key names. List columns (names, emails,
// citizenship, signing_keys) hold values separated by ';'. Quoted cells may span lines.
std::vector<Person> people_from_csv(Collector& c, const std::string& text) {
  struct Cell {
    std::string text;
    rules::SourcePos pos;
  };
  std::vector<std::vector<Cell>> rows;
  std::vector<Cell> row;
  Cell cell;
  int line = 1, col = 1;
  bool quoted = false, at_start = true;
  auto start_cell = [&] {
    cell = Cell{{}, rules::SourcePos{c.file, line, col}};
    at_start = true;
  };
  start_cell();
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell.text += '"';
        ++i, col += 2;
        continue;
      }
      if (ch == '"') quoted = false;
      else cell.text += ch;
      if (ch == '\n') ++line, col = 1;
      else ++col;
      continue;
    }
    if (ch == '"' && at_start) {
      quoted = true;
      at_start = false;
      ++col;
      continue;
    }
    if (ch == ',') {
      row.push_back(std::move(cell));
      ++col;
      start_cell();
      continue;
    }
    if (ch == '\r') continue;
    if (ch == '\n') {
      row.push_back(std::move(cell));
      rows.push_back(std::move(row));
      row.clear();
      ++line, col = 1;
      start_cell();
      continue;
    }
    cell.text += ch;
    at_start = false;
    ++col;
  }
  if (quoted) c.add(cell.pos, "unterminated quoted cell");
  if (!cell.text.empty() || !row.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  std::vector<Person> people;
  if (rows.empty()) {
    c.problems.push_back(fmt::format("{}:1:1: a CSV roster needs a header row (id,name,emails,...)", c.file));
    return people;
  }
  const std::vector<Cell> header = rows.front();
  for (const Cell& h : header)
    if (std::find_if(kPersonKeys.begin(), kPersonKeys.end(), [&](const char* k) { return h.text == k; }) ==
        kPersonKeys.end())
      c.add(h.pos, fmt::format("unknown column '{}' (allowed: {})", h.text, fmt::join(kPersonKeys, ", ")));
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& cells = rows[r];
    if (cells.size() == 1 && cells[0].text.empty()) continue;  // blank line
    if (cells.size() != header.size())
      c.add(cells.front().pos, fmt::format("row has {} cells, the header has {}", cells.size(), header.size()));
    Record rec;
    rec.pos = cells.front().pos;
    for (std::size_t k = 0; k < cells.size() && k < header.size(); ++k) {
      const std::string& key = header[k].text;
      if (cells[k].text.empty()) continue;
      Field f;
      f.pos = cells[k].pos;
      f.is_list = is_list_key(key);
      if (f.is_list) {
        std::string_view rest = cells[k].text;
        while (!rest.empty()) {
          const std::size_t semi = rest.find(';');
          std::string_view v = rest.substr(0, semi);
          while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
          while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
          if (!v.empty()) f.values.emplace_back(v);
          rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
        }
      } else {
        f.values.push_back(cells[k].text);
      }
      rec.fields[key] = std::move(f);
    }
    people.push_back(parse_person(c, rec));
  }
  return people;
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
    for (const auto& e : people_[i].emails) by_email_.emplace(ascii_lower(e), i);
    std::set<std::string> names(people_[i].names.begin(), people_[i].names.end());
    if (!people_[i].name.empty()) names.insert(people_[i].name);
    for (const auto& n : names) by_name_[n].push_back(i);
  }
}

const Person* Roster::find(std::string_view name, std::string_view email) const {
  if (!email.empty()) {
    if (auto it = by_email_.find(ascii_lower(email)); it != by_email_.end()) return &people_[it->second];
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
  Collector c{file, {}};
  const bool csv = file.size() >= 4 && ascii_lower(file.substr(file.size() - 4)) == ".csv";
  std::vector<Person> people = csv ? people_from_csv(c, text) : people_from_yaml(c, text);
  std::map<std::string, const Person*> ids;
  std::map<std::string, const Person*> emails;
  std::map<std::string, const Person*> keys;
  for (const Person& p : people) {
    for (const auto& k : p.signing_keys)
      for (const auto& fp : signing_key_fingerprints(k)) {
        auto [it, fresh] = keys.emplace(fp, &p);
        if (!fresh && it->second != &p)
          c.problems.push_back(fmt::format("{}: signing key {} belongs to both {} and {}", p.pos.str(), fp,
                                           it->second->id, p.id));
      }
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
