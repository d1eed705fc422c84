#pragma once
// Internals shared by signing.cpp, signing_ssh.cpp and signing_openpgp.cpp. Not part of the
// public interface: only std and provscan types here; OpenSSL stays in the .cpp files.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/signing.h"

namespace provscan::scan::signing_detail {

// Thrown by every parser of untrusted bytes; KeyRing::verify turns it into Unverifiable and
// validate_signing_key into its message.
class Malformed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Well-formed but outside what signing.h lists as supported (v3 signature, SHA-1, ...).
class Unsupported : public Malformed {
 public:
  using Malformed::Malformed;
};

// Bounds-checked big-endian reader over untrusted bytes: every read checks what is left.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : b_(bytes) {}
  std::size_t remaining() const noexcept { return b_.size() - pos_; }
  bool empty() const noexcept { return pos_ == b_.size(); }
  std::size_t pos() const noexcept { return pos_; }
  std::uint8_t u8(std::string_view what);
  std::uint16_t u16(std::string_view what);
  std::uint32_t u32(std::string_view what);
  std::string_view bytes(std::size_t n, std::string_view what);
  std::string_view rest();
  // SSH wire "string": uint32 length, then that many bytes.
  std::string_view ssh_string(std::string_view what);
  // SSH wire "mpint", which must be non-negative: returned without leading zero bytes.
  std::string_view ssh_mpint(std::string_view what);
  // OpenPGP MPI: uint16 bit count, then (bits+7)/8 bytes; returned without leading zeros.
  std::string_view pgp_mpi(std::string_view what);

 private:
  std::string_view b_;
  std::size_t pos_ = 0;
};

// Standard alphabet; white space is skipped; '=' only as final padding. Throws Malformed.
std::string base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes, bool pad);
std::string hex_upper(std::string_view bytes);
std::string strip_leading_zeros(std::string_view big_endian);

// ASCII armor: the lines between "-----BEGIN label-----" and "-----END label-----", decoded.
// `pgp`: armor header lines ("Key: value") and a blank line may follow BEGIN, and a "=XXXX"
// CRC-24 line may precede END (it is checked). Only white space may follow END.
std::string dearmor(std::string_view text, std::string_view label, bool pgp);

enum class Digest { Sha1, Sha224, Sha256, Sha384, Sha512 };
std::string digest(Digest d, std::string_view data);
// Incremental digest over several pieces.
std::string digest(Digest d, const std::vector<std::string_view>& pieces);

// Weaker RSA keys are refused in the roster (SSH: with a message; OpenPGP: the key is unusable).
inline constexpr std::size_t kMinRsaBits = 2048;

// A public key as plain bytes, so that a KeyRing holds no OpenSSL object and verify() builds
// what it needs per call (no shared mutable state between threads).
struct PublicKey {
  enum class Alg { Ed25519, Rsa, EcdsaP256, EcdsaP384, EcdsaP521 };
  Alg alg = Alg::Ed25519;
  std::string a;  // Ed25519: 32 bytes; RSA: modulus n; ECDSA: uncompressed point (0x04 X Y)
  std::string b;  // RSA: exponent e
  std::size_t rsa_bits() const noexcept;
};

// Checks that OpenSSL accepts the key (point on the curve, sane RSA numbers). Throws Malformed.
void check_public_key(const PublicKey& key);

// Signature over `message`, hashed with `d` (ignored for Ed25519, which signs the message
// itself). `sig`: Ed25519 64 bytes; RSA PKCS#1 v1.5 big-endian (shorter is left-padded);
// ECDSA the integers r and s (big-endian). Returns false when it does not verify; throws
// Malformed when the key cannot be built.
bool verify_message(const PublicKey& key, Digest d, std::string_view message,
                    std::string_view sig, std::string_view ecdsa_s = {});
// RSA PKCS#1 v1.5 over an already computed digest (OpenPGP).
bool verify_rsa_digest(const PublicKey& key, Digest d, std::string_view digest_bytes,
                       std::string_view sig);

// ---- SSH ----
struct SshKey {
  std::string blob;         // wire encoding, as in the .pub file and the SSHSIG
  std::string type;         // "ssh-ed25519", ...
  std::string fingerprint;  // "SHA256:..."
  PublicKey key;
};
std::string ssh_fingerprint(std::string_view blob);
// "TYPE BASE64 [comment]". Throws Malformed with a user-facing message.
SshKey parse_ssh_public_key_line(std::string_view line);

// ---- OpenPGP ----
struct PgpKey {
  std::string fingerprint;  // 20 raw bytes (v4)
  std::string primary;      // 20 raw bytes: the primary key's fingerprint
  PublicKey key;
};
// The keys of an armored public key block that can verify (primary keys with a supported
// algorithm; signing subkeys with valid binding and back-signatures). Throws Malformed.
std::vector<PgpKey> parse_pgp_public_keys(std::string_view armored);

// ---- the ring ----
struct SshEntry {
  std::string person;
  SshKey key;
};
struct PgpEntry {
  std::string person;
  PgpKey key;
};

SignatureCheck verify_ssh(const std::vector<SshEntry>& ring, std::string_view payload,
                          std::string_view armored);
SignatureCheck verify_openpgp(const std::vector<PgpEntry>& ring, std::string_view payload,
                              std::string_view armored);

}  // namespace provscan::scan::signing_detail

namespace provscan::scan {
struct KeyRing::Impl {
  std::vector<signing_detail::SshEntry> ssh;
  std::vector<signing_detail::PgpEntry> pgp;
};
}  // namespace provscan::scan
