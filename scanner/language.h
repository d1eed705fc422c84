#pragma once
#include <string_view>

namespace provscan::scan {

// Language id of a file from its extension or, lacking one, its shebang line: "c", "cpp",
// "python", "javascript", "typescript", "tsx", "go", "bash", "java", "rust", "ruby", "php",
// "csharp", "cmake", "make", "m4", "yaml", ... or "" when unknown. Never from content beyond
// the first line. The ids with a tree-sitter grammar are the query engine's language ids.
std::string_view detect_language(std::string_view path, std::string_view content) noexcept;

}  // namespace provscan::scan
