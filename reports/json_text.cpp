#include "reports/json_text.h"

#include "reports/escape.h"

namespace provscan::report::detail {

nlohmann::ordered_json json_string(std::string_view s) { return valid_utf8(s); }

nlohmann::ordered_json json_string_or_null(std::string_view s) {
  if (s.empty()) return nullptr;
  return json_string(s);
}

std::string dump_json(const nlohmann::ordered_json& doc) {
  // error_handler_t::replace is a second line of defence only: every string went through
  // json_string(), so nothing is ever replaced by U+FFFD in practice.
  std::string text =
      harden_json_text(doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  text += '\n';
  return text;
}

}  // namespace provscan::report::detail
