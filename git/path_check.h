#pragma once
// Tree entry names git would refuse to check out, or that could fool whoever reads a report:
// they only come from hand-written trees, so they are findings of their own.
#include <string>
#include <string_view>

namespace provscan::git {

// Why `path` ('/'-separated tree entry names, raw bytes) is hostile, or empty when it is not:
// a "." / ".." / empty component, a component that is ".git" to some file system (any case,
// trailing dots or spaces, the 8.3 name "git~1"), a control character, a backslash, or bytes
// that are not UTF-8.
std::string hostile_path_reason(std::string_view path);

}  // namespace provscan::git
