#pragma once
// Validates SARIF text against the official OASIS SARIF 2.1.0 JSON schema (with its errata01),
// offline: the schema Microsoft's SARIF SDK ships in the npm package pinned by
// tests/reports/sarif-schema/package-lock.json (installed by scripts/fetch-test-deps.sh, which
// scripts/test.sh runs through setup.sh) and a real JSON Schema validator (Debian's
// python3-jsonschema, through tests/reports/sarif-schema/validate.py). A missing
// schema or validator fails the test with the command that installs it: never a silent pass.
#include <filesystem>
#include <string>

#include <doctest/doctest.h>

#include "tests/support/run_cli.h"

namespace provscan::report::testing {

struct SchemaCheck {
  int exit_code = -1;  // 0 valid, 1 invalid, 2 the validator could not run
  std::string out;     // one line per violation: "FILE: /json/pointer: message"
  std::string err;
};

inline std::string sarif_schema_path() {
  return provscan::test::source_dir() + "/tests/reports/sarif-schema/node_modules/@microsoft/sarif-multitool-ts/assets/sarif-2.1.0.schema.json";
}

// Debian's interpreter first: that is where setup.sh installs python3-jsonschema.
inline std::string python_for_validation() {
  return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

inline SchemaCheck validate_sarif(const std::string& sarif, const std::string& name = "provscan.sarif") {
  const std::string schema = sarif_schema_path();
  INFO("the SARIF 2.1.0 schema is installed by scripts/fetch-test-deps.sh; the validator by "
       "`apt-get install python3-jsonschema` (both: PROVSCAN_TEST_TOOLS=1 scripts/setup.sh)");
  REQUIRE(std::filesystem::exists(schema));
  const std::string file = provscan::test::scratch_file(name, sarif);
  const std::string script = provscan::test::source_dir() + "/tests/reports/sarif-schema/validate.py";
  const provscan::test::CliResult res =
      provscan::test::run_command({"/usr/bin/env", python_for_validation(), script, schema, file});
  INFO("validator stderr: " << res.err);
  REQUIRE(res.exit_code != 2);  // the validator itself ran
  return {res.exit_code, res.out, res.err};
}

// CHECKs that `sarif` is valid, printing every violation otherwise.
inline void check_valid_sarif(const std::string& sarif, const std::string& name = "provscan.sarif") {
  const SchemaCheck c = validate_sarif(sarif, name);
  INFO("schema violations:\n" << c.out);
  CHECK(c.exit_code == 0);
}

}  // namespace provscan::report::testing
