#include "scanner/baseline.h"

#include <algorithm>     // std::count
#include <cerrno>        // errno
#include <cstring>       // std::strerror
#include <filesystem>    // is_directory
#include <fstream>       // std::ifstream
#include <iterator>      // std::istreambuf_iterator

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace provscan::scan {

namespace {

constexpr const char* kHint = "give the output of an earlier `provscan scan --format json`";

std::string read_baseline(const std::string& file) {
  if (file.empty()) throw InputError("the baseline file name is empty");
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw InputError(fmt::format("{}: cannot read the baseline: it is a directory", file));
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw InputError(fmt::format("{}: cannot read the baseline: {}", file,
                                 errno ? std::strerror(errno) : "cannot open"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(fmt::format("{}: cannot read the baseline: read error", file));
  return text;
}

// nlohmann reports the byte offset (1-based) of the first byte it could not use.
std::string line_col(std::string_view text, std::size_t byte) {
  const std::size_t end = std::min(byte > 0 ? byte - 1 : 0, text.size());
  const std::string_view before = text.substr(0, end);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t last_nl = before.rfind('\n');
  const std::size_t col = end - (last_nl == std::string_view::npos ? 0 : last_nl + 1) + 1;
  return fmt::format("{}:{}", line, col);
}

nlohmann::json parse_baseline(const std::string& file, const std::string& text) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(fmt::format("{}:{}: the baseline is not valid JSON; {}", file, line_col(text, e.byte), kHint));
  }
}

void require_provscan_json(const std::string& file, const nlohmann::json& doc) {
  const bool schema_ok = doc.is_object() && doc.contains("schema") && doc["schema"] == "provscan/1";
  if (!schema_ok)
    throw InputError(fmt::format("{}: the baseline is not provscan/1 JSON (no \"schema\": \"provscan/1\"); {}",
                                 file, kHint));
  if (!doc.contains("findings") || !doc["findings"].is_array())
    throw InputError(fmt::format("{}: the baseline has no \"findings\" array; {}", file, kHint));
}

}  // namespace

std::set<std::string> load_baseline_fingerprints(const std::string& file) {
  const std::string text = read_baseline(file);
  const nlohmann::json doc = parse_baseline(file, text);
  require_provscan_json(file, doc);
  std::set<std::string> out;
  const nlohmann::json& findings = doc["findings"];
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const nlohmann::json& f = findings[i];
    const bool ok = f.is_object() && f.contains("fingerprint") && f["fingerprint"].is_string() &&
                    !f["fingerprint"].get_ref<const std::string&>().empty();
    if (!ok)
      throw InputError(fmt::format("{}: the baseline's findings[{}] has no \"fingerprint\" string", file, i));
    out.insert(f["fingerprint"].get<std::string>());
  }
  return out;
}

void apply_baseline(ScanResult& result, const std::set<std::string>& known) {
  for (Finding& f : result.findings) f.baselined = known.count(f.fingerprint) > 0;
}

}  // namespace provscan::scan
