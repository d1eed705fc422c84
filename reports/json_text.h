#pragma once
// The one way json.cpp and sarif.cpp turn repository strings into JSON and JSON into text.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>  // nlohmann::ordered_json: keys keep insertion order

namespace provscan::report::detail {

// A JSON string value that the serialiser cannot reject: invalid UTF-8 bytes become `\xNN`.
nlohmann::ordered_json json_string(std::string_view s);
// A string, or null when s is empty.
nlohmann::ordered_json json_string_or_null(std::string_view s);
// Pretty-printed (2 spaces), hardened against terminal control code points, with a final
// newline.
std::string dump_json(const nlohmann::ordered_json& doc);

}  // namespace provscan::report::detail
