#include "common/severity.h"

#include <array>

namespace provscan {

namespace {
constexpr std::array<std::string_view, 5> kNames = {"info", "low", "medium", "high", "critical"};
}

std::string_view to_string(Severity s) noexcept { return kNames[static_cast<int>(s)]; }

std::optional<Severity> parse_severity(std::string_view s) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == s) return static_cast<Severity>(i);
  return std::nullopt;
}

}  // namespace provscan
