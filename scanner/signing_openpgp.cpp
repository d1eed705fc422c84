// OpenPGP (RFC 4880) detached v4 signatures and v4 public keys: just what git and gpg produce
// for commit signing; see signing.h for the exact list.
#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join

#include <set>

#include "scanner/signing_internal.h"

namespace provscan::scan::signing_detail {
namespace {

enum Tag : int {
  kSignature = 2,
  kSecretKey = 5,
  kPublicKey = 6,
  kSecretSubkey = 7,
  kPublicSubkey = 14,
};
enum Algo : int { kRsa = 1, kRsaSignOnly = 3, kEdDsaLegacy = 22 };
enum SigType : int { kBinaryDocument = 0x00, kSubkeyBinding = 0x18, kPrimaryKeyBinding = 0x19 };
enum SubpacketType : int {
  kIssuerKeyId = 16,
  kKeyFlags = 27,
  kEmbeddedSignature = 32,
  kIssuerFingerprint = 33,
};
constexpr std::uint8_t kKeyFlagSign = 0x02;
// OID 1.3.6.1.4.1.11591.15.1 (gpg's legacy Ed25519), DER without tag and length.
constexpr std::string_view kEd25519Oid = "\x2B\x06\x01\x04\x01\xDA\x47\x0F\x01";

struct Packet {
  int tag = 0;
  std::string_view body;
};

std::vector<Packet> read_packets(std::string_view data) {
  std::vector<Packet> out;
  Reader r(data);
  while (!r.empty()) {
    const std::uint8_t h = r.u8("packet header");
    if (!(h & 0x80)) throw Malformed("not an OpenPGP packet header");
    Packet p;
    std::size_t len = 0;
    if (h & 0x40) {  // new format
      p.tag = h & 0x3F;
      const std::uint8_t o1 = r.u8("packet length");
      if (o1 < 192) {
        len = o1;
      } else if (o1 < 224) {
        len = ((static_cast<std::size_t>(o1) - 192) << 8) + r.u8("packet length") + 192;
      } else if (o1 == 255) {
        len = r.u32("packet length");
      } else {
        throw Malformed("partial body lengths are not allowed here");
      }
    } else {  // old format
      p.tag = (h >> 2) & 0x0F;
      switch (h & 3) {
        case 0: len = r.u8("packet length"); break;
        case 1: len = r.u16("packet length"); break;
        case 2: len = r.u32("packet length"); break;
        default: throw Malformed("indeterminate packet length");
      }
    }
    p.body = r.bytes(len, "packet body");
    out.push_back(p);
  }
  return out;
}

struct Subpacket {
  int type = 0;
  bool critical = false;
  std::string_view data;
};

std::vector<Subpacket> read_subpackets(std::string_view area) {
  std::vector<Subpacket> out;
  Reader r(area);
  while (!r.empty()) {
    const std::uint8_t o1 = r.u8("subpacket length");
    std::size_t len = o1;
    if (o1 >= 192 && o1 < 255) {
      len = ((static_cast<std::size_t>(o1) - 192) << 8) + r.u8("subpacket length") + 192;
    } else if (o1 == 255) {
      len = r.u32("subpacket length");
    }
    if (len == 0) throw Malformed("empty subpacket");
    const std::string_view body = r.bytes(len, "subpacket");
    Subpacket s;
    s.type = static_cast<unsigned char>(body[0]) & 0x7F;
    s.critical = static_cast<unsigned char>(body[0]) & 0x80;
    s.data = body.substr(1);
    out.push_back(s);
  }
  return out;
}

struct Signature {
  int type = 0;
  int pk_algo = 0;
  int hash_algo = 0;
  std::string_view hashed_prefix;  // version .. end of the hashed subpackets: what is hashed
  std::vector<Subpacket> hashed;
  std::vector<Subpacket> unhashed;
  std::string_view left16;
  std::vector<std::string_view> mpis;
};

Signature read_signature(std::string_view body) {
  Reader r(body);
  const std::uint8_t version = r.u8("signature version");
  if (version != 4) throw Unsupported(fmt::format("version {} signature (only v4)", version));
  Signature s;
  s.type = r.u8("signature type");
  s.pk_algo = r.u8("public-key algorithm");
  s.hash_algo = r.u8("hash algorithm");
  const std::uint16_t hashed_len = r.u16("hashed subpackets");
  s.hashed = read_subpackets(r.bytes(hashed_len, "hashed subpackets"));
  s.hashed_prefix = body.substr(0, r.pos());
  const std::uint16_t unhashed_len = r.u16("unhashed subpackets");
  s.unhashed = read_subpackets(r.bytes(unhashed_len, "unhashed subpackets"));
  s.left16 = r.bytes(2, "hash prefix");
  const int count = s.pk_algo == kEdDsaLegacy ? 2 : 1;
  for (int i = 0; i < count; ++i) s.mpis.push_back(r.pgp_mpi("signature value"));
  if (!r.empty()) throw Malformed("trailing bytes after the signature value");
  return s;
}

std::string_view hash_name(int algo) {
  switch (algo) {
    case 1: return "MD5";
    case 2: return "SHA-1";
    case 3: return "RIPEMD-160";
    case 8: return "SHA-256";
    case 9: return "SHA-384";
    case 10: return "SHA-512";
    case 11: return "SHA-224";
    default: return "unknown";
  }
}

std::optional<Digest> accepted_hash(int algo) {
  switch (algo) {
    case 8: return Digest::Sha256;
    case 9: return Digest::Sha384;
    case 10: return Digest::Sha512;
    case 11: return Digest::Sha224;
    default: return std::nullopt;  // MD5, SHA-1, RIPEMD-160 are broken or weak
  }
}

// Subpackets whose meaning we know (RFC 4880 5.2.3.1: an unknown critical one voids the
// signature). Expiration times are known but, as signing.h says, not evaluated.
bool understood(int type) {
  static const std::set<int> kKnown = {2, 3, 4, 5, 9, 11, 16, 21, 22, 23, 25, 27, 30, 32, 33, 34};
  return kKnown.count(type) != 0;
}

std::optional<int> unknown_critical(const Signature& s) {
  for (const Subpacket& p : s.hashed) {
    if (p.critical && !understood(p.type)) return p.type;
  }
  return std::nullopt;
}

const Subpacket* find(const std::vector<Subpacket>& area, int type) {
  for (const Subpacket& p : area) {
    if (p.type == type) return &p;
  }
  return nullptr;
}

const Subpacket* find_any(const Signature& s, int type) {
  const Subpacket* p = find(s.hashed, type);
  return p ? p : find(s.unhashed, type);
}

std::string u16be(std::size_t n) {
  return {static_cast<char>((n >> 8) & 0xFF), static_cast<char>(n & 0xFF)};
}

std::string u32be(std::size_t n) {
  return {static_cast<char>((n >> 24) & 0xFF), static_cast<char>((n >> 16) & 0xFF),
          static_cast<char>((n >> 8) & 0xFF), static_cast<char>(n & 0xFF)};
}

// RFC 4880 5.2.4: H(data || hashed part of the signature || 0x04 0xFF || its length).
bool verify_with(const PublicKey& key, const Signature& s, Digest d,
                 std::vector<std::string_view> data) {
  const std::string trailer = "\x04\xFF" + u32be(s.hashed_prefix.size());
  data.push_back(s.hashed_prefix);
  data.push_back(trailer);
  const std::string h = digest(d, data);
  if (h.compare(0, 2, s.left16) != 0) return false;
  if (key.alg == PublicKey::Alg::Rsa && (s.pk_algo == kRsa || s.pk_algo == kRsaSignOnly)) {
    return verify_rsa_digest(key, d, h, s.mpis.at(0));
  }
  if (key.alg == PublicKey::Alg::Ed25519 && s.pk_algo == kEdDsaLegacy) {
    // Legacy EdDSA signs the digest as its message; r and s are 32-byte little-endian values
    // stored as MPIs, so leading zero bytes were dropped.
    const std::string_view r = s.mpis.at(0), sv = s.mpis.at(1);
    if (r.size() > 32 || sv.size() > 32) return false;
    const std::string sig = std::string(32 - r.size(), '\0') + std::string(r) +
                            std::string(32 - sv.size(), '\0') + std::string(sv);
    return verify_message(key, d, h, sig);
  }
  return false;  // the signature's algorithm does not fit the key
}

struct KeyPacket {
  std::string_view body;
  std::string fingerprint;          // 20 bytes, v4 only
  std::optional<PublicKey> key;     // when the algorithm is supported
};

KeyPacket read_key(std::string_view body) {
  KeyPacket k;
  k.body = body;
  Reader r(body);
  const std::uint8_t version = r.u8("key version");
  if (version != 4) return k;  // v3/v5/v6: not supported, no usable fingerprint
  r.u32("key creation time");
  const std::uint8_t algo = r.u8("key algorithm");
  if (body.size() > 0xFFFF) throw Malformed("key packet too large");
  k.fingerprint = digest(Digest::Sha1, {std::string_view("\x99", 1), u16be(body.size()), body});
  PublicKey key;
  if (algo == kRsa || algo == kRsaSignOnly) {
    key.alg = PublicKey::Alg::Rsa;
    key.a = std::string(r.pgp_mpi("RSA modulus"));
    key.b = std::string(r.pgp_mpi("RSA exponent"));
  } else if (algo == kEdDsaLegacy) {
    const std::uint8_t oid_len = r.u8("curve OID");
    if (r.bytes(oid_len, "curve OID") != kEd25519Oid) return k;  // another EdDSA curve
    const std::string_view q = r.pgp_mpi("EdDSA point");
    if (q.size() != 33 || q[0] != '\x40') throw Malformed("EdDSA point is not a 0x40-prefixed Ed25519 key");
    key.alg = PublicKey::Alg::Ed25519;
    key.a = std::string(q.substr(1));
  } else {
    return k;  // encryption-only or unsupported algorithm: never verifies
  }
  try {
    check_public_key(key);
    if (key.alg != PublicKey::Alg::Rsa || key.rsa_bits() >= kMinRsaBits) k.key = std::move(key);
  } catch (const Malformed&) {
    // an unusable key verifies nothing
  }
  return k;
}

// A subkey signs only with a binding signature by the primary key that grants the signing
// flag and carries a back-signature by the subkey itself (RFC 4880 5.2.1, 0x18 and 0x19).
bool is_signing_subkey(const KeyPacket& primary, const KeyPacket& sub, std::string_view sig_body) {
  if (!primary.key || !sub.key) return false;
  try {
    const Signature binding = read_signature(sig_body);
    const std::optional<Digest> d = accepted_hash(binding.hash_algo);
    if (binding.type != kSubkeyBinding || !d || unknown_critical(binding)) return false;
    const Subpacket* flags = find(binding.hashed, kKeyFlags);
    if (!flags || flags->data.empty() ||
        !(static_cast<unsigned char>(flags->data[0]) & kKeyFlagSign)) {
      return false;
    }
    const std::string primary_len = u16be(primary.body.size()), sub_len = u16be(sub.body.size());
    const std::vector<std::string_view> data = {"\x99", primary_len, primary.body,
                                                "\x99", sub_len,     sub.body};
    if (!verify_with(*primary.key, binding, *d, data)) return false;
    const Subpacket* embedded = find_any(binding, kEmbeddedSignature);
    if (!embedded) return false;
    const Signature back = read_signature(embedded->data);
    const std::optional<Digest> bd = accepted_hash(back.hash_algo);
    if (back.type != kPrimaryKeyBinding || !bd || unknown_critical(back)) return false;
    return verify_with(*sub.key, back, *bd, data);
  } catch (const Malformed&) {
    return false;  // a binding we cannot read binds nothing
  }
}

std::optional<std::string> issuer_fingerprint(const Signature& s) {
  const Subpacket* p = find_any(s, kIssuerFingerprint);
  if (p && p->data.size() == 21 && p->data[0] == '\x04') return std::string(p->data.substr(1));
  return std::nullopt;
}

std::optional<std::string> issuer_key_id(const Signature& s) {
  const Subpacket* p = find_any(s, kIssuerKeyId);
  if (p && p->data.size() == 8) return std::string(p->data);
  return std::nullopt;
}

SignatureCheck result(SignatureStatus status, std::string key, std::string detail) {
  SignatureCheck c;
  c.status = status;
  c.key = std::move(key);
  c.detail = std::move(detail);
  return c;
}

std::string_view algo_name(int pk_algo) {
  return pk_algo == kEdDsaLegacy ? "EdDSA" : (pk_algo == kRsa || pk_algo == kRsaSignOnly) ? "RSA" : "other";
}

}  // namespace

std::vector<PgpKey> parse_pgp_public_keys(std::string_view armored) {
  const std::string data = dearmor(armored, "PGP PUBLIC KEY BLOCK", true);  // packets view it
  const std::vector<Packet> packets = read_packets(data);
  if (packets.empty() || packets[0].tag != kPublicKey) {
    throw Malformed("OpenPGP key block does not start with a public key packet");
  }
  std::vector<PgpKey> out;
  std::optional<KeyPacket> primary, sub;
  bool sub_accepted = false;
  for (const Packet& p : packets) {
    switch (p.tag) {
      case kSecretKey:
      case kSecretSubkey:
        throw Malformed("OpenPGP key block holds secret key material: export the public key only");
      case kPublicKey:
        primary = read_key(p.body);
        sub.reset();
        if (primary->key) out.push_back({primary->fingerprint, primary->fingerprint, *primary->key});
        break;
      case kPublicSubkey:
        sub = read_key(p.body);
        sub_accepted = false;
        break;
      case kSignature:
        if (primary && sub && !sub_accepted && is_signing_subkey(*primary, *sub, p.body)) {
          out.push_back({sub->fingerprint, primary->fingerprint, *sub->key});
          sub_accepted = true;
        }
        break;
      default:
        break;  // user ids, user attributes, trust and marker packets say nothing we use
    }
  }
  return out;
}

SignatureCheck verify_openpgp(const std::vector<PgpEntry>& ring, std::string_view payload,
                              std::string_view armored) {
  const std::string data = dearmor(armored, "PGP SIGNATURE", true);  // packets view it
  const std::vector<Packet> packets = read_packets(data);
  for (const Packet& p : packets) {
    if (p.tag != kSignature) throw Malformed(fmt::format("unexpected packet (tag {})", p.tag));
  }
  if (packets.size() != 1) {
    throw Unsupported(fmt::format("{} signatures in one block (exactly one is supported)",
                                  packets.size()));
  }
  const Signature s = read_signature(packets[0].body);
  if (s.type != kBinaryDocument) {
    throw Unsupported(fmt::format("signature type 0x{:02X} (only 0x00, binary document)", s.type));
  }
  const std::optional<std::string> fpr = issuer_fingerprint(s);
  const std::optional<std::string> key_id = issuer_key_id(s);
  if (!fpr && !key_id) throw Malformed("no issuer fingerprint or key id subpacket");
  const std::string key = hex_upper(fpr ? *fpr : *key_id);

  std::vector<const PgpEntry*> candidates;
  std::set<std::string> people;
  for (const PgpEntry& e : ring) {
    const bool match = fpr ? e.key.fingerprint == *fpr : e.key.fingerprint.ends_with(*key_id);
    if (!match) continue;
    candidates.push_back(&e);
    people.insert(e.person);
  }
  if (candidates.empty()) {
    return result(SignatureStatus::UnknownKey, key,
                  fmt::format("signed with OpenPGP key {}, which is not in the roster", key));
  }
  const std::string who = fmt::format("{}", fmt::join(people, ", "));
  const std::optional<Digest> d = accepted_hash(s.hash_algo);
  if (!d) {
    return result(SignatureStatus::Unverifiable, key,
                  fmt::format("OpenPGP signature by {} ({}) uses hash {} (accepted: SHA-224, "
                              "SHA-256, SHA-384, SHA-512)",
                              key, who, hash_name(s.hash_algo)));
  }
  if (const std::optional<int> t = unknown_critical(s)) {
    return result(SignatureStatus::Unverifiable, key,
                  fmt::format("OpenPGP signature by {} ({}) has a critical subpacket of unknown "
                              "type {}",
                              key, who, *t));
  }
  std::vector<const PgpEntry*> verified;
  std::set<std::string> verified_people;
  for (const PgpEntry* e : candidates) {
    if (verify_with(e->key.key, s, *d, {payload})) {
      verified.push_back(e);
      verified_people.insert(e->person);
    }
  }
  if (verified.empty()) {
    return result(SignatureStatus::BadSignature, key,
                  fmt::format("OpenPGP signature by {} ({}) does not verify over the commit", key,
                              who));
  }
  const PgpEntry& e = *verified.front();
  const std::string signer = hex_upper(e.key.fingerprint);
  if (verified_people.size() > 1) {
    return result(SignatureStatus::Unverifiable, signer,
                  fmt::format("OpenPGP key {} is listed for more than one person ({}): ambiguous",
                              signer, fmt::join(verified_people, ", ")));
  }
  SignatureCheck c = result(SignatureStatus::Verified, signer, "");
  c.person = e.person;
  c.detail = fmt::format("good OpenPGP {} {} signature by {} ({})", algo_name(s.pk_algo),
                         hash_name(s.hash_algo), e.person, signer);
  if (e.key.fingerprint != e.key.primary) {
    c.detail += fmt::format(", subkey of {}", hex_upper(e.key.primary));
  }
  return c;
}

}  // namespace provscan::scan::signing_detail
