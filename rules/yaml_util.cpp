#include "rules/yaml_util.h"

#include <fstream>
#include <sstream>

namespace provscan::rules::yaml {

YAML::Node parse_document(const std::string& file, const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    fail(SourcePos{file, e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
  }
}

std::string read_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot read file", file));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw InputError(fmt::format("{}: read error", file));
  return ss.str();
}

std::string scalar(const std::string& file, const YAML::Node& n, const std::string& what) {
  if (!n.IsScalar()) fail(pos_of(file, n), fmt::format("{} must be a string", what));
  return n.Scalar();
}

std::vector<std::string> string_list(const std::string& file, const YAML::Node& n,
                                     const std::string& what) {
  std::vector<std::string> out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return out;
  }
  if (!n.IsSequence()) fail(pos_of(file, n), fmt::format("{} must be a list of strings", what));
  for (const auto& item : n) out.push_back(scalar(file, item, what + " item"));
  return out;
}

void check_keys(const std::string& file, const YAML::Node& map,
                std::initializer_list<const char*> allowed, const std::string& what) {
  if (!map.IsMap()) fail(pos_of(file, map), fmt::format("{} must be a mapping", what));
  for (const auto& kv : map) {
    const std::string key = scalar(file, kv.first, what + " key");  // a complex key (`? [a]`) is no string
    bool ok = false;
    for (const char* a : allowed) ok = ok || key == a;
    if (!ok) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(pos_of(file, kv.first), fmt::format("unknown key '{}' in {} (allowed: {})", key, what, list));
    }
  }
}

}  // namespace provscan::rules::yaml
