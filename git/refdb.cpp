#include "git/detail/refdb.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "common/error.h"
#include "git/detail/libgit2.h"
#include "git/detail/repo_files.h"

namespace provscan::git::detail {
namespace {

constexpr std::uint64_t kMaxLooseRef = 64 * 1024;
constexpr std::uint64_t kMaxPackedRefs = 256ull << 20;
constexpr int kMaxSymrefDepth = 5;  // git's SYMREF_MAXDEPTH

bool hex40(std::string_view s) {
  if (s.size() < GIT_OID_HEXSZ) return false;
  for (std::size_t i = 0; i < GIT_OID_HEXSZ; ++i) {
    const char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A shown name: ref names come from the repository and end up in messages.
std::string shown(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  return out;
}

}  // namespace

bool valid_ref_name(const std::string& name) {
  ensure_libgit2();
  int valid = 0;
  return git_reference_name_is_valid(&valid, name.c_str()) == 0 && valid;
}

RefStore::RefStore(std::string git_dir, std::string common_dir)
    : git_dir_(std::move(git_dir)), common_dir_(std::move(common_dir)) {
  std::string text, why;
  const FileStatus st = read_repo_file(common_dir_, "packed-refs", kMaxPackedRefs, text, why);
  if (st == FileStatus::Bad) {
    problems_.emplace_back("packed-refs", "cannot read packed-refs: " + why);
    return;
  }
  std::size_t pos = 0, line_no = 0, malformed = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#' || line[0] == '^') continue;  // header, peeled value
    if (!hex40(line) || line.size() < GIT_OID_HEXSZ + 2 || line[GIT_OID_HEXSZ] != ' ') {
      ++malformed;
      continue;
    }
    const std::string name(line.substr(GIT_OID_HEXSZ + 1));
    if (!valid_ref_name(name) || !name.starts_with("refs/")) {
      ++malformed;
      continue;
    }
    packed_.emplace(name, lower(line.substr(0, GIT_OID_HEXSZ)));  // the first line of a name wins
  }
  if (malformed)
    problems_.emplace_back("packed-refs", fmt::format("{} malformed line(s) in packed-refs ignored", malformed));
}

std::vector<std::string> RefStore::names(std::vector<std::pair<std::string, std::string>>* problems) const {
  namespace fs = std::filesystem;
  auto problem = [&](std::string what, std::string why) {
    if (problems) problems->emplace_back(std::move(what), std::move(why));
  };
  std::set<std::string> out;
  for (const auto& [name, oid] : packed_) out.insert(name);
  // Loose ref files, listed by walking refs/ ourselves: a corrupt one is reported by resolve()
  // instead of vanishing, and a folder that is not entered is reported here. Symbolic links are
  // listed as names (resolve() refuses them), never entered.
  std::error_code ec;
  const fs::path root = fs::path(common_dir_) / "refs";
  if (entry_type(common_dir_, "refs") != EntryType::Directory) return {out.begin(), out.end()};
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    problem("refs", "cannot list refs/: " + ec.message());
    return {out.begin(), out.end()};
  }
  for (const fs::recursive_directory_iterator end; it != end;) {
    // Lexically: fs::relative would resolve a symbolic link to wherever it points.
    std::string name = "refs/" + it->path().lexically_relative(root).generic_string();
    std::error_code st_ec;
    const fs::file_status st = it->symlink_status(st_ec);
    if (st_ec) {
      problem(name, "cannot read: " + st_ec.message());
    } else if (fs::is_directory(st)) {
      // Entered only when it opens: skip_permission_denied alone would pass over it silently.
      const int fd = ::open(it->path().c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0) ::close(fd);
      if (fd < 0) {
        problem(name, fmt::format("folder cannot be opened ({}): the refs in it are not read", std::strerror(errno)));
        it.disable_recursion_pending();
      } else if (it.depth() + 1 >= kMaxRefDepth) {
        problem(name, fmt::format("folder nested more than {} levels under refs/: the refs in it are not read",
                                  kMaxRefDepth));
        it.disable_recursion_pending();
      }
    } else if (!name.ends_with(".lock")) {  // git's own lock files are not refs
      out.insert(std::move(name));
    }
    it.increment(ec);
    if (ec) {
      problem("refs", "listing refs/ stopped: " + ec.message());
      break;
    }
  }
  return {out.begin(), out.end()};
}

bool RefStore::lookup(const std::string& name, Value& out) const {
  const std::string& dir = name.starts_with("refs/") ? common_dir_ : git_dir_;
  std::string text, why;
  switch (read_repo_file(dir, name, kMaxLooseRef, text, why)) {
    case FileStatus::Absent: break;
    case FileStatus::Bad: throw Error(fmt::format("reference '{}' cannot be read: {}", shown(name), why));
    case FileStatus::Ok: {
      std::string_view t = text;
      if (t.starts_with("ref:")) {
        t.remove_prefix(4);
        while (!t.empty() && blank(t.front())) t.remove_prefix(1);
        while (!t.empty() && blank(t.back())) t.remove_suffix(1);
        out.symbolic = std::string(t);
        if (!valid_ref_name(out.symbolic) || !(out.symbolic.starts_with("refs/") || out.symbolic == "HEAD"))
          throw Error(fmt::format("reference '{}' is a symbolic ref to an invalid name '{}'", shown(name),
                                  shown(out.symbolic)));
        return true;
      }
      if (hex40(t) && (t.size() == GIT_OID_HEXSZ || blank(t[GIT_OID_HEXSZ]))) {
        out.oid = lower(t.substr(0, GIT_OID_HEXSZ));
        return true;
      }
      throw Error(fmt::format("reference '{}' is corrupt: neither an object id nor 'ref: NAME'", shown(name)));
    }
  }
  if (auto it = packed_.find(name); it != packed_.end()) {
    out.oid = it->second;
    return true;
  }
  return false;
}

bool RefStore::exists(const std::string& name) const {
  if (!valid_ref_name(name)) return false;
  if (packed_.count(name)) return true;
  const std::string& dir = name.starts_with("refs/") ? common_dir_ : git_dir_;
  const EntryType t = entry_type(dir, name);
  return t != EntryType::Absent && t != EntryType::Directory;
}

std::string RefStore::resolve(const std::string& name) const {
  if (!valid_ref_name(name)) throw Error(fmt::format("'{}' is not a valid reference name", shown(name)));
  std::vector<std::string> chain;
  std::string cur = name;
  while (true) {
    if (std::find(chain.begin(), chain.end(), cur) != chain.end()) {
      std::string loop;
      for (const auto& c : chain) loop += shown(c) + " -> ";
      throw Error(fmt::format("symbolic reference loop: {}{}", loop, shown(cur)));
    }
    if (static_cast<int>(chain.size()) > kMaxSymrefDepth)
      throw Error(fmt::format("reference '{}': symbolic refs nested deeper than {}", shown(name), kMaxSymrefDepth));
    chain.push_back(cur);
    Value v;
    if (!lookup(cur, v)) {
      if (cur == name) throw Error(fmt::format("reference '{}' not found", shown(name)));
      throw Error(fmt::format("reference '{}' points to '{}', which does not exist", shown(name), shown(cur)));
    }
    if (v.symbolic.empty()) return v.oid;
    cur = v.symbolic;
  }
}

std::string RefStore::head_target() const {
  Value v;
  try {
    if (lookup("HEAD", v)) return v.symbolic;
  } catch (const Error&) {
  }
  return "";
}

}  // namespace provscan::git::detail
