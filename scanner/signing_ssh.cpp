// SSH public keys (RFC 4253 6.6, RFC 5656 3.1) and OpenSSH's SSHSIG signatures
// (openssh PROTOCOL.sshsig), as `ssh-keygen -Y sign -n git` makes them for git.
#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join

#include <set>

#include "scanner/signing_internal.h"

namespace provscan::scan::signing_detail {
namespace {

constexpr std::string_view kMagic = "SSHSIG";
constexpr std::string_view kNamespace = "git";

std::string ssh_string(std::string_view s) {
  std::string out;
  const auto n = static_cast<std::uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xFF));
  out.append(s);
  return out;
}

struct Curve {
  std::string_view key_type;
  std::string_view name;
  PublicKey::Alg alg;
  Digest digest;
  std::size_t point_bytes;  // 0x04 || X || Y
};
constexpr Curve kCurves[] = {
    {"ecdsa-sha2-nistp256", "nistp256", PublicKey::Alg::EcdsaP256, Digest::Sha256, 65},
    {"ecdsa-sha2-nistp384", "nistp384", PublicKey::Alg::EcdsaP384, Digest::Sha384, 97},
    {"ecdsa-sha2-nistp521", "nistp521", PublicKey::Alg::EcdsaP521, Digest::Sha512, 133},
};

const Curve* curve_for(std::string_view key_type) {
  for (const Curve& c : kCurves) {
    if (c.key_type == key_type) return &c;
  }
  return nullptr;
}

SshKey parse_key_blob(std::string_view blob) {
  Reader r(blob);
  SshKey k;
  k.blob = std::string(blob);
  k.type = std::string(r.ssh_string("key type"));
  if (k.type == "ssh-ed25519") {
    k.key.alg = PublicKey::Alg::Ed25519;
    k.key.a = std::string(r.ssh_string("Ed25519 key"));
    if (k.key.a.size() != 32) throw Malformed("Ed25519 key is not 32 bytes");
  } else if (k.type == "ssh-rsa") {
    k.key.alg = PublicKey::Alg::Rsa;
    k.key.b = std::string(r.ssh_mpint("RSA exponent"));
    k.key.a = std::string(r.ssh_mpint("RSA modulus"));
  } else if (const Curve* c = curve_for(k.type)) {
    if (r.ssh_string("curve name") != c->name) throw Malformed("curve name does not match key type");
    k.key.alg = c->alg;
    k.key.a = std::string(r.ssh_string("ECDSA point"));
    if (k.key.a.size() != c->point_bytes || k.key.a[0] != '\x04') {
      throw Malformed("ECDSA point is not an uncompressed point of the curve");
    }
  } else {
    throw Malformed(fmt::format(
        "unsupported SSH key type '{}' (supported: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521)",
        k.type));
  }
  if (!r.empty()) throw Malformed("trailing bytes after the SSH key");
  check_public_key(k.key);
  k.fingerprint = ssh_fingerprint(blob);
  return k;
}

// The type named inside a key blob, for messages about keys we do not support.
std::string key_type_of(std::string_view blob) {
  try {
    Reader r(blob);
    return std::string(r.ssh_string("key type"));
  } catch (const Malformed&) {
    return "unreadable key";
  }
}

struct SshSig {
  std::string_view public_key;
  std::string_view name_space;
  std::string_view reserved;
  std::string_view hash_alg;
  std::string_view sig_alg;
  std::string_view sig;
};

SshSig parse_sshsig(std::string_view data) {
  Reader r(data);
  if (r.bytes(kMagic.size(), "magic") != kMagic) throw Malformed("no SSHSIG magic");
  const std::uint32_t version = r.u32("version");
  if (version != 1) throw Unsupported(fmt::format("SSHSIG version {} (only 1 is supported)", version));
  SshSig s;
  s.public_key = r.ssh_string("public key");
  s.name_space = r.ssh_string("namespace");
  s.reserved = r.ssh_string("reserved");
  s.hash_alg = r.ssh_string("hash algorithm");
  const std::string_view sig_blob = r.ssh_string("signature");
  if (!r.empty()) throw Malformed("trailing bytes after the signature");
  Reader sr(sig_blob);
  s.sig_alg = sr.ssh_string("signature algorithm");
  s.sig = sr.ssh_string("signature bytes");
  if (!sr.empty()) throw Malformed("trailing bytes in the signature blob");
  return s;
}

SignatureCheck result(SignatureStatus status, std::string key, std::string detail) {
  SignatureCheck c;
  c.status = status;
  c.key = std::move(key);
  c.detail = std::move(detail);
  return c;
}

// Checks the signature algorithm against the key, then verifies.
struct Outcome {
  SignatureStatus status;
  std::string why;
};

Outcome check_signature(const SshKey& key, const SshSig& s, std::string_view signed_data) {
  const auto mismatch = [&] {
    return Outcome{SignatureStatus::BadSignature,
                   fmt::format("signature algorithm '{}' does not fit a {} key", s.sig_alg, key.type)};
  };
  bool ok = false;
  switch (key.key.alg) {
    case PublicKey::Alg::Ed25519:
      if (s.sig_alg != "ssh-ed25519") return mismatch();
      ok = verify_message(key.key, Digest::Sha512, signed_data, s.sig);
      break;
    case PublicKey::Alg::Rsa: {
      if (s.sig_alg == "ssh-rsa") {
        return {SignatureStatus::Unverifiable, "SHA-1 'ssh-rsa' signatures are not accepted"};
      }
      Digest d;
      if (s.sig_alg == "rsa-sha2-256") {
        d = Digest::Sha256;
      } else if (s.sig_alg == "rsa-sha2-512") {
        d = Digest::Sha512;
      } else {
        return mismatch();
      }
      ok = verify_message(key.key, d, signed_data, s.sig);
      break;
    }
    default: {
      const Curve* c = curve_for(key.type);
      if (!c || s.sig_alg != key.type) return mismatch();
      Reader rs(s.sig);
      const std::string_view r_int = rs.ssh_mpint("ECDSA r");
      const std::string_view s_int = rs.ssh_mpint("ECDSA s");
      if (!rs.empty()) throw Malformed("trailing bytes in the ECDSA signature");
      ok = verify_message(key.key, c->digest, signed_data, r_int, s_int);
      break;
    }
  }
  if (ok) return {SignatureStatus::Verified, {}};
  return {SignatureStatus::BadSignature, "does not verify over the commit"};
}

}  // namespace

std::string ssh_fingerprint(std::string_view blob) {
  return "SHA256:" + base64_encode(digest(Digest::Sha256, blob), false);
}

SshKey parse_ssh_public_key_line(std::string_view line) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::vector<std::string_view> fields;
  for (std::size_t i = 0; i < line.size() && fields.size() < 2;) {
    while (i < line.size() && is_space(line[i])) ++i;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  if (fields.size() < 2) {
    throw Malformed(
        "signing key must be an SSH public key ('ssh-ed25519 AAAA...', 'ssh-rsa AAAA...', "
        "'ecdsa-sha2-nistp256 AAAA...') or 'openpgp:' followed by an ASCII-armored public key "
        "block");
  }
  const std::string_view type = fields[0];
  if (type != "ssh-ed25519" && type != "ssh-rsa" && !curve_for(type)) {
    throw Malformed(fmt::format(
        "unsupported SSH key type '{}' (supported: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521)",
        type));
  }
  std::string blob;
  try {
    blob = base64_decode(fields[1]);
  } catch (const Malformed& e) {
    throw Malformed(fmt::format("{} key: {}", type, e.what()));
  }
  SshKey k;
  try {
    k = parse_key_blob(blob);
  } catch (const Malformed& e) {
    throw Malformed(fmt::format("{} key: {}", type, e.what()));
  }
  if (k.type != type) {
    throw Malformed(fmt::format("key text says '{}' but the key inside is '{}'", type, k.type));
  }
  return k;
}

SignatureCheck verify_ssh(const std::vector<SshEntry>& ring, std::string_view payload,
                          std::string_view armored) {
  const std::string data = dearmor(armored, "SSH SIGNATURE", false);
  const SshSig s = parse_sshsig(data);
  const std::string fpr = ssh_fingerprint(s.public_key);

  const SshEntry* found = nullptr;
  std::set<std::string> people;
  for (const SshEntry& e : ring) {
    if (e.key.blob != s.public_key) continue;
    found = &e;
    people.insert(e.person);
  }
  if (!found) {
    return result(SignatureStatus::UnknownKey, fpr,
                  fmt::format("signed with SSH key {} ({}), which is not in the roster", fpr,
                              key_type_of(s.public_key)));
  }
  if (people.size() > 1) {
    return result(SignatureStatus::Unverifiable, fpr,
                  fmt::format("SSH key {} is listed for more than one person ({}): ambiguous", fpr,
                              fmt::join(people, ", ")));
  }
  const std::string& person = found->person;
  if (s.name_space != kNamespace) {
    return result(SignatureStatus::BadSignature, fpr,
                  fmt::format("SSH signature by {} ({}) is for namespace '{}', not 'git'", fpr,
                              person, s.name_space));
  }
  Digest hash;
  if (s.hash_alg == "sha512") {
    hash = Digest::Sha512;
  } else if (s.hash_alg == "sha256") {
    hash = Digest::Sha256;
  } else {
    return result(SignatureStatus::Unverifiable, fpr,
                  fmt::format("SSHSIG hash algorithm '{}' is not supported (sha256, sha512)",
                              s.hash_alg));
  }
  const std::string signed_data = std::string(kMagic) + ssh_string(s.name_space) +
                                  ssh_string(s.reserved) + ssh_string(s.hash_alg) +
                                  ssh_string(digest(hash, payload));
  const Outcome o = check_signature(found->key, s, signed_data);
  SignatureCheck c = result(o.status, fpr, "");
  if (o.status == SignatureStatus::Verified) {
    c.person = person;
    c.detail = fmt::format("good {} signature by {} ({})", s.sig_alg, person, fpr);
  } else {
    c.detail = fmt::format("SSH signature by {} ({}): {}", fpr, person, o.why);
  }
  return c;
}

}  // namespace provscan::scan::signing_detail
