#pragma once
// Who a commit is charged to: author and committer resolved against the roster, and the relay
// (who committed on whose behalf). Plain data in, plain data out.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "git/commit.h"
#include "scanner/mailmap.h"
#include "scanner/result.h"
#include "scanner/roster.h"

namespace provscan::scan {

struct Trailer {
  std::string key;  // as written, e.g. "Co-authored-by"
  std::string value;
};

// Trailers of the message's last paragraph ("Key: value" lines; continuation lines that start
// with white space are joined). Keys are compared case-insensitively by callers.
std::vector<Trailer> parse_trailers(std::string_view message);

// "Name <email>" -> (name, email); a bare value is taken as a name.
std::pair<std::string, std::string> split_identity(std::string_view value);

struct Attribution {
  PersonRef author;
  PersonRef committer;
  std::optional<PersonRef> relayed_for;  // the origin named by the relay trailer
  bool relay = false;  // committer differs from author, or the author holds an escort role
  std::vector<PersonRef> co_authors;     // Co-authored-by
  std::vector<PersonRef> reviewers;      // Reviewed-by
  std::vector<PersonRef> signed_off_by;  // Signed-off-by
};

// Identity resolution, in this order: the roster's identities; then the mailmap's canonical
// identity looked up in the roster; else unattributed (the raw identity is kept).
class IdentityResolver {
 public:
  explicit IdentityResolver(const Roster& roster, const Mailmap* mailmap = nullptr)
      : roster_(roster), mailmap_(mailmap) {}
  PersonRef resolve(std::string_view name, std::string_view email) const;
  const Roster& roster() const noexcept { return roster_; }

 private:
  const Roster& roster_;
  const Mailmap* mailmap_;
};

PersonRef resolve(const Roster& roster, std::string_view name, std::string_view email);

Attribution attribute(const git::Commit& c, const IdentityResolver& who,
                      std::string_view origin_trailer = "On-behalf-of",
                      const std::vector<std::string>& escort_roles = {"escort"});

inline Attribution attribute(const git::Commit& c, const Roster& roster,
                             std::string_view origin_trailer = "On-behalf-of",
                             const std::vector<std::string>& escort_roles = {"escort"}) {
  return attribute(c, IdentityResolver(roster), origin_trailer, escort_roles);
}

}  // namespace provscan::scan
