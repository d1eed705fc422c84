#include "scanner/attribution.h"

#include "common/text.h"

#include <algorithm>
#include <cctype>

namespace provscan::scan {

namespace {

bool is_trailer_key(std::string_view k) {
  return !k.empty() && std::all_of(k.begin(), k.end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; });
}

}  // namespace

std::vector<Trailer> parse_trailers(std::string_view message) {
  // The last paragraph: after the last blank line, ignoring trailing blank lines.
  std::string_view m = message;
  while (!m.empty() && (m.back() == '\n' || m.back() == '\r' || m.back() == ' ')) m.remove_suffix(1);
  std::size_t start = m.rfind("\n\n");
  if (start == std::string_view::npos) return {};  // a subject line alone has no trailers
  std::string_view para = m.substr(start + 2);
  std::vector<Trailer> out;
  std::size_t pos = 0;
  while (pos <= para.size()) {
    std::size_t nl = para.find('\n', pos);
    std::string_view line = para.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? para.size() + 1 : nl + 1;
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !out.empty()) {
      out.back().value += " " + std::string(trim(line));
      continue;
    }
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || !is_trailer_key(line.substr(0, colon))) {
      // git requires the paragraph to be (mostly) trailers; a prose line ends any trailer block.
      return {};
    }
    out.push_back({std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1)))});
  }
  return out;
}

std::pair<std::string, std::string> split_identity(std::string_view value) {
  value = trim(value);
  const std::size_t lt = value.rfind('<');
  const std::size_t gt = value.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt)
    return {std::string(trim(value.substr(0, lt))), std::string(trim(value.substr(lt + 1, gt - lt - 1)))};
  return {std::string(value), {}};
}

PersonRef resolve(const Roster& roster, std::string_view name, std::string_view email) {
  PersonRef ref;
  ref.identity = std::string(name) + " <" + std::string(email) + ">";
  if (const Person* p = roster.find(name, email)) ref.person = p->id;
  return ref;
}

PersonRef IdentityResolver::resolve(std::string_view name, std::string_view email) const {
  PersonRef ref = scan::resolve(roster_, name, email);
  if (ref.person || !mailmap_) return ref;
  if (auto canonical = mailmap_->map(name, email))
    if (const Person* p = roster_.find(canonical->first, canonical->second)) ref.person = p->id;
  return ref;
}

Attribution attribute(const git::Commit& c, const IdentityResolver& who, std::string_view origin_trailer,
                      const std::vector<std::string>& escort_roles) {
  Attribution a;
  a.author = who.resolve(c.author.name, c.author.email);
  a.committer = who.resolve(c.committer.name, c.committer.email);
  const bool same = a.author.person && a.committer.person ? *a.author.person == *a.committer.person
                                                          : a.author.identity == a.committer.identity;
  bool escort = false;
  if (a.author.person)
    if (const Person* p = who.roster().by_id(*a.author.person))
      escort = std::find(escort_roles.begin(), escort_roles.end(), p->role) != escort_roles.end();
  a.relay = !same || escort;
  for (const Trailer& t : parse_trailers(c.message)) {
    auto [name, email] = split_identity(t.value);
    if (ascii_iequals(t.key, origin_trailer)) {
      a.relayed_for = who.resolve(name, email);
      a.relay = true;
    } else if (ascii_iequals(t.key, "Co-authored-by")) {
      a.co_authors.push_back(who.resolve(name, email));
    } else if (ascii_iequals(t.key, "Reviewed-by")) {
      a.reviewers.push_back(who.resolve(name, email));
    } else if (ascii_iequals(t.key, "Signed-off-by")) {
      a.signed_off_by.push_back(who.resolve(name, email));
    }
  }
  return a;
}

}  // namespace provscan::scan
