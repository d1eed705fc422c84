#include "scanner/pseudonym.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "common/error.h"
#include "common/hash.h"
#include "common/text.h"
#include "scanner/attribution.h"

namespace provscan::scan {

namespace {

constexpr std::size_t kMinKeyBytes = 16;

bool word_byte(unsigned char c) { return c >= 0x80 || c == '_' || std::isalnum(c); }

// Every known name and e-mail with its pseudonym; matched in one left-to-right pass so that a
// pseudonym is never itself rewritten.
class Replacer {
 public:
  explicit Replacer(const Pseudonymizer& p) : p_(p) {}

  void add_identity(std::string_view identity) {
    auto [name, email] = split_identity(identity);
    add_name(name);
    add_email(email);
  }
  void add_name(std::string_view n) {
    if (!trim(n).empty()) names_.emplace(std::string(n), p_.name(n));
  }
  void add_email(std::string_view e) {
    if (!trim(e).empty()) emails_.emplace(ascii_lower(e), p_.email(e));
  }

  std::string text(std::string_view s) const {
    struct Match {
      std::size_t pos, len;
      const std::string* with;
    };
    std::vector<Match> found;
    const std::string lower = ascii_lower(s);
    for (const auto& [email, pseudo] : emails_)
      for (std::size_t at = lower.find(email); at != std::string::npos; at = lower.find(email, at + 1))
        found.push_back({at, email.size(), &pseudo});
    for (const auto& [name, pseudo] : names_)
      for (std::size_t at = s.find(name); at != std::string_view::npos; at = s.find(name, at + 1)) {
        const bool start_ok = at == 0 || !word_byte(static_cast<unsigned char>(s[at - 1])) ||
                              !word_byte(static_cast<unsigned char>(name.front()));
        const std::size_t end = at + name.size();
        const bool end_ok = end == s.size() || !word_byte(static_cast<unsigned char>(s[end])) ||
                            !word_byte(static_cast<unsigned char>(name.back()));
        if (start_ok && end_ok) found.push_back({at, name.size(), &pseudo});
      }
    if (found.empty()) return std::string(s);
    std::sort(found.begin(), found.end(), [](const Match& a, const Match& b) {
      return a.pos != b.pos ? a.pos < b.pos : a.len > b.len;
    });
    std::string out;
    std::size_t done = 0;
    for (const Match& m : found) {
      if (m.pos < done) continue;  // overlaps a longer or earlier match
      out.append(s.substr(done, m.pos - done));
      out += *m.with;
      done = m.pos + m.len;
    }
    out.append(s.substr(done));
    return out;
  }

 private:
  const Pseudonymizer& p_;
  std::map<std::string, std::string> names_;
  std::map<std::string, std::string> emails_;
};

template <class F>
void for_each_ref(ScanResult& r, F f) {
  for (Finding& x : r.findings) {
    f(x.author);
    f(x.committer);
    if (x.relayed_for) f(*x.relayed_for);
    for (PersonRef& p : x.co_authors) f(p);
    for (PersonRef& p : x.reviewers) f(p);
  }
  for (CommitRecord& c : r.commit_log) {
    f(c.author);
    f(c.committer);
    if (c.relayed_for) f(*c.relayed_for);
  }
}

}  // namespace

std::string load_pseudonym_key(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read the pseudonymization key", file));
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string key(trim(ss.str()));
  if (key.size() < kMinKeyBytes)
    throw InputError(fmt::format("{}: the pseudonymization key has {} bytes; at least {} are needed "
                                 "(e.g. head -c 32 /dev/urandom | base64 > {})",
                                 file, key.size(), kMinKeyBytes, file));
  return key;
}

std::string Pseudonymizer::name(std::string_view real) const {
  return "person-" + hmac_sha256_hex(key_, "name\n" + std::string(real)).substr(0, 10);
}

std::string Pseudonymizer::email(std::string_view real) const {
  return "user-" + hmac_sha256_hex(key_, "email\n" + ascii_lower(real)).substr(0, 10) + "@pseudonym.invalid";
}

std::string Pseudonymizer::identity(std::string_view real) const {
  auto [n, e] = split_identity(real);
  if (e.empty()) return name(n);
  return fmt::format("{} <{}>", name(n), email(e));
}

void pseudonymize(ScanResult& r, const Roster& roster, const Pseudonymizer& p) {
  Replacer rep(p);
  for (const Person& person : roster.people()) {
    rep.add_name(person.name);
    for (const std::string& n : person.names) rep.add_name(n);
    for (const std::string& e : person.emails) rep.add_email(e);
  }
  for_each_ref(r, [&](PersonRef& ref) { rep.add_identity(ref.identity); });
  for (const ContributorStats& c : r.contributors)
    for (const std::string& id : c.identities) rep.add_identity(id);

  for_each_ref(r, [&](PersonRef& ref) { ref.identity = p.identity(ref.identity); });
  auto label = [&](const std::string& l) { return roster.by_id(l) ? l : p.identity(l); };
  for (ContributorStats& c : r.contributors) {
    const Person* person = c.person ? roster.by_id(*c.person) : nullptr;
    c.identity = person ? p.name(c.identity) : c.person ? c.identity : p.identity(c.identity);
    for (std::string& id : c.identities) id = p.identity(id);
    std::sort(c.identities.begin(), c.identities.end());
    for (auto* m : {&c.relayed_by, &c.relayed_for}) {
      std::map<std::string, std::uint64_t> renamed;
      for (const auto& [k, n] : *m) renamed[label(k)] += n;
      *m = std::move(renamed);
    }
  }
  for (Finding& f : r.findings) {
    f.message = rep.text(f.message);
    f.snippet = rep.text(f.snippet);
  }
  for (Skipped& s : r.skipped) s.reason = rep.text(s.reason);
  if (r.alive)
    for (Skipped& s : r.alive->skipped) s.reason = rep.text(s.reason);
}

}  // namespace provscan::scan
