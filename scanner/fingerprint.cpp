#include "scanner/fingerprint.h"

#include <fmt/format.h>

#include "common/hash.h"

namespace provscan::scan {

std::string fingerprint(std::string_view rule_id, std::string_view path, std::string_view snippet,
                        unsigned occurrence) {
  std::string norm;
  for (char ch : snippet)  // white space changes do not make a finding new
    if (ch != ' ' && ch != '\t' && ch != '\r') norm += ch;
  Sha256 h;
  h.update(fmt::format("provscan/v1\n{}\n{}\n{}\n", rule_id, path, occurrence));
  h.update(norm);
  return h.hex().substr(0, 32);
}

}  // namespace provscan::scan
