#pragma once
// Commit signature verification against the roster's public keys, and nothing else: no network,
// no gpg or ssh-keygen, no keyring of the machine, no web of trust. A signature counts only when
// it verifies under a key the organization listed for a person (Person::signing_keys).
//
// What is supported (anything else is reported, never guessed):
//
// SSH signatures (git's gpg.format=ssh): the armored "-----BEGIN SSH SIGNATURE-----" SSHSIG
//   blob, version 1, exactly as `ssh-keygen -Y sign -n git` writes it. The namespace must be
//   "git" (a signature made for any other namespace, e.g. "file", is BadSignature: it was not
//   made for a commit). Message hash "sha256" or "sha512". Keys and signature algorithms:
//     ssh-ed25519                            signature "ssh-ed25519"
//     ssh-rsa (2048 to 16384 bits in roster) signature "rsa-sha2-256" or "rsa-sha2-512"
//                                            (SHA-1 "ssh-rsa" signatures: Unverifiable)
//     ecdsa-sha2-nistp256/384/521            signature of the same name (SHA-256/384/512)
//   Not supported: security-key types (sk-ssh-ed25519@openssh.com, sk-ecdsa-...), certificates
//   (*-cert-v01@openssh.com), DSA. Such a key in a signature is UnknownKey (it cannot be in the
//   roster); in the roster it is rejected by validate_signing_key.
//   The signature's embedded public key is matched byte for byte against the roster's keys;
//   `key` is its fingerprint as `ssh-keygen -l` prints it ("SHA256:" + unpadded base64).
//
// OpenPGP signatures (git's default gpg.format=openpgp): one armored
//   "-----BEGIN PGP SIGNATURE-----" block (armor headers allowed, CRC-24 checked when present)
//   holding exactly one version 4 signature packet of type 0x00 (binary document), as
//   `gpg --detach-sign` and git produce. Hashes SHA-224/256/384/512; MD5, SHA-1 and RIPEMD-160
//   are Unverifiable. Public-key algorithms: RSA (1, 3; keys of 2048 to 16384 bits) with
//   PKCS#1 v1.5, and EdDSA Ed25519 in gpg's legacy encoding (algorithm 22, OID
//   1.3.6.1.4.1.11591.15.1). The key is found by the issuer fingerprint subpacket (33, v4) if
//   present, else by the 64-bit issuer key id (16); every roster key with that id is tried. A hashed subpacket marked critical that is not
//   understood makes the signature Unverifiable (RFC 4880 5.2.3.1). `key` is the 40-hex
//   upper-case fingerprint of the (sub)key that signed, as gpg prints it (16 hex when only a
//   key id is known).
//   Not supported: v3, v5 and v6 signatures and keys, text-mode (0x01) signatures, DSA, ECDSA,
//   RFC 9580 native Ed25519/Ed448 (27, 28), "-----BEGIN PGP MESSAGE-----" (inline signed data),
//   several signatures in one block.
//   Not evaluated: signature and key expiration, revocation signatures, user ids: the roster is
//   the only authority (remove a revoked key from the roster; bound people with valid_from/to).
//
// X.509 (gpgsm, "-----BEGIN SIGNED MESSAGE-----") and anything else: Unverifiable.
//
// Order of the checks: unreadable bytes -> Unverifiable; then the signing key is looked up, so
// a key missing from the roster is UnknownKey whatever else the signature says; then
// namespace (SSH), hash and algorithm checks; then the cryptographic verification. `person` is
// set only for Verified; `key` is set as soon as the signing key is known.
//
// Roster keys: an SSH public key line "TYPE BASE64 [comment]" (as in id_ed25519.pub), or
// "openpgp:" followed by an ASCII-armored "-----BEGIN PGP PUBLIC KEY BLOCK-----" (the output of
// `gpg --armor --export`). Every v4 primary key in the block with a supported algorithm can
// verify (its own key flags are not consulted: listing it in the roster is the authority). A subkey can verify only when (a) a subkey binding signature (0x18) made by the
// primary key verifies, uses a hash of SHA-224 or stronger and has the "sign" key flag, and
// (b) its embedded primary-key binding signature (0x19, the "back-signature" gpg requires for
// signing subkeys) verifies under the subkey: a subkey appended to someone's key by a third
// party (keyserver poisoning) never verifies as that person. A fingerprint alone
// ("openpgp:FINGERPRINT") cannot verify anything and is rejected.
//
// Hostile input: signatures come from the repository. Every length read from them is checked;
// malformed, oversized or unsupported content yields Unverifiable with a reason, never an
// exception or a crash. A key listed for two different people verifies as Unverifiable
// ("ambiguous"), never as either of them.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/roster.h"

namespace provscan::scan {

enum class SignatureStatus { Unsigned, Verified, BadSignature, UnknownKey, Unverifiable };

// "unsigned", "verified", "bad-signature", "unknown-key", "unverifiable".
std::string_view to_string(SignatureStatus s) noexcept;

struct SignatureCheck {
  SignatureStatus status = SignatureStatus::Unsigned;
  std::optional<std::string> person;  // roster id whose key verified it (Verified only)
  std::string key;                    // "SHA256:..." (SSH) or 40 hex (OpenPGP); empty if unknown
  std::string detail;                 // human-readable reason
};

// Largest signature block examined; larger ones are Unverifiable.
inline constexpr std::size_t kMaxSignatureBytes = 64 * 1024;
// Largest roster key text accepted (OpenPGP key blocks carry certifications).
inline constexpr std::size_t kMaxRosterKeyBytes = 1024 * 1024;

// The parsed public keys of a roster, built once per run. Keys that validate_signing_key
// rejects are left out (the roster loader reports them). verify() is const, keeps no state and
// may be called from several threads at once.
class KeyRing {
 public:
  KeyRing();
  explicit KeyRing(const Roster& roster);
  ~KeyRing();
  KeyRing(KeyRing&&) noexcept;
  KeyRing& operator=(KeyRing&&) noexcept;

  // `signed_payload` and `gpgsig` as git::Commit holds them. Empty gpgsig: Unsigned.
  SignatureCheck verify(std::string_view signed_payload, std::string_view gpgsig) const;

  // Number of keys that can verify (SSH keys, OpenPGP primary keys and signing subkeys).
  std::size_t size() const noexcept;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// For the roster loader: nullopt if the key text is acceptable, else a one-line message
// (without file:line:col).
std::optional<std::string> validate_signing_key(std::string_view key);

// Fingerprints of every key in a roster entry that can verify, in the form SignatureCheck::key
// uses (for duplicate detection across people). Empty when the entry is not valid.
std::vector<std::string> signing_key_fingerprints(std::string_view key);

}  // namespace provscan::scan
