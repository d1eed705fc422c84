#include "scanner/language.h"

#include <array>
#include <utility>

namespace provscan::scan {

namespace {

std::string_view base_name(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view by_name(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kNames = {{
      {"CMakeLists.txt", "cmake"},
      {"Makefile", "make"},
      {"GNUmakefile", "make"},
      {"makefile", "make"},
      {"Dockerfile", "dockerfile"},
      {"configure.ac", "m4"},
      {"configure.in", "m4"},
      {"Rakefile", "ruby"},
      {"Gemfile", "ruby"},
      {"Podfile", "ruby"},
      {"Vagrantfile", "ruby"},
      {"Guardfile", "ruby"},
      {"BUILD.bazel", "starlark"},
  }};
  for (const auto& [n, lang] : kNames)
    if (name == n) return lang;
  return {};
}

std::string_view by_extension(std::string_view ext) {
  // TSX is its own grammar: the TypeScript grammar reads `<T>x` as a type assertion, not JSX.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 51> kExt = {{
      {"c", "c"},          {"h", "c"},           {"cc", "cpp"},        {"cpp", "cpp"},
      {"cxx", "cpp"},      {"c++", "cpp"},       {"hh", "cpp"},        {"hpp", "cpp"},
      {"hxx", "cpp"},      {"ipp", "cpp"},       {"py", "python"},     {"pyw", "python"},
      {"js", "javascript"}, {"mjs", "javascript"}, {"cjs", "javascript"}, {"jsx", "javascript"},
      {"ts", "typescript"}, {"tsx", "tsx"}, {"mts", "typescript"}, {"cts", "typescript"},
      {"go", "go"},        {"sh", "bash"},       {"bash", "bash"},     {"zsh", "bash"},
      {"ksh", "bash"},     {"java", "java"},     {"rs", "rust"},       {"rb", "ruby"},
      {"php", "php"},      {"cs", "csharp"},     {"cmake", "cmake"},   {"mk", "make"},
      {"m4", "m4"},        {"ac", "m4"},         {"yml", "yaml"},      {"yaml", "yaml"},
      {"json", "json"},    {"toml", "toml"},     {"html", "html"},     {"htm", "html"},
      {"kt", "kotlin"},    {"swift", "swift"},   {"pl", "perl"},       {"pm", "perl"},
      {"gradle", "groovy"}, {"tf", "terraform"}, {"gemspec", "ruby"}, {"rake", "ruby"},
      {"podspec", "ruby"}, {"phtml", "php"},    {"csx", "csharp"},
  }};
  for (const auto& [e, lang] : kExt)
    if (ext == e) return lang;
  return {};
}

std::string_view by_shebang(std::string_view content) {
  if (content.substr(0, 2) != "#!") return {};
  std::string_view line = content.substr(0, content.find('\n'));
  if (line.size() > 256) line = line.substr(0, 256);
  // "#!/usr/bin/env -S python3 -u" and "#!/bin/sh" alike: look at the interpreter words.
  struct Interp { std::string_view word, lang; };
  // First match wins: "ts-node" before "node", the script runners before "/sh".
  // Java 11+ runs a single source file: `#!/usr/bin/java --source 17`.
  static constexpr std::array<Interp, 14> kInterp = {{
      {"python", "python"},    {"ts-node", "typescript"},    {"node", "javascript"},
      {"rust-script", "rust"}, {"dotnet-script", "csharp"},  {"/java ", "java"},
      {"env java ", "java"},   {"bash", "bash"},             {"/sh", "bash"},
      {" sh", "bash"},         {"zsh", "bash"},              {"dash", "bash"},
      {"ruby", "ruby"},        {"php", "php"},
  }};
  for (const auto& i : kInterp)
    if (line.find(i.word) != std::string_view::npos) return i.lang;
  return {};
}

}  // namespace

std::string_view detect_language(std::string_view path, std::string_view content) noexcept {
  const std::string_view name = base_name(path);
  if (auto l = by_name(name); !l.empty()) return l;
  if (name.starts_with("Dockerfile")) return "dockerfile";
  const std::size_t dot = name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) {
    if (auto l = by_extension(name.substr(dot + 1)); !l.empty()) return l;
    return by_shebang(content);
  }
  return by_shebang(content);
}

}  // namespace provscan::scan
