#pragma once
// provscan's one exception type. Loaders and C-library wrappers throw it; main() turns it into
// exit 2, and the per-item loops of each stage record it in the ledger and go on.
#include <stdexcept>
#include <string>

namespace provscan {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A bad user-supplied input file (rules, roster, policy). what() already starts with
// "file:line:col: ".
class InputError : public Error {
 public:
  using Error::Error;
};

}  // namespace provscan
