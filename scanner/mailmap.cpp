#include "scanner/mailmap.h"

#include "common/text.h"

#include <algorithm>
#include <cctype>

namespace provscan::scan {

namespace {

// Splits "Name <email> Name2 <email2>" into (name, email) pairs, in order.
std::vector<std::pair<std::string, std::string>> idents(std::string_view line) {
  std::vector<std::pair<std::string, std::string>> out;
  while (true) {
    const std::size_t lt = line.find('<');
    if (lt == std::string_view::npos) break;
    const std::size_t gt = line.find('>', lt);
    if (gt == std::string_view::npos) break;
    out.emplace_back(std::string(trim(line.substr(0, lt))), std::string(trim(line.substr(lt + 1, gt - lt - 1))));
    line.remove_prefix(gt + 1);
  }
  return out;
}

}  // namespace

Mailmap Mailmap::parse(std::string_view text) {
  Mailmap m;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const auto ids = idents(line);
    if (ids.size() == 1) {
      // "Proper Name <commit@email>": the name for that email.
      if (!ids[0].first.empty()) m.entries_.push_back({ids[0].first, "", "", ascii_lower(ids[0].second)});
    } else if (ids.size() == 2) {
      // "[Proper Name] <proper@email> [Commit Name] <commit@email>"
      m.entries_.push_back({ids[0].first, ids[0].second, ids[1].first, ascii_lower(ids[1].second)});
    }
  }
  return m;
}

std::optional<std::pair<std::string, std::string>> Mailmap::map(std::string_view name, std::string_view email) const {
  const std::string e = ascii_lower(email);
  const Entry* best = nullptr;
  // git prefers an entry that names the commit name too; the last matching line wins otherwise.
  for (const Entry& entry : entries_) {
    if (entry.commit_email != e) continue;
    if (!entry.commit_name.empty() && entry.commit_name != name) continue;
    if (!best || !entry.commit_name.empty() || best->commit_name.empty()) best = &entry;
  }
  if (!best) return std::nullopt;
  return std::make_pair(best->proper_name.empty() ? std::string(name) : best->proper_name,
                        best->proper_email.empty() ? std::string(email) : best->proper_email);
}

}  // namespace provscan::scan
