#pragma once
// provscan's own reading of references: loose ref files and packed-refs, parsed from their
// bytes, each ref resolved on its own. libgit2's reference database is not used because opening
// a libgit2 repository reads the repository's configuration (and every file its include.path or
// includeIf names, wherever that is). Only .cpp files include this.
#include <map>
#include <string>
#include <vector>

namespace provscan::git::detail {

class RefStore {
 public:
  // `git_dir` holds HEAD; `common_dir` holds refs/ and packed-refs (the same folder except for a
  // linked work tree). Both end with '/'. A packed-refs file that cannot be read is recorded in
  // problems().
  RefStore(std::string git_dir, std::string common_dir);

  // Every ref name under refs/, loose or packed, sorted. Loose files whose name is not a valid
  // ref name are returned too (resolve() reports them).
  // `problems`, when given, receives (what, why) for every part of refs/ that could not be
  // listed: a folder that cannot be opened, one nested deeper than kMaxRefDepth, a listing error.
  std::vector<std::string> names(std::vector<std::pair<std::string, std::string>>* problems = nullptr) const;

  // True when a ref of that name exists (loose or packed), whatever its content.
  bool exists(const std::string& name) const;

  // The object id (40 hex) `name` leads to once symbolic refs are followed (at most 5 levels, as
  // git). Throws Error naming the problem: an invalid name, a missing ref, a loop, garbage.
  std::string resolve(const std::string& name) const;

  // When HEAD is a symbolic ref: the ref it names (which may not exist: an unborn branch).
  std::string head_target() const;

  static constexpr int kMaxRefDepth = 64;  // folders under refs/ (git has no limit; 64 is far past any use)

  // Problems found while loading (an unreadable packed-refs file): (what, why).
  const std::vector<std::pair<std::string, std::string>>& problems() const { return problems_; }

 private:
  struct Value {
    std::string oid;       // 40 hex, for a direct ref
    std::string symbolic;  // target name, for a symbolic ref
  };
  bool lookup(const std::string& name, Value& out) const;  // throws on garbage

  std::string git_dir_;
  std::string common_dir_;
  std::map<std::string, std::string> packed_;  // name -> 40 hex
  std::vector<std::pair<std::string, std::string>> problems_;
};

// True for names git accepts as a reference: "HEAD"-like top-level names (upper case and '_')
// or refs/… names that pass git's rules (no "..", no control characters, …).
bool valid_ref_name(const std::string& name);

}  // namespace provscan::git::detail
