#pragma once
#include <string>
#include <string_view>

namespace provscan {

// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

// Lower-case hex HMAC-SHA-256 of `data` under `key` (RFC 2104).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Incremental SHA-256 for hashing several inputs in order.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string hex();  // finishes the hash; call once

 private:
  void* ctx_;
};

}  // namespace provscan
