#pragma once
// A .mailmap read as data (gitmailmap(5)): maps the identity recorded in a commit to a
// canonical one. provscan reads it from the base revision of the range or from --mailmap,
// never from the commits under review (an attacker controls those).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace provscan::scan {

class Mailmap {
 public:
  Mailmap() = default;
  // Parses mailmap text; malformed lines are ignored, as git ignores them.
  static Mailmap parse(std::string_view text);

  // The canonical (name, email) for a recorded identity, or nullopt when no entry applies.
  // Email comparison is case-insensitive; an entry with a commit name matches only that name.
  std::optional<std::pair<std::string, std::string>> map(std::string_view name, std::string_view email) const;

  bool empty() const noexcept { return entries_.empty(); }
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    std::string proper_name, proper_email;  // either may be empty (= keep the recorded one)
    std::string commit_name;                // empty = any name
    std::string commit_email;               // lower-case
  };
  std::vector<Entry> entries_;
};

}  // namespace provscan::scan
