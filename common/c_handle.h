#pragma once
// Ownership of objects handed out by C libraries (libgit2, Hyperscan, tree-sitter, PCRE2,
// OpenSSL): a unique_ptr whose deleter calls the library's own free function. Wrap only what the
// library says the caller owns (out-parameters, create/new results); borrowed pointers stay raw.
#include <memory>

namespace provscan {

template <auto Free>
struct CFree {
  template <class T>
  void operator()(T* p) const noexcept {
    (void)Free(p);
  }
};

template <class T, auto Free>
using Owned = std::unique_ptr<T, CFree<Free>>;

}  // namespace provscan
