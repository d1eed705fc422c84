#include "scanner/language.h"

#include <doctest/doctest.h>

#include "scanner/query/query_engine.h"

namespace provscan::scan {

TEST_CASE("languages with a grammar are recognised by extension") {
  CHECK(detect_language("src/a.ts", "") == "typescript");
  CHECK(detect_language("src/a.mts", "") == "typescript");
  CHECK(detect_language("src/a.cts", "") == "typescript");
  CHECK(detect_language("src/App.tsx", "") == "tsx");
  CHECK(detect_language("src/Main.java", "") == "java");
  CHECK(detect_language("src/lib.rs", "") == "rust");
  CHECK(detect_language("build.rs", "") == "rust");
  CHECK(detect_language("lib/a.rb", "") == "ruby");
  CHECK(detect_language("a.gemspec", "") == "ruby");
  CHECK(detect_language("lib/tasks/db.rake", "") == "ruby");
  CHECK(detect_language("Foo.podspec", "") == "ruby");
  CHECK(detect_language("index.php", "") == "php");
  CHECK(detect_language("views/a.phtml", "") == "php");
  CHECK(detect_language("Program.cs", "") == "csharp");
  CHECK(detect_language("script.csx", "") == "csharp");
  CHECK(detect_language("a.js", "") == "javascript");
  CHECK(detect_language("a.py", "") == "python");
}

TEST_CASE("languages are recognised by file name") {
  CHECK(detect_language("Gemfile", "") == "ruby");
  CHECK(detect_language("ios/Podfile", "") == "ruby");
  CHECK(detect_language("Vagrantfile", "") == "ruby");
  CHECK(detect_language("Rakefile", "") == "ruby");
}

TEST_CASE("languages are recognised by shebang when the name says nothing") {
  CHECK(detect_language("bin/tool", "#!/usr/bin/env ts-node\nconsole.log(1)\n") == "typescript");
  CHECK(detect_language("bin/tool", "#!/usr/bin/env -S node --require ts-node/register\n") ==
        "typescript");
  CHECK(detect_language("bin/tool", "#!/usr/bin/env node\n") == "javascript");
  CHECK(detect_language("bin/tool", "#!/usr/bin/env rust-script\nfn main() {}\n") == "rust");
  CHECK(detect_language("bin/tool", "#!/usr/bin/env dotnet-script\n") == "csharp");
  CHECK(detect_language("bin/Tool", "#!/usr/bin/java --source 17\nclass A {}\n") == "java");
  CHECK(detect_language("bin/Tool", "#!/usr/bin/env java --source 21\n") == "java");
  CHECK(detect_language("bin/tool", "#!/usr/bin/env ruby\n") == "ruby");
  CHECK(detect_language("bin/tool", "#!/usr/bin/php -q\n") == "php");
  CHECK(detect_language("bin/tool", "#!/bin/sh\n") == "bash");
  CHECK(detect_language("bin/tool", "#!/usr/bin/env python3\n") == "python");
  // Not a shebang, or one naming no known interpreter.
  CHECK(detect_language("bin/tool", "java --source 17\n") == "");
  CHECK(detect_language("bin/tool", "#!/usr/bin/env javac-wrapper\n") == "");
  CHECK(detect_language("bin/tool", "#!/usr/bin/env perl6\n") == "");
  // An extension wins over the shebang.
  CHECK(detect_language("x.rb", "#!/usr/bin/env python\n") == "ruby");
}

TEST_CASE("every bundled grammar's language id is one detect_language returns") {
  const struct {
    const char* path;
    const char* content;
  } samples[] = {{"a.sh", ""},  {"a.c", ""},   {"a.cpp", ""},  {"a.cs", ""},  {"a.go", ""},
                 {"a.java", ""}, {"a.js", ""}, {"a.php", ""},  {"a.py", ""},  {"a.rb", ""},
                 {"a.rs", ""},  {"a.tsx", ""}, {"a.ts", ""}};
  std::vector<std::string> ids;
  for (const auto& s : samples) ids.emplace_back(detect_language(s.path, s.content));
  CHECK(ids == grammar_languages());
}

}  // namespace provscan::scan
