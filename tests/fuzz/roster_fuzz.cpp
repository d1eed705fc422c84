// Fuzzes the roster loader (scanner/roster.h), YAML and CSV: the first input byte picks the
// format (odd: CSV), the rest is the file. A rejected roster is an InputError; an accepted one
// must answer lookups of every identity it lists.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.h"
#include "scanner/roster.h"
#include "tests/fuzz/fuzz_support.h"

using namespace provscan;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool csv = data[0] & 1;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string file = fuzz::write_scratch(csv ? "roster.csv" : "roster.yaml", text);
  scan::Roster roster;
  try {
    roster = scan::load_roster(file);
  } catch (const InputError&) {
    return 0;
  }
  for (const scan::Person& p : roster.people()) {
    if (roster.by_id(p.id) != &p) fuzz::fail("by_id does not find a listed person", p.id);
    for (const std::string& e : p.emails) {
      const scan::Person* found = roster.find("", e);
      if (!found) fuzz::fail("find does not resolve a listed e-mail", e);
    }
    (void)roster.find(p.name, "");
    for (const std::string& n : p.names) (void)roster.find(n, "nobody@invalid");
    (void)p.valid_on(scan::day_of(0));
  }
  (void)scan::parse_date(text.substr(0, 16));
  return 0;
}
