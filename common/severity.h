#pragma once
#include <optional>
#include <string_view>

namespace provscan {

enum class Severity { Info = 0, Low = 1, Medium = 2, High = 3, Critical = 4 };

std::string_view to_string(Severity s) noexcept;
// "info" | "low" | "medium" | "high" | "critical"; nullopt for anything else.
std::optional<Severity> parse_severity(std::string_view s) noexcept;

}  // namespace provscan
