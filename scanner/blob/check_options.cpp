#include "scanner/blob/check_options.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "common/error.h"

namespace provscan::scan {

namespace {
std::string joined(std::initializer_list<std::string_view> words) {
  std::string out;
  for (std::string_view w : words) out += (out.empty() ? "" : ", ") + std::string(w);
  return out.empty() ? "none" : out;
}
}  // namespace

CheckOptions::CheckOptions(const rules::Rule& rule, std::string_view engine,
                           std::initializer_list<std::string_view> known)
    : rule_(rule) {
  for (const auto& [key, values] : rule.options) {
    if (std::find(known.begin(), known.end(), key) == known.end())
      fail(fmt::format("unknown option '{}' for {} check '{}' (known: {})", key, engine, rule.matcher, joined(known)));
    for (const std::string& v : values)
      if (v.empty()) fail(fmt::format("option '{}' has an empty value", key));
  }
}

void CheckOptions::fail(const std::string& what) const {
  throw InputError(fmt::format("{}: rule {}: {}", rule_.pos.str(), rule_.id, what));
}

const std::string* CheckOptions::scalar(const std::string& key) const {
  auto it = rule_.options.find(key);
  if (it == rule_.options.end()) return nullptr;
  if (it->second.size() != 1) fail(fmt::format("option '{}' must be a single value", key));
  return &it->second.front();
}

double CheckOptions::number(const std::string& key, double fallback, double lo, double hi) const {
  const std::string* s = scalar(key);
  if (!s) return fallback;
  double v = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || p != s->data() + s->size() || !(v >= lo && v <= hi))
    fail(fmt::format("option '{}' must be a number from {} to {}, not '{}'", key, lo, hi, *s));
  return v;
}

std::size_t CheckOptions::count(const std::string& key, std::size_t fallback, std::size_t lo, std::size_t hi) const {
  const std::string* s = scalar(key);
  if (!s) return fallback;
  std::size_t v = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || p != s->data() + s->size() || v < lo || v > hi)
    fail(fmt::format("option '{}' must be a whole number from {} to {}, not '{}'", key, lo, hi, *s));
  return v;
}

bool CheckOptions::flag(const std::string& key, bool fallback) const {
  const std::string* s = scalar(key);
  if (!s) return fallback;
  if (*s == "true") return true;
  if (*s == "false") return false;
  fail(fmt::format("option '{}' must be true or false, not '{}'", key, *s));
}

std::vector<std::string> CheckOptions::list(const std::string& key, std::vector<std::string> fallback) const {
  auto it = rule_.options.find(key);
  if (it == rule_.options.end()) return fallback;
  if (it->second.empty()) fail(fmt::format("option '{}' must not be empty", key));
  return it->second;
}

std::vector<std::string> CheckOptions::choices(const std::string& key, std::vector<std::string> fallback,
                                               std::initializer_list<std::string_view> allowed) const {
  std::vector<std::string> v = list(key, std::move(fallback));
  for (const std::string& s : v)
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
      fail(fmt::format("option '{}': unknown value '{}' (known: {})", key, s, joined(allowed)));
  return v;
}

std::string CheckOptions::choice(const std::string& key, std::string fallback,
                                 std::initializer_list<std::string_view> allowed) const {
  const std::string* s = scalar(key);
  if (!s) return fallback;
  if (std::find(allowed.begin(), allowed.end(), *s) == allowed.end())
    fail(fmt::format("option '{}': unknown value '{}' (known: {})", key, *s, joined(allowed)));
  return *s;
}

}  // namespace provscan::scan
