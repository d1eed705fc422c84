#pragma once
// The organization-supplied roster: the ONLY source of people's attributes. Identities that
// match no roster entry are unattributed; nothing is ever inferred from names, e-mail
// domains, time zones or languages.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rules/rule.h"

namespace provscan::scan {

// A calendar date as days since 1970-01-01 (UTC).
using Day = std::int64_t;
// "YYYY-MM-DD" -> Day; nullopt when malformed or not a real date.
std::optional<Day> parse_date(std::string_view s);
Day day_of(std::int64_t unix_seconds);

struct Person {
  std::string id;
  std::string name;
  std::vector<std::string> names;   // extra names the person commits under
  std::vector<std::string> emails;  // stored lower-case
  std::vector<std::string> citizenship;
  std::string residency;
  std::string location;
  std::string employer;
  std::string role;
  std::string clearance;
  std::optional<Day> valid_from;
  std::optional<Day> valid_to;
  std::vector<std::string> signing_keys;
  rules::SourcePos pos;

  bool valid_on(Day d) const noexcept {
    return (!valid_from || d >= *valid_from) && (!valid_to || d <= *valid_to);
  }
};

class Roster {
 public:
  Roster() = default;
  explicit Roster(std::vector<Person> people, std::string sha256 = {});

  // Email match (case-insensitive) first; then an exact name match when exactly one person
  // carries that name. Anything else: nullptr (unattributed).
  const Person* find(std::string_view name, std::string_view email) const;
  const Person* by_id(std::string_view id) const;

  const std::vector<Person>& people() const noexcept { return people_; }
  const std::string& sha256() const noexcept { return sha256_; }
  bool empty() const noexcept { return people_.empty(); }

 private:
  std::vector<Person> people_;  // sorted by id
  std::map<std::string, std::size_t, std::less<>> by_email_;
  std::map<std::string, std::vector<std::size_t>, std::less<>> by_name_;
  std::string sha256_;
};

// Every problem in a roster file, each "file:line:col: message".
struct RosterProblems {
  std::vector<std::string> lines;
};

// Loads a YAML roster (INTERFACE.md). Throws InputError listing every problem found, one per
// line ("file:line:col: message"), when there is any.
Roster load_roster(const std::string& file);

}  // namespace provscan::scan
