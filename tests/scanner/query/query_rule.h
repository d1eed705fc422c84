#pragma once
// A query rule built in code, for the query-engine tests (positions point into a made-up file
// so that error messages can be asserted).
#include <string>
#include <utility>
#include <vector>

#include "rules/rule.h"

namespace provscan::test {

inline rules::Rule query_rule(std::string id, std::vector<std::string> languages, std::string query) {
  rules::Rule r;
  r.id = std::move(id);
  r.engine = rules::Engine::Query;
  r.severity = Severity::High;
  r.message = "test";
  r.languages = std::move(languages);
  r.query = std::move(query);
  r.pos = {"rules/test.yaml", 3, 5};
  r.query_pos = {"rules/test.yaml", 10, 7};
  return r;
}

}  // namespace provscan::test
