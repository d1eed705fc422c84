#pragma once
// The `options` of a named check (`engine: blob`, `build` or `text`), validated when the engine
// is built: an unknown key or a bad value throws InputError("file:line:col: rule ID: reason")
// before any scan starts, never during one. Shared by the three check engines so that they
// accept and reject options the same way.
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "rules/rule.h"

namespace provscan::scan {

class CheckOptions {
 public:
  // `engine` and the check name only word the error; `known` lists the keys the check reads.
  CheckOptions(const rules::Rule& rule, std::string_view engine, std::initializer_list<std::string_view> known);

  double number(const std::string& key, double fallback, double lo, double hi) const;
  std::size_t count(const std::string& key, std::size_t fallback, std::size_t lo, std::size_t hi) const;
  bool flag(const std::string& key, bool fallback) const;
  std::vector<std::string> list(const std::string& key, std::vector<std::string> fallback) const;
  // A list whose every value must be one of `allowed` (duplicates are harmless).
  std::vector<std::string> choices(const std::string& key, std::vector<std::string> fallback,
                                   std::initializer_list<std::string_view> allowed) const;
  // One value out of `allowed`.
  std::string choice(const std::string& key, std::string fallback, std::initializer_list<std::string_view> allowed) const;

  [[noreturn]] void fail(const std::string& what) const;

 private:
  const std::string* scalar(const std::string& key) const;  // nullptr when absent
  const rules::Rule& rule_;
};

}  // namespace provscan::scan
