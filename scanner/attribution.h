#pragma once
// Who a commit is charged to: author and committer resolved against the roster, and the relay
// (who committed on whose behalf). Plain data in, plain data out.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "git/commit.h"
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
};

PersonRef resolve(const Roster& roster, std::string_view name, std::string_view email);

Attribution attribute(const git::Commit& c, const Roster& roster,
                      std::string_view origin_trailer = "On-behalf-of",
                      const std::vector<std::string>& escort_roles = {"escort"});

}  // namespace provscan::scan
