#include "git/commit.h"

#include <fmt/format.h>

#include <limits>

#include "common/error.h"

namespace provscan::git {
namespace {

constexpr std::string_view kSignatureHeader = "gpgsig";  // SHA-1 repositories

bool is_hex40(std::string_view s) {
  if (s.size() != 40) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Git's verification payload: the object with every "gpgsig" header (and its continuation
// lines) removed; headers of other signature kinds ("gpgsig-sha256", ...) are removed too.
// Mirrors git's parse_buffer_signed_by_header line by line, so that what we call "signed"
// is exactly what `git verify-commit` checks.
void split_signature(std::string_view raw, std::string& payload, std::string& signature,
                     bool& saw_signature) {
  bool in_signature = false;
  bool other_signature = false;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    const std::size_t eol = raw.find('\n', pos);
    const std::size_t next = eol == std::string_view::npos ? raw.size() : eol + 1;
    const std::string_view line = raw.substr(pos, next - pos);
    std::string_view sig;
    bool is_sig = false;
    if (in_signature && line[0] == ' ') {
      sig = line.substr(1);
      is_sig = true;
    } else if (line.starts_with(kSignatureHeader) && line.size() > kSignatureHeader.size() &&
               line[kSignatureHeader.size()] == ' ') {
      sig = line.substr(kSignatureHeader.size() + 1);
      is_sig = true;
      other_signature = false;
    } else if (line.starts_with("gpgsig")) {
      other_signature = true;
    } else if (other_signature && line[0] != ' ') {
      other_signature = false;
    }
    if (is_sig) {
      signature.append(sig);
      saw_signature = true;
      in_signature = true;
      pos = next;
      continue;
    }
    in_signature = false;
    if (line[0] == '\n') {  // end of headers: the rest is the message, copied whole
      payload.append(raw.substr(pos));
      return;
    }
    if (!other_signature) payload.append(line);
    pos = next;
  }
}

}  // namespace

bool parse_ident(std::string_view line, Ident& out) {
  // Same splitting as git's split_ident_line: name before the first '<', email up to the
  // next '>', date after the LAST '>' (tolerates a stray '>' inside the email).
  const std::size_t lt = line.find('<');
  if (lt == std::string_view::npos) return false;
  const std::size_t gt = line.find('>', lt + 1);
  if (gt == std::string_view::npos) return false;
  std::size_t name_end = lt;
  while (name_end > 0 && is_space(line[name_end - 1])) --name_end;
  out.name = std::string(line.substr(0, name_end));
  out.email = std::string(line.substr(lt + 1, gt - lt - 1));

  std::size_t p = line.rfind('>') + 1;
  while (p < line.size() && line[p] == ' ') ++p;
  const std::size_t digits_begin = p;
  std::int64_t t = 0;
  bool overflow = false;
  while (p < line.size() && line[p] >= '0' && line[p] <= '9') {
    const int d = line[p] - '0';
    if (t > (std::numeric_limits<std::int64_t>::max() - d) / 10) overflow = true;
    if (!overflow) t = t * 10 + d;
    ++p;
  }
  if (p == digits_begin) return false;
  // A date that does not fit is shown by git as 0 (1970-01-01): so it is read here, flagged,
  // rather than making the whole commit (and the history behind it) unreadable.
  out.time = overflow ? 0 : t;
  out.time_overflow = overflow;
  out.offset_minutes = 0;
  while (p < line.size() && line[p] == ' ') ++p;
  if (p == line.size()) return true;  // no time zone: git accepts it, so do we (offset 0)
  if ((line[p] != '+' && line[p] != '-') || line.size() - p < 5) return false;
  int hhmm = 0;
  for (std::size_t i = p + 1; i < p + 5; ++i) {
    if (line[i] < '0' || line[i] > '9') return false;
    hhmm = hhmm * 10 + (line[i] - '0');
  }
  const int minutes = (hhmm / 100) * 60 + hhmm % 100;
  out.offset_minutes = line[p] == '-' ? -minutes : minutes;
  return true;
}

Commit parse_commit(std::string id, std::string_view raw) {
  Commit c;
  c.id = std::move(id);
  auto fail = [&](std::string_view why) -> void {
    throw Error(fmt::format("malformed commit {}: {}", c.id, why));
  };

  bool have_tree = false, have_author = false, have_committer = false;
  bool parents_allowed = true;  // parent lines count only right after the tree line, as in git
  std::size_t pos = 0;
  bool first = true;
  while (pos < raw.size()) {
    const std::size_t eol = raw.find('\n', pos);
    const std::size_t end = eol == std::string_view::npos ? raw.size() : eol;
    const std::size_t next = eol == std::string_view::npos ? raw.size() : eol + 1;
    const std::string_view line = raw.substr(pos, end - pos);
    if (line.empty()) {
      if (eol != std::string_view::npos) c.message = std::string(raw.substr(next));
      break;
    }
    pos = next;
    if (line[0] == ' ' && !first) continue;  // continuation of a header we do not keep
    const std::size_t sp = line.find(' ');
    const std::string_view key = line.substr(0, sp);
    const std::string_view value =
        sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    if (first) {
      first = false;
      if (key != "tree" || !is_hex40(value)) fail("no valid tree line");
      c.tree = lower(value);
      have_tree = true;
      continue;
    }
    if (key == "parent" && parents_allowed) {
      if (!is_hex40(value)) fail(fmt::format("bad parent line '{}'", line));
      c.parents.push_back(lower(value));
      continue;
    }
    parents_allowed = false;
    if (key == "author" && !have_author) {
      if (!parse_ident(value, c.author)) fail(fmt::format("bad author line '{}'", line));
      have_author = true;
    } else if (key == "committer" && !have_committer) {
      if (!parse_ident(value, c.committer)) fail(fmt::format("bad committer line '{}'", line));
      have_committer = true;
    }
  }
  if (!have_tree) fail("no valid tree line");
  if (!have_author) fail("no author line");
  if (!have_committer) fail("no committer line");

  bool saw_signature = false;
  std::string payload;
  split_signature(raw, payload, c.gpgsig, saw_signature);
  if (saw_signature) {
    if (!c.gpgsig.empty() && c.gpgsig.back() == '\n') c.gpgsig.pop_back();
    c.signed_payload = std::move(payload);
  } else {
    c.gpgsig.clear();
  }
  return c;
}

}  // namespace provscan::git
