#include "scanner/signing.h"

#include "common/c_handle.h"

#include <openssl/core_names.h>  // OSSL_PKEY_PARAM_*
#include <openssl/ec.h>          // ECDSA_SIG
#include <openssl/evp.h>
#include <openssl/param_build.h>  // OSSL_PARAM_BLD
#include <openssl/rsa.h>          // RSA_PKCS1_PADDING

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <set>

#include "scanner/signing_internal.h"

namespace provscan::scan {
namespace signing_detail {
namespace {

using PKey = Owned<EVP_PKEY, EVP_PKEY_free>;
using PKeyCtx = Owned<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using MdCtx = Owned<EVP_MD_CTX, EVP_MD_CTX_free>;
using Bn = Owned<BIGNUM, BN_free>;
using ParamBld = Owned<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using Params = Owned<OSSL_PARAM, OSSL_PARAM_free>;
using EcdsaSig = Owned<ECDSA_SIG, ECDSA_SIG_free>;

const unsigned char* u8p(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

const EVP_MD* md_of(Digest d) {
  switch (d) {
    case Digest::Sha1: return EVP_sha1();
    case Digest::Sha224: return EVP_sha224();
    case Digest::Sha256: return EVP_sha256();
    case Digest::Sha384: return EVP_sha384();
    case Digest::Sha512: return EVP_sha512();
  }
  return EVP_sha512();
}

Bn bignum(std::string_view big_endian) {
  Bn n(BN_bin2bn(u8p(big_endian), static_cast<int>(big_endian.size()), nullptr));
  if (!n) throw Malformed("out of memory");
  return n;
}

const char* curve_name(PublicKey::Alg a) {
  switch (a) {
    case PublicKey::Alg::EcdsaP256: return "P-256";
    case PublicKey::Alg::EcdsaP384: return "P-384";
    case PublicKey::Alg::EcdsaP521: return "P-521";
    default: return nullptr;
  }
}

PKey from_params(const char* type, const ParamBld& bld) {
  Params params(OSSL_PARAM_BLD_to_param(bld.get()));
  PKeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1 || !raw) {
    throw Malformed(fmt::format("invalid {} public key", type));
  }
  return PKey(raw);
}

PKey make_pkey(const PublicKey& k) {
  if (k.alg == PublicKey::Alg::Ed25519) {
    if (k.a.size() != 32) throw Malformed("Ed25519 public key is not 32 bytes");
    PKey p(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, u8p(k.a), k.a.size()));
    if (!p) throw Malformed("invalid Ed25519 public key");
    return p;
  }
  ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bld) throw Malformed("out of memory");
  if (k.alg == PublicKey::Alg::Rsa) {
    const Bn n = bignum(k.a), e = bignum(k.b);
    if (OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
      throw Malformed("invalid RSA public key");
    }
    return from_params("RSA", bld);
  }
  const char* curve = curve_name(k.alg);
  if (OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, k.a.data(),
                                       k.a.size()) != 1) {
    throw Malformed("invalid ECDSA public key");
  }
  // oct2point rejects points that are not on the curve.
  return from_params("EC", bld);
}

// RSA verification wants exactly the modulus length; encoders may drop leading zeros.
std::string rsa_padded(const PublicKey& k, std::string_view sig) {
  const std::size_t len = strip_leading_zeros(k.a).size();
  if (sig.size() > len) return std::string(sig);  // fails verification, as it should
  return std::string(len - sig.size(), '\0') + std::string(sig);
}

std::string ecdsa_der(std::string_view r, std::string_view s) {
  EcdsaSig sig(ECDSA_SIG_new());
  Bn br = bignum(r), bs = bignum(s);
  if (!sig || ECDSA_SIG_set0(sig.get(), br.get(), bs.get()) != 1) throw Malformed("out of memory");
  br.release();
  bs.release();
  const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) throw Malformed("invalid ECDSA signature");
  std::string out(static_cast<std::size_t>(len), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  i2d_ECDSA_SIG(sig.get(), &p);
  return out;
}

constexpr std::string_view kB64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ws(s.back())) s.remove_suffix(1);
  return s;
}

std::uint32_t crc24(std::string_view data) {
  std::uint32_t crc = 0xB704CEu;
  for (const char ch : data) {
    crc ^= static_cast<std::uint32_t>(static_cast<unsigned char>(ch)) << 16;
    for (int i = 0; i < 8; ++i) {
      crc <<= 1;
      if (crc & 0x1000000u) crc ^= 0x1864CFBu;
    }
  }
  return crc & 0xFFFFFFu;
}

}  // namespace

// ---- Reader ----

std::uint8_t Reader::u8(std::string_view what) {
  return static_cast<std::uint8_t>(bytes(1, what)[0]);
}

std::uint16_t Reader::u16(std::string_view what) {
  const std::string_view b = bytes(2, what);
  return static_cast<std::uint16_t>((static_cast<unsigned char>(b[0]) << 8) |
                                    static_cast<unsigned char>(b[1]));
}

std::uint32_t Reader::u32(std::string_view what) {
  const std::string_view b = bytes(4, what);
  std::uint32_t v = 0;
  for (const char c : b) v = (v << 8) | static_cast<unsigned char>(c);
  return v;
}

std::string_view Reader::bytes(std::size_t n, std::string_view what) {
  if (n > remaining()) {
    throw Malformed(fmt::format("truncated {} ({} bytes needed, {} left)", what, n, remaining()));
  }
  const std::string_view out = b_.substr(pos_, n);
  pos_ += n;
  return out;
}

std::string_view Reader::rest() {
  const std::string_view out = b_.substr(pos_);
  pos_ = b_.size();
  return out;
}

std::string_view Reader::ssh_string(std::string_view what) {
  const std::uint32_t len = u32(what);
  return bytes(len, what);
}

std::string_view Reader::ssh_mpint(std::string_view what) {
  std::string_view v = ssh_string(what);
  if (!v.empty() && (static_cast<unsigned char>(v[0]) & 0x80)) {
    throw Malformed(fmt::format("negative {}", what));
  }
  while (!v.empty() && v[0] == '\0') v.remove_prefix(1);
  return v;
}

std::string_view Reader::pgp_mpi(std::string_view what) {
  const std::uint16_t bits = u16(what);
  std::string_view v = bytes((static_cast<std::size_t>(bits) + 7) / 8, what);
  while (!v.empty() && v[0] == '\0') v.remove_prefix(1);
  return v;
}

// ---- encodings ----

std::string base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t pad = 0, symbols = 0;
  for (const char c : text) {
    if (is_ws(c)) continue;
    if (c == '=') {
      ++pad;
      ++symbols;
      continue;
    }
    const std::size_t v = kB64.find(c);
    if (v == std::string_view::npos) throw Malformed("invalid base64 character");
    if (pad) throw Malformed("base64 data after padding");
    ++symbols;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (pad > 2 || (pad && symbols % 4 != 0) || symbols % 4 == 1) throw Malformed("bad base64 length");
  return out;
}

std::string base64_encode(std::string_view bytes, bool pad) {
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                            (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                            static_cast<unsigned char>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kB64[(v >> s) & 63]);
  }
  const std::size_t left = bytes.size() - i;
  if (left) {
    std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (left == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(kB64[(v >> 18) & 63]);
    out.push_back(kB64[(v >> 12) & 63]);
    if (left == 2) out.push_back(kB64[(v >> 6) & 63]);
    if (pad) out.append(left == 1 ? "==" : "=");
  }
  return out;
}

std::string hex_upper(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    out.push_back(kHex[static_cast<unsigned char>(c) >> 4]);
    out.push_back(kHex[static_cast<unsigned char>(c) & 15]);
  }
  return out;
}

std::string strip_leading_zeros(std::string_view b) {
  while (!b.empty() && b[0] == '\0') b.remove_prefix(1);
  return std::string(b);
}

std::string dearmor(std::string_view text, std::string_view label, bool pgp) {
  const std::string begin = fmt::format("-----BEGIN {}-----", label);
  const std::string end = fmt::format("-----END {}-----", label);
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    pos = eol + 1;
  }
  std::size_t i = 0;
  while (i < lines.size() && lines[i].empty()) ++i;
  if (i == lines.size() || lines[i] != begin) throw Malformed(fmt::format("no '{}' line", begin));
  ++i;
  if (pgp) {
    // Armor headers ("Version: ...", "Comment: ...") end at the first blank line.
    std::size_t j = i;
    while (j < lines.size() && !lines[j].empty() && lines[j].find(": ") != std::string_view::npos) ++j;
    if (j < lines.size() && lines[j].empty()) i = j + 1;
  }
  std::string body;
  std::optional<std::string_view> checksum;
  bool ended = false;
  for (; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (line == end) {
      ended = true;
      ++i;
      break;
    }
    if (checksum) throw Malformed("text between the armor checksum and the END line");
    if (pgp && !line.empty() && line[0] == '=') {
      checksum = line.substr(1);
      continue;
    }
    body.append(line);
  }
  if (!ended) throw Malformed(fmt::format("no '{}' line", end));
  for (; i < lines.size(); ++i) {
    if (!lines[i].empty()) throw Malformed(fmt::format("text after '{}'", end));
  }
  std::string data = base64_decode(body);
  if (checksum) {
    const std::string crc = base64_decode(*checksum);
    if (crc.size() != 3) throw Malformed("bad armor checksum line");
    const std::uint32_t want = (static_cast<unsigned char>(crc[0]) << 16) |
                               (static_cast<unsigned char>(crc[1]) << 8) |
                               static_cast<unsigned char>(crc[2]);
    if (want != crc24(data)) throw Malformed("armor checksum (CRC-24) does not match");
  }
  if (data.empty()) throw Malformed("empty armor");
  return data;
}

// ---- hashing and verification ----

std::string digest(Digest d, const std::vector<std::string_view>& pieces) {
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md_of(d), nullptr) != 1) throw Malformed("digest init");
  for (const std::string_view p : pieces) {
    if (EVP_DigestUpdate(ctx.get(), p.data(), p.size()) != 1) throw Malformed("digest update");
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) throw Malformed("digest final");
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string digest(Digest d, std::string_view data) {
  return digest(d, std::vector<std::string_view>{data});
}

std::size_t PublicKey::rsa_bits() const noexcept {
  const std::string n = strip_leading_zeros(a);
  if (n.empty()) return 0;
  std::size_t bits = n.size() * 8;
  for (unsigned char top = static_cast<unsigned char>(n[0]); !(top & 0x80); top <<= 1) --bits;
  return bits;
}

void check_public_key(const PublicKey& key) {
  if (key.alg == PublicKey::Alg::Rsa) {
    const std::size_t bits = key.rsa_bits();
    if (bits < 1024 || bits > 16384) {
      throw Malformed(fmt::format("RSA modulus of {} bits (1024 to 16384 supported)", bits));
    }
    const std::string e = strip_leading_zeros(key.b);
    if (e.empty() || e.size() > 8 || !(static_cast<unsigned char>(e.back()) & 1)) {
      throw Malformed("invalid RSA public exponent");
    }
  }
  (void)make_pkey(key);
}

bool verify_message(const PublicKey& key, Digest d, std::string_view message,
                    std::string_view sig, std::string_view ecdsa_s) {
  const PKey pkey = make_pkey(key);
  std::string sig_bytes;
  const EVP_MD* md = md_of(d);
  switch (key.alg) {
    case PublicKey::Alg::Ed25519:
      if (sig.size() != 64) return false;
      sig_bytes = std::string(sig);
      md = nullptr;  // Ed25519 hashes internally
      break;
    case PublicKey::Alg::Rsa:
      sig_bytes = rsa_padded(key, sig);
      break;
    default:
      sig_bytes = ecdsa_der(sig, ecdsa_s);
      break;
  }
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, pkey.get()) != 1) {
    throw Malformed("cannot set up verification");
  }
  return EVP_DigestVerify(ctx.get(), u8p(sig_bytes), sig_bytes.size(), u8p(message),
                          message.size()) == 1;
}

bool verify_rsa_digest(const PublicKey& key, Digest d, std::string_view digest_bytes,
                       std::string_view sig) {
  if (key.alg != PublicKey::Alg::Rsa) return false;
  const PKey pkey = make_pkey(key);
  const std::string sig_bytes = rsa_padded(key, sig);
  PKeyCtx ctx(EVP_PKEY_CTX_new(pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_CTX_set_signature_md(ctx.get(), md_of(d)) != 1) {
    throw Malformed("cannot set up RSA verification");
  }
  return EVP_PKEY_verify(ctx.get(), u8p(sig_bytes), sig_bytes.size(), u8p(digest_bytes),
                         digest_bytes.size()) == 1;
}

}  // namespace signing_detail

using namespace signing_detail;

std::string_view to_string(SignatureStatus s) noexcept {
  switch (s) {
    case SignatureStatus::Unsigned: return "unsigned";
    case SignatureStatus::Verified: return "verified";
    case SignatureStatus::BadSignature: return "bad-signature";
    case SignatureStatus::UnknownKey: return "unknown-key";
    case SignatureStatus::Unverifiable: return "unverifiable";
  }
  return "unverifiable";
}

namespace {

constexpr std::string_view kOpenPgpPrefix = "openpgp:";

bool is_openpgp_entry(std::string_view key) { return key.starts_with(kOpenPgpPrefix); }

bool is_hex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

std::vector<PgpKey> parse_openpgp_entry(std::string_view key) {
  const std::string_view block = trim(key.substr(kOpenPgpPrefix.size()));
  std::string compact(block);
  std::erase(compact, ' ');
  if (is_hex(compact)) {
    throw Malformed(
        "'openpgp:FINGERPRINT' cannot verify signatures: put the ASCII-armored public key "
        "after 'openpgp:' (the output of gpg --armor --export FINGERPRINT)");
  }
  if (block.starts_with("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
    throw Malformed("this is a PRIVATE key block: put only the public key in the roster");
  }
  if (!block.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
    throw Malformed("'openpgp:' must be followed by '-----BEGIN PGP PUBLIC KEY BLOCK-----'");
  }
  return parse_pgp_public_keys(block);
}

// A signature block git would hand to a verifier, by its first line (git's get_format_by_sig).
enum class Format { Ssh, OpenPgp, OpenPgpMessage, X509, Unknown };

Format format_of(std::string_view sig) {
  const std::string_view s = trim(sig);
  auto starts_line = [&](std::string_view marker) {
    return s.starts_with(marker) && (s.size() == marker.size() || s[marker.size()] == '\n' ||
                                     s[marker.size()] == '\r');
  };
  if (starts_line("-----BEGIN SSH SIGNATURE-----")) return Format::Ssh;
  if (starts_line("-----BEGIN PGP SIGNATURE-----")) return Format::OpenPgp;
  if (starts_line("-----BEGIN PGP MESSAGE-----")) return Format::OpenPgpMessage;
  if (starts_line("-----BEGIN SIGNED MESSAGE-----")) return Format::X509;
  return Format::Unknown;
}

SignatureCheck unverifiable(std::string detail) {
  SignatureCheck c;
  c.status = SignatureStatus::Unverifiable;
  c.detail = std::move(detail);
  return c;
}

}  // namespace

KeyRing::KeyRing() : impl_(std::make_unique<Impl>()) {}
KeyRing::~KeyRing() = default;
KeyRing::KeyRing(KeyRing&&) noexcept = default;
KeyRing& KeyRing::operator=(KeyRing&&) noexcept = default;

KeyRing::KeyRing(const Roster& roster) : KeyRing() {
  for (const Person& p : roster.people()) {
    for (const std::string& text : p.signing_keys) {
      if (validate_signing_key(text)) continue;  // reported by the roster loader
      try {
        if (is_openpgp_entry(text)) {
          for (PgpKey& k : parse_openpgp_entry(text)) impl_->pgp.push_back({p.id, std::move(k)});
        } else {
          impl_->ssh.push_back({p.id, parse_ssh_public_key_line(text)});
        }
      } catch (const Malformed&) {
        // validate_signing_key accepted it, so this cannot happen; skip rather than guess.
      }
    }
  }
}

std::size_t KeyRing::size() const noexcept { return impl_->ssh.size() + impl_->pgp.size(); }

SignatureCheck KeyRing::verify(std::string_view signed_payload, std::string_view gpgsig) const {
  if (gpgsig.empty()) {
    SignatureCheck c;
    c.detail = "commit is not signed";
    return c;
  }
  if (gpgsig.size() > kMaxSignatureBytes) {
    return unverifiable(fmt::format("signature block of {} bytes exceeds the {} byte limit",
                                    gpgsig.size(), kMaxSignatureBytes));
  }
  const Format f = format_of(gpgsig);
  const std::string_view kind = f == Format::Ssh ? "SSH" : "OpenPGP";
  try {
    switch (f) {
      case Format::Ssh: return verify_ssh(impl_->ssh, signed_payload, gpgsig);
      case Format::OpenPgp: return verify_openpgp(impl_->pgp, signed_payload, gpgsig);
      case Format::OpenPgpMessage:
        return unverifiable("OpenPGP message (inline-signed data) instead of a detached signature");
      case Format::X509: return unverifiable("X.509 (gpgsm) signatures are not supported");
      case Format::Unknown: break;
    }
    return unverifiable("unrecognized signature format");
  } catch (const Unsupported& e) {
    return unverifiable(fmt::format("unsupported {} signature: {}", kind, e.what()));
  } catch (const Malformed& e) {
    return unverifiable(fmt::format("malformed {} signature: {}", kind, e.what()));
  } catch (const std::exception& e) {
    return unverifiable(fmt::format("{} signature could not be checked: {}", kind, e.what()));
  }
}

std::optional<std::string> validate_signing_key(std::string_view key) {
  if (key.size() > kMaxRosterKeyBytes) {
    return fmt::format("signing key of {} bytes exceeds the {} byte limit", key.size(),
                       kMaxRosterKeyBytes);
  }
  try {
    if (is_openpgp_entry(key)) {
      if (parse_openpgp_entry(key).empty()) {
        return std::string("OpenPGP key block holds no key that can verify signatures "
                           "(supported: v4 RSA keys of 2048 bits or more, v4 Ed25519 keys)");
      }
      return std::nullopt;
    }
    const SshKey k = parse_ssh_public_key_line(key);
    if (k.key.alg == PublicKey::Alg::Rsa && k.key.rsa_bits() < kMinRsaBits) {
      return fmt::format("ssh-rsa key of {} bits is too weak (at least {})", k.key.rsa_bits(),
                         kMinRsaBits);
    }
    return std::nullopt;
  } catch (const Malformed& e) {
    return std::string(e.what());
  } catch (const std::exception& e) {
    return fmt::format("signing key cannot be read: {}", e.what());
  }
}

std::vector<std::string> signing_key_fingerprints(std::string_view key) {
  std::vector<std::string> out;
  if (validate_signing_key(key)) return out;
  try {
    if (is_openpgp_entry(key)) {
      for (const PgpKey& k : parse_openpgp_entry(key)) out.push_back(hex_upper(k.fingerprint));
    } else {
      out.push_back(parse_ssh_public_key_line(key).fingerprint);
    }
  } catch (const std::exception&) {
    out.clear();
  }
  return out;
}

}  // namespace provscan::scan
