#pragma once
// Helpers for reading user YAML files (rules, roster, policy) with file:line:col errors.
// yaml-cpp types appear only in .cpp files that include this detail header.
#include <string>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "common/error.h"
#include "rules/rule.h"

namespace provscan::rules::yaml {

inline SourcePos pos_of(const std::string& file, const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  return SourcePos{file, m.line + 1, m.column + 1};
}

[[noreturn]] inline void fail(const SourcePos& at, const std::string& msg) {
  throw InputError(fmt::format("{}: {}", at.str(), msg));
}

// Parses a whole document; YAML syntax errors become InputError with the parser's position.
YAML::Node parse_document(const std::string& file, const std::string& text);

// Reads a file into a string; throws InputError("FILE: cannot read: ...") on failure.
std::string read_file(const std::string& file);

std::string scalar(const std::string& file, const YAML::Node& n, const std::string& what);

// A scalar or a sequence of scalars, as a list.
std::vector<std::string> string_list(const std::string& file, const YAML::Node& n,
                                     const std::string& what);

// Throws for any key of `map` not in `allowed`, naming the key and listing the allowed ones.
void check_keys(const std::string& file, const YAML::Node& map,
                std::initializer_list<const char*> allowed, const std::string& what);

}  // namespace provscan::rules::yaml
