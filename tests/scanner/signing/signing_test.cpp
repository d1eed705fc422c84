#include "scanner/signing.h"

#include <doctest/doctest.h>
#include <git2.h>
#include <openssl/evp.h>  // rsa-sha2-256 signatures, which ssh-keygen never makes
#include <openssl/pem.h>
#include <sys/stat.h>  // mkdir

#include <cstdio>  // fopen for the PEM key
#include <sstream>
#include <string>
#include <vector>

#include "git/repository.h"
#include "scanner/signing_internal.h"
#include "tests/scanner/signing/signing_tools.h"
#include "tests/support/fixture_repo.h"
#include "tests/support/run_cli.h"

using namespace provscan;
using namespace provscan::scan;
using provscan::test::read_file;
using provscan::test::run_tool;
using provscan::test::TempDir;
using provscan::test::write_file;

namespace {

// ---- keys, made once per test run by the real tools ----

struct SshKeyFiles {
  std::string priv;
  std::string pub;          // the .pub line, as a roster lists it
  std::string fingerprint;  // as `ssh-keygen -l` prints it
};

struct PgpKeyFiles {
  std::string primary;  // 40 hex
  std::string subkey;   // 40 hex of the first subkey, if any
  std::string armored;  // gpg --armor --export
  std::string roster() const { return "openpgp:" + armored; }
};

class Keys {
 public:
  Keys() : log_(dir_.path() + "/tools.log"), gnupg_(dir_.path() + "/gnupg") {
    ::mkdir(gnupg_.c_str(), 0700);
    ssh_alice = ssh_key("alice", {"-t", "ed25519"});
    ssh_bob = ssh_key("bob", {"-t", "ed25519"});
    ssh_carol_rsa = ssh_key("carol", {"-t", "rsa", "-b", "3072"});
    ssh_dave_ecdsa = ssh_key("dave", {"-t", "ecdsa", "-b", "256"});
    ssh_stranger = ssh_key("stranger", {"-t", "ed25519"});
    ssh_weak_rsa = ssh_key("weak", {"-t", "rsa", "-b", "1024"});

    pgp_alice = pgp_key("Alice PGP <alice-pgp@example.com>", "ed25519", "sign");
    pgp_carol = pgp_key("Carol PGP <carol-pgp@example.com>", "rsa3072", "sign");
    pgp_stranger = pgp_key("Stranger <stranger-pgp@example.com>", "ed25519", "sign");
    // Certification-only primaries: gpg must sign with the signing subkey.
    pgp_erin = pgp_key("Erin Sub <erin@example.com>", "ed25519", "cert", true);
    pgp_mallory = pgp_key("Mallory <mallory@example.com>", "ed25519", "cert", true);
  }
  ~Keys() { run_tool({"gpgconf", "--homedir", gnupg_, "--kill", "all"}, "", log_); }

  bool ok() const { return ok_; }
  std::string log() const { return read_file(log_); }
  const std::string& dir() const { return dir_.path(); }

  std::string ssh_sign(const SshKeyFiles& k, const std::string& payload,
                       const std::string& ns = "git",
                       const std::vector<std::string>& options = {}) const {
    const std::string file = dir_.path() + "/payload-" + std::to_string(++counter_);
    write_file(file, payload);
    std::vector<std::string> argv = {"ssh-keygen", "-Y", "sign", "-n", ns, "-f", k.priv};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back(file);
    REQUIRE_MESSAGE(run_tool(argv, "", log_) == 0, log());
    return read_file(file + ".sig");
  }

  std::string pgp_sign(const std::string& who, const std::string& payload,
                       const std::vector<std::string>& options = {}) const {
    const std::string file = dir_.path() + "/payload-" + std::to_string(++counter_);
    write_file(file, payload);
    std::vector<std::string> argv = gpg({"--armor", "--detach-sign", "-u", who, "-o", file + ".asc"});
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back(file);
    REQUIRE_MESSAGE(run_tool(argv, "", log_) == 0, log());
    return read_file(file + ".asc");
  }

  SshKeyFiles ssh_alice, ssh_bob, ssh_carol_rsa, ssh_dave_ecdsa, ssh_stranger, ssh_weak_rsa;
  PgpKeyFiles pgp_alice, pgp_carol, pgp_stranger, pgp_erin, pgp_mallory;

 private:
  std::vector<std::string> gpg(std::vector<std::string> args) const {
    std::vector<std::string> argv = {"gpg",      "--homedir",        gnupg_,       "--batch",
                                     "--no-tty", "--pinentry-mode", "loopback",   "--passphrase",
                                     ""};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  SshKeyFiles ssh_key(const std::string& name, std::vector<std::string> type) {
    SshKeyFiles k;
    k.priv = dir_.path() + "/" + name;
    std::vector<std::string> argv = {"ssh-keygen", "-q", "-N", "", "-C", name + "@example.com",
                                     "-f", k.priv};
    argv.insert(argv.begin() + 1, type.begin(), type.end());
    if (run_tool(argv, "", log_) != 0) ok_ = false;
    k.pub = read_file(k.priv + ".pub");
    while (!k.pub.empty() && k.pub.back() == '\n') k.pub.pop_back();
    const std::string out = dir_.path() + "/fpr.txt";
    if (run_tool({"ssh-keygen", "-l", "-E", "sha256", "-f", k.priv + ".pub"}, out, log_) != 0) ok_ = false;
    std::istringstream words(read_file(out));
    std::string bits;
    words >> bits >> k.fingerprint;
    return k;
  }

  PgpKeyFiles pgp_key(const std::string& uid, const std::string& algo, const std::string& usage,
                      bool signing_subkey = false) {
    PgpKeyFiles k;
    if (run_tool(gpg({"--quick-gen-key", uid, algo, usage, "never"}), "", log_) != 0) ok_ = false;
    const std::string email = uid.substr(uid.find('<') + 1, uid.find('>') - uid.find('<') - 1);
    std::vector<std::string> fprs = fingerprints(email);
    if (fprs.empty()) {
      ok_ = false;
      return k;
    }
    k.primary = fprs[0];
    if (signing_subkey) {
      if (run_tool(gpg({"--quick-add-key", k.primary, "ed25519", "sign", "never"}), "", log_) != 0) {
        ok_ = false;
      }
      fprs = fingerprints(email);
      if (fprs.size() > 1) k.subkey = fprs[1];
    }
    const std::string out = dir_.path() + "/export.asc";
    if (run_tool(gpg({"--armor", "--export", k.primary}), out, log_) != 0) ok_ = false;
    k.armored = read_file(out);
    return k;
  }

  std::vector<std::string> fingerprints(const std::string& email) {
    const std::string out = dir_.path() + "/colons.txt";
    run_tool(gpg({"--with-colons", "--list-keys", email}), out, log_);
    std::vector<std::string> fprs;
    std::istringstream lines(read_file(out));
    for (std::string line; std::getline(lines, line);) {
      if (!line.starts_with("fpr:")) continue;
      std::istringstream fields(line);  // fpr:::::::::FINGERPRINT:  (field 10)
      std::string field;
      for (int i = 0; i < 10; ++i) std::getline(fields, field, ':');
      fprs.push_back(field);
    }
    return fprs;
  }

  TempDir dir_;
  std::string log_;
  std::string gnupg_;
  bool ok_ = true;
  mutable int counter_ = 0;
};

// nullptr when the tools are missing (a MESSAGE says so); the keys are made on first use.
const Keys* keys() {
  static const bool available = provscan::test::signing_tools_available();
  if (!available) return nullptr;
  static const Keys k;
  REQUIRE_MESSAGE(k.ok(), "key generation failed:\n" << k.log());
  return &k;
}

Person person(const std::string& id, std::vector<std::string> signing_keys) {
  Person p;
  p.id = id;
  p.name = id;
  p.signing_keys = std::move(signing_keys);
  return p;
}

Roster roster_of(std::vector<Person> people) { return Roster(std::move(people)); }

const std::string kPayload =
    "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
    "author Alice Example <alice@example.com> 1704067200 +0000\n"
    "committer Alice Example <alice@example.com> 1704067200 +0000\n"
    "\n"
    "add the thing\n";

// The gpgsig value as git::Commit holds it: no final newline.
std::string as_header(std::string sig) {
  while (!sig.empty() && sig.back() == '\n') sig.pop_back();
  return sig;
}

std::string armor(const std::string& label, const std::string& bytes) {
  const std::string b64 = signing_detail::base64_encode(bytes, true);
  std::string out = "-----BEGIN " + label + "-----\n";
  if (label.starts_with("PGP")) out += "\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END " + label + "-----";
}

// Splits an OpenPGP packet stream (test-only; the inputs are gpg's own output).
std::vector<std::pair<int, std::string>> split_packets(const std::string& data) {
  std::vector<std::pair<int, std::string>> out;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const auto h = static_cast<unsigned char>(data[pos]);
    std::size_t start = pos + 1, len = 0;
    int tag = 0;
    auto byte = [&](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(data[i])); };
    if (h & 0x40) {
      tag = h & 0x3F;
      if (byte(start) < 192) {
        len = byte(start);
        start += 1;
      } else if (byte(start) < 224) {
        len = ((byte(start) - 192) << 8) + byte(start + 1) + 192;
        start += 2;
      } else {
        len = (byte(start + 1) << 24) | (byte(start + 2) << 16) | (byte(start + 3) << 8) | byte(start + 4);
        start += 5;
      }
    } else {
      tag = (h >> 2) & 15;
      const int n = 1 << (h & 3);
      for (int i = 0; i < n; ++i) len = (len << 8) | byte(start + i);
      start += n;
    }
    out.emplace_back(tag, data.substr(pos, start + len - pos));
    pos = start + len;
  }
  return out;
}

#define NEED_KEYS()            \
  const Keys* kp = keys();     \
  if (!kp) return;             \
  const Keys& k = *kp

}  // namespace

TEST_CASE("signing: statuses have stable names") {
  CHECK(to_string(SignatureStatus::Unsigned) == "unsigned");
  CHECK(to_string(SignatureStatus::Verified) == "verified");
  CHECK(to_string(SignatureStatus::BadSignature) == "bad-signature");
  CHECK(to_string(SignatureStatus::UnknownKey) == "unknown-key");
  CHECK(to_string(SignatureStatus::Unverifiable) == "unverifiable");
}

TEST_CASE("signing: an empty signature is Unsigned and unknown formats are Unverifiable") {
  const KeyRing ring(roster_of({}));
  CHECK(ring.verify(kPayload, "").status == SignatureStatus::Unsigned);
  const SignatureCheck x509 =
      ring.verify(kPayload, "-----BEGIN SIGNED MESSAGE-----\nMIIB\n-----END SIGNED MESSAGE-----");
  CHECK(x509.status == SignatureStatus::Unverifiable);
  CHECK(x509.detail == "X.509 (gpgsm) signatures are not supported");
  CHECK(ring.verify(kPayload, "hello").detail == "unrecognized signature format");
  const SignatureCheck big =
      ring.verify(kPayload, "-----BEGIN SSH SIGNATURE-----\n" + std::string(70000, 'A'));
  CHECK(big.status == SignatureStatus::Unverifiable);
  CHECK(big.detail == "signature block of 70030 bytes exceeds the 65536 byte limit");
}

TEST_CASE("signing: SSH ed25519/rsa/ecdsa signatures verify and name their person") {
  NEED_KEYS();
  const KeyRing ring(roster_of({person("p-alice", {k.ssh_alice.pub}),
                                person("p-carol", {k.ssh_carol_rsa.pub}),
                                person("p-dave", {k.ssh_dave_ecdsa.pub})}));
  CHECK(ring.size() == 3);

  const SignatureCheck ed = ring.verify(kPayload, as_header(k.ssh_sign(k.ssh_alice, kPayload)));
  CHECK(ed.status == SignatureStatus::Verified);
  CHECK(ed.person == "p-alice");
  CHECK(ed.key == k.ssh_alice.fingerprint);
  CHECK(ed.key.starts_with("SHA256:"));
  CHECK(ed.detail == "good ssh-ed25519 signature by p-alice (" + k.ssh_alice.fingerprint + ")");

  const SignatureCheck rsa = ring.verify(kPayload, k.ssh_sign(k.ssh_carol_rsa, kPayload));
  CHECK(rsa.status == SignatureStatus::Verified);
  CHECK(rsa.person == "p-carol");
  CHECK(rsa.key == k.ssh_carol_rsa.fingerprint);
  CHECK(rsa.detail == "good rsa-sha2-512 signature by p-carol (" + k.ssh_carol_rsa.fingerprint + ")");

  // SSHSIG with the sha256 message hash instead of the default sha512.
  const SignatureCheck rsa256 =
      ring.verify(kPayload, k.ssh_sign(k.ssh_carol_rsa, kPayload, "git", {"-O", "hashalg=sha256"}));
  CHECK(rsa256.status == SignatureStatus::Verified);
  CHECK(rsa256.person == "p-carol");

  const SignatureCheck ec = ring.verify(kPayload, k.ssh_sign(k.ssh_dave_ecdsa, kPayload));
  CHECK(ec.status == SignatureStatus::Verified);
  CHECK(ec.person == "p-dave");
  CHECK(ec.key == k.ssh_dave_ecdsa.fingerprint);
}

namespace {

std::string ssh_str(const std::string& s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  return std::string{static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                     static_cast<char>(n >> 8), static_cast<char>(n)} + s;
}

// An SSHSIG made by hand with the rsa-sha2-256 signature algorithm (ssh-keygen always uses
// rsa-sha2-512): the key is copied and converted to PEM so that OpenSSL can sign with it.
std::string sshsig_rsa_sha256(const Keys& k, const SshKeyFiles& key, const std::string& payload) {
  const std::string pem = k.dir() + "/rsa-pem";
  write_file(pem, read_file(key.priv));
  ::chmod(pem.c_str(), 0600);
  REQUIRE(run_tool({"ssh-keygen", "-p", "-q", "-P", "", "-N", "", "-m", "PEM", "-f", pem}, "",
                   k.dir() + "/tools.log") == 0);
  FILE* f = std::fopen(pem.c_str(), "r");
  REQUIRE(f);
  EVP_PKEY* pkey = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  REQUIRE(pkey);
  const std::string blob = signing_detail::base64_decode(key.pub.substr(8, key.pub.find(' ', 8) - 8));
  const std::string signed_data = "SSHSIG" + ssh_str("git") + ssh_str("") + ssh_str("sha512") +
                                  ssh_str(signing_detail::digest(signing_detail::Digest::Sha512, payload));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t len = 0;
  REQUIRE(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, pkey) == 1);
  REQUIRE(EVP_DigestSign(ctx, nullptr, &len, nullptr, 0) == 1);
  std::string sig(len, '\0');
  REQUIRE(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                         reinterpret_cast<const unsigned char*>(signed_data.data()),
                         signed_data.size()) == 1);
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  const std::string bytes = "SSHSIG" + std::string("\0\0\0\1", 4) + ssh_str(blob) + ssh_str("git") +
                            ssh_str("") + ssh_str("sha512") +
                            ssh_str(ssh_str("rsa-sha2-256") + ssh_str(sig));
  return armor("SSH SIGNATURE", bytes);
}

}  // namespace

TEST_CASE("signing: SSH rsa-sha2-256 verifies and SHA-1 ssh-rsa is refused") {
  NEED_KEYS();
  const KeyRing ring(roster_of({person("p-carol", {k.ssh_carol_rsa.pub})}));
  const std::string sig = sshsig_rsa_sha256(k, k.ssh_carol_rsa, kPayload);
  const SignatureCheck c = ring.verify(kPayload, sig);
  CHECK(c.status == SignatureStatus::Verified);
  CHECK(c.person == "p-carol");
  CHECK(c.detail == "good rsa-sha2-256 signature by p-carol (" + k.ssh_carol_rsa.fingerprint + ")");
  CHECK(ring.verify(kPayload + "x", sig).status == SignatureStatus::BadSignature);

  // The same signature relabelled "ssh-rsa" (SHA-1): refused before any verification.
  std::string bytes = signing_detail::dearmor(sig, "SSH SIGNATURE", false);
  const std::string label = ssh_str("rsa-sha2-256");
  const std::size_t at = bytes.find(label);
  REQUIRE(at != std::string::npos);
  const std::string relabelled = bytes.substr(0, at - 4) +
                                 ssh_str(ssh_str("ssh-rsa") + bytes.substr(at + label.size()));
  const SignatureCheck sha1 = ring.verify(kPayload, armor("SSH SIGNATURE", relabelled));
  CHECK(sha1.status == SignatureStatus::Unverifiable);
  CHECK(sha1.detail == "SSH signature by " + k.ssh_carol_rsa.fingerprint +
                           " (p-carol): SHA-1 'ssh-rsa' signatures are not accepted");
}

TEST_CASE("signing: SSH key not in the roster is UnknownKey with its fingerprint") {
  NEED_KEYS();
  const KeyRing ring(roster_of({person("p-alice", {k.ssh_alice.pub})}));
  const SignatureCheck c = ring.verify(kPayload, k.ssh_sign(k.ssh_stranger, kPayload));
  CHECK(c.status == SignatureStatus::UnknownKey);
  CHECK_FALSE(c.person);
  CHECK(c.key == k.ssh_stranger.fingerprint);
  CHECK(c.detail == "signed with SSH key " + k.ssh_stranger.fingerprint +
                        " (ssh-ed25519), which is not in the roster");
}

TEST_CASE("signing: SSH payload altered after signing is BadSignature") {
  NEED_KEYS();
  const KeyRing ring(roster_of({person("p-alice", {k.ssh_alice.pub}),
                                person("p-carol", {k.ssh_carol_rsa.pub}),
                                person("p-dave", {k.ssh_dave_ecdsa.pub})}));
  std::string altered = kPayload;
  altered.replace(altered.find("add the thing"), 13, "add the THING");
  for (const SshKeyFiles* key : {&k.ssh_alice, &k.ssh_carol_rsa, &k.ssh_dave_ecdsa}) {
    const SignatureCheck c = ring.verify(altered, k.ssh_sign(*key, kPayload));
    CHECK(c.status == SignatureStatus::BadSignature);
    CHECK_FALSE(c.person);
    CHECK(c.key == key->fingerprint);
    CHECK(c.detail.ends_with("does not verify over the commit"));
  }
}

TEST_CASE("signing: an SSH signature made for another namespace is BadSignature") {
  NEED_KEYS();
  const KeyRing ring(roster_of({person("p-alice", {k.ssh_alice.pub})}));
  const SignatureCheck c = ring.verify(kPayload, k.ssh_sign(k.ssh_alice, kPayload, "file"));
  CHECK(c.status == SignatureStatus::BadSignature);
  CHECK(c.detail == "SSH signature by " + k.ssh_alice.fingerprint +
                        " (p-alice) is for namespace 'file', not 'git'");
}

TEST_CASE("signing: two people with different keys: the signer is named and not the other") {
  NEED_KEYS();
  const KeyRing ring(roster_of({person("p-alice", {k.ssh_alice.pub, k.pgp_alice.roster()}),
                                person("p-bob", {k.ssh_bob.pub})}));
  CHECK(ring.verify(kPayload, k.ssh_sign(k.ssh_bob, kPayload)).person == "p-bob");
  CHECK(ring.verify(kPayload, k.ssh_sign(k.ssh_alice, kPayload)).person == "p-alice");
  CHECK(ring.verify(kPayload, k.pgp_sign(k.pgp_alice.primary, kPayload)).person == "p-alice");
}

TEST_CASE("signing: one key listed for two people is ambiguous and never either of them") {
  NEED_KEYS();
  const KeyRing ring(roster_of({person("p-alice", {k.ssh_alice.pub, k.pgp_alice.roster()}),
                                person("p-eve", {k.ssh_alice.pub, k.pgp_alice.roster()})}));
  const SignatureCheck ssh = ring.verify(kPayload, k.ssh_sign(k.ssh_alice, kPayload));
  CHECK(ssh.status == SignatureStatus::Unverifiable);
  CHECK_FALSE(ssh.person);
  CHECK(ssh.detail == "SSH key " + k.ssh_alice.fingerprint +
                          " is listed for more than one person (p-alice, p-eve): ambiguous");
  const SignatureCheck pgp = ring.verify(kPayload, k.pgp_sign(k.pgp_alice.primary, kPayload));
  CHECK(pgp.status == SignatureStatus::Unverifiable);
  CHECK_FALSE(pgp.person);
}

TEST_CASE("signing: OpenPGP ed25519 and rsa signatures verify and name their person") {
  NEED_KEYS();
  const KeyRing ring(roster_of({person("p-alice", {k.pgp_alice.roster()}),
                                person("p-carol", {k.pgp_carol.roster()})}));
  const SignatureCheck ed = ring.verify(kPayload, as_header(k.pgp_sign(k.pgp_alice.primary, kPayload)));
  CHECK(ed.status == SignatureStatus::Verified);
  CHECK(ed.person == "p-alice");
  CHECK(ed.key == k.pgp_alice.primary);
  CHECK(ed.key.size() == 40);
  CHECK(ed.detail.starts_with("good OpenPGP EdDSA SHA-"));

  const SignatureCheck rsa = ring.verify(kPayload, k.pgp_sign(k.pgp_carol.primary, kPayload));
  CHECK(rsa.status == SignatureStatus::Verified);
  CHECK(rsa.person == "p-carol");
  CHECK(rsa.key == k.pgp_carol.primary);

  for (const char* algo : {"SHA256", "SHA512", "SHA384", "SHA224"}) {
    CAPTURE(algo);
    const SignatureCheck c =
        ring.verify(kPayload, k.pgp_sign(k.pgp_carol.primary, kPayload, {"--digest-algo", algo}));
    CHECK(c.status == SignatureStatus::Verified);
  }
  const SignatureCheck sha512 =
      ring.verify(kPayload, k.pgp_sign(k.pgp_carol.primary, kPayload, {"--digest-algo", "SHA512"}));
  CHECK(sha512.detail == "good OpenPGP RSA SHA-512 signature by p-carol (" + k.pgp_carol.primary + ")");
}

TEST_CASE("signing: OpenPGP unknown key / altered payload / SHA-1 / text mode") {
  NEED_KEYS();
  const KeyRing ring(roster_of({person("p-alice", {k.pgp_alice.roster()}),
                                person("p-carol", {k.pgp_carol.roster()})}));
  const SignatureCheck unknown = ring.verify(kPayload, k.pgp_sign(k.pgp_stranger.primary, kPayload));
  CHECK(unknown.status == SignatureStatus::UnknownKey);
  CHECK(unknown.key == k.pgp_stranger.primary);
  CHECK(unknown.detail ==
        "signed with OpenPGP key " + k.pgp_stranger.primary + ", which is not in the roster");

  std::string altered = kPayload;
  altered.back() = '!';
  for (const PgpKeyFiles* key : {&k.pgp_alice, &k.pgp_carol}) {
    const SignatureCheck bad = ring.verify(altered, k.pgp_sign(key->primary, kPayload));
    CHECK(bad.status == SignatureStatus::BadSignature);
    CHECK_FALSE(bad.person);
    CHECK(bad.key == key->primary);
  }

  const SignatureCheck sha1 =
      ring.verify(kPayload, k.pgp_sign(k.pgp_carol.primary, kPayload, {"--digest-algo", "SHA1"}));
  CHECK(sha1.status == SignatureStatus::Unverifiable);
  CHECK(sha1.detail == "OpenPGP signature by " + k.pgp_carol.primary +
                           " (p-carol) uses hash SHA-1 (accepted: SHA-224, SHA-256, SHA-384, SHA-512)");

  const SignatureCheck text =
      ring.verify(kPayload, k.pgp_sign(k.pgp_alice.primary, kPayload, {"--textmode"}));
  CHECK(text.status == SignatureStatus::Unverifiable);
  CHECK(text.detail == "unsupported OpenPGP signature: signature type 0x01 (only 0x00, binary document)");
}

TEST_CASE("signing: an OpenPGP signing subkey verifies as the primary key's person") {
  NEED_KEYS();
  REQUIRE(k.pgp_erin.subkey.size() == 40);
  const KeyRing ring(roster_of({person("p-erin", {k.pgp_erin.roster()})}));
  CHECK(ring.size() == 2);  // primary (certification-only, still a v4 EdDSA key) and subkey
  const SignatureCheck c = ring.verify(kPayload, k.pgp_sign(k.pgp_erin.primary, kPayload));
  CHECK(c.status == SignatureStatus::Verified);
  CHECK(c.person == "p-erin");
  CHECK(c.key == k.pgp_erin.subkey);
  CHECK(c.detail.ends_with(", subkey of " + k.pgp_erin.primary));
  const std::vector<std::string> fprs = signing_key_fingerprints(k.pgp_erin.roster());
  CHECK(fprs == std::vector<std::string>{k.pgp_erin.primary, k.pgp_erin.subkey});
}

TEST_CASE("signing: a subkey grafted onto someone's key block (keyserver poisoning) binds nothing") {
  NEED_KEYS();
  // Alice's public key followed by Mallory's signing subkey and Mallory's binding signature:
  // the binding is by Mallory's primary, so it does not verify under Alice's.
  const auto alice = split_packets(signing_detail::dearmor(k.pgp_alice.armored, "PGP PUBLIC KEY BLOCK", true));
  const auto mallory = split_packets(signing_detail::dearmor(k.pgp_mallory.armored, "PGP PUBLIC KEY BLOCK", true));
  std::string grafted;
  for (const auto& [tag, bytes] : alice) grafted += bytes;
  bool in_subkey = false;
  for (const auto& [tag, bytes] : mallory) {
    if (tag == 14) in_subkey = true;
    if (in_subkey) grafted += bytes;
  }
  REQUIRE(in_subkey);
  const std::string poisoned = "openpgp:" + armor("PGP PUBLIC KEY BLOCK", grafted);
  CHECK_FALSE(validate_signing_key(poisoned));  // Alice's primary key is still fine
  CHECK(signing_key_fingerprints(poisoned) == std::vector<std::string>{k.pgp_alice.primary});

  const KeyRing ring(roster_of({person("p-alice", {poisoned})}));
  CHECK(ring.size() == 1);
  const SignatureCheck c = ring.verify(kPayload, k.pgp_sign(k.pgp_mallory.primary, kPayload));
  CHECK(c.status == SignatureStatus::UnknownKey);
  CHECK(c.key == k.pgp_mallory.subkey);
  CHECK_FALSE(c.person);
}

TEST_CASE("signing: truncated/garbage/bit-flipped signatures never crash or verify wrongly") {
  NEED_KEYS();
  const KeyRing ring(roster_of({person("p-alice", {k.ssh_alice.pub, k.pgp_alice.roster()}),
                                person("p-carol", {k.ssh_carol_rsa.pub, k.pgp_carol.roster()})}));
  const std::string ssh = k.ssh_sign(k.ssh_alice, kPayload);
  const std::string pgp = k.pgp_sign(k.pgp_carol.primary, kPayload);

  SUBCASE("truncated armor text") {
    for (const std::string* sig : {&ssh, &pgp}) {
      for (std::size_t n = 1; n < sig->size(); n += 7) {
        SignatureCheck c;
        CHECK_NOTHROW(c = ring.verify(kPayload, sig->substr(0, n)));
        CHECK(c.status == SignatureStatus::Unverifiable);
      }
    }
  }
  SUBCASE("garbage inside the armor") {
    const SignatureCheck a = ring.verify(
        kPayload, "-----BEGIN SSH SIGNATURE-----\nnot*base64\n-----END SSH SIGNATURE-----");
    CHECK(a.status == SignatureStatus::Unverifiable);
    CHECK(a.detail == "malformed SSH signature: invalid base64 character");
    const SignatureCheck b = ring.verify(
        kPayload, "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAf////8=\n-----END SSH SIGNATURE-----");
    CHECK(b.status == SignatureStatus::Unverifiable);
    CHECK(b.detail == "malformed SSH signature: truncated public key (4294967295 bytes needed, 0 left)");
    const SignatureCheck c = ring.verify(
        kPayload, "-----BEGIN PGP SIGNATURE-----\n\niQ==\n=AAAA\n-----END PGP SIGNATURE-----");
    CHECK(c.status == SignatureStatus::Unverifiable);
    CHECK(c.detail == "malformed OpenPGP signature: armor checksum (CRC-24) does not match");
    const SignatureCheck d = ring.verify(kPayload, ssh + "trailing text\n");
    CHECK(d.detail == "malformed SSH signature: text after '-----END SSH SIGNATURE-----'");
  }
  SUBCASE("every prefix of the decoded SSH and OpenPGP bytes") {
    for (const auto& [label, sig] : {std::pair<std::string, std::string>{"SSH SIGNATURE", ssh},
                                     std::pair<std::string, std::string>{"PGP SIGNATURE", pgp}}) {
      const std::string bytes = signing_detail::dearmor(sig, label, label.starts_with("PGP"));
      for (std::size_t n = 0; n < bytes.size(); ++n) {
        SignatureCheck c;
        CHECK_NOTHROW(c = ring.verify(kPayload, armor(label, bytes.substr(0, n))));
        CHECK(c.status != SignatureStatus::Verified);
      }
    }
  }
  SUBCASE("every single-byte change of the decoded bytes") {
    const std::string ssh_bytes = signing_detail::dearmor(ssh, "SSH SIGNATURE", false);
    for (std::size_t i = 0; i < ssh_bytes.size(); ++i) {
      for (const unsigned char x : {0x01, 0x80, 0xFF}) {
        std::string b = ssh_bytes;
        b[i] = static_cast<char>(b[i] ^ x);
        SignatureCheck c;
        CHECK_NOTHROW(c = ring.verify(kPayload, armor("SSH SIGNATURE", b)));
        CHECK(c.status != SignatureStatus::Verified);  // every SSHSIG byte is signed or matched
      }
    }
    const std::string pgp_bytes = signing_detail::dearmor(pgp, "PGP SIGNATURE", true);
    for (std::size_t i = 0; i < pgp_bytes.size(); ++i) {
      for (const unsigned char x : {0x01, 0x80, 0xFF}) {
        std::string b = pgp_bytes;
        b[i] = static_cast<char>(b[i] ^ x);
        SignatureCheck c;
        CHECK_NOTHROW(c = ring.verify(kPayload, armor("PGP SIGNATURE", b)));
        // Unhashed subpackets (gpg puts the issuer key id there) are not signed: a change there
        // may still verify, but only ever as the real signer.
        if (c.status == SignatureStatus::Verified) CHECK(c.person == "p-carol");
      }
    }
  }
}

TEST_CASE("signing: damaged roster key blocks are rejected or reduced and never crash") {
  NEED_KEYS();
  for (const PgpKeyFiles* key : {&k.pgp_erin, &k.pgp_carol}) {
    const std::string bytes = signing_detail::dearmor(key->armored, "PGP PUBLIC KEY BLOCK", true);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      std::string b = bytes;
      b[i] = static_cast<char>(b[i] ^ 0x41);
      const std::string entry = "openpgp:" + armor("PGP PUBLIC KEY BLOCK", b);
      std::vector<std::string> fprs;
      CHECK_NOTHROW(validate_signing_key(entry));
      CHECK_NOTHROW(fprs = signing_key_fingerprints(entry));
      CHECK(fprs.size() <= 2);
    }
  }
}

TEST_CASE("signing: roster keys are validated with clear messages") {
  NEED_KEYS();
  CHECK_FALSE(validate_signing_key(k.ssh_alice.pub));
  CHECK_FALSE(validate_signing_key(k.ssh_carol_rsa.pub));
  CHECK_FALSE(validate_signing_key(k.ssh_dave_ecdsa.pub));
  CHECK_FALSE(validate_signing_key(k.pgp_alice.roster()));
  CHECK_FALSE(validate_signing_key(k.pgp_carol.roster()));
  CHECK_FALSE(validate_signing_key("openpgp:\n" + k.pgp_alice.armored));
  CHECK(signing_key_fingerprints(k.ssh_alice.pub) == std::vector<std::string>{k.ssh_alice.fingerprint});
  CHECK(signing_key_fingerprints(k.pgp_carol.roster()) == std::vector<std::string>{k.pgp_carol.primary});
  CHECK(signing_key_fingerprints("nonsense").empty());

  CHECK(validate_signing_key(k.ssh_weak_rsa.pub) == "ssh-rsa key of 1024 bits is too weak (at least 2048)");
  CHECK(validate_signing_key("openpgp:" + k.pgp_alice.primary) ==
        "'openpgp:FINGERPRINT' cannot verify signatures: put the ASCII-armored public key after "
        "'openpgp:' (the output of gpg --armor --export FINGERPRINT)");
  CHECK(validate_signing_key("alice@example.com") ==
        "signing key must be an SSH public key ('ssh-ed25519 AAAA...', 'ssh-rsa AAAA...', "
        "'ecdsa-sha2-nistp256 AAAA...') or 'openpgp:' followed by an ASCII-armored public key "
        "block");
  CHECK(validate_signing_key("ssh-dss AAAAB3NzaC1kc3M=") ==
        "unsupported SSH key type 'ssh-dss' (supported: ssh-ed25519, ssh-rsa, "
        "ecdsa-sha2-nistp256/384/521)");
  const std::string ed_blob = k.ssh_alice.pub.substr(k.ssh_alice.pub.find(' ') + 1);
  CHECK(validate_signing_key("ssh-rsa " + ed_blob) ==
        "key text says 'ssh-rsa' but the key inside is 'ssh-ed25519'");
  CHECK(validate_signing_key("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==") ==
        "ssh-ed25519 key: truncated Ed25519 key (32 bytes needed, 0 left)");
  CHECK(validate_signing_key("openpgp:-----BEGIN PGP PRIVATE KEY BLOCK-----\n") ==
        "this is a PRIVATE key block: put only the public key in the roster");
  CHECK(validate_signing_key("openpgp:-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n") ==
        "no '-----END PGP PUBLIC KEY BLOCK-----' line");

  // A key the ring cannot use is left out of it rather than guessed at.
  const KeyRing ring(roster_of({person("p-x", {"openpgp:" + k.pgp_alice.primary, "junk",
                                               k.ssh_weak_rsa.pub})}));
  CHECK(ring.size() == 0);
}

namespace {

std::string raw_commit(const std::string& repo_path, const std::string& id) {
  git_libgit2_init();
  git_repository* repo = nullptr;
  git_odb* odb = nullptr;
  git_odb_object* obj = nullptr;
  git_oid oid;
  std::string out;
  if (git_repository_open(&repo, repo_path.c_str()) == 0 && git_repository_odb(&odb, repo) == 0 &&
      git_oid_fromstr(&oid, id.c_str()) == 0 && git_odb_read(&obj, odb, &oid) == 0) {
    out.assign(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj));
  }
  git_odb_object_free(obj);
  git_odb_free(odb);
  git_repository_free(repo);
  git_libgit2_shutdown();
  return out;
}

}  // namespace

TEST_CASE("signing: end to end: a signed commit read back through git/ verifies") {
  NEED_KEYS();
  provscan::test::FixtureRepo repo;
  repo.commit("base", {{"a.txt", "one\n"}});
  const std::string parent = repo.head();
  provscan::test::Author who;
  who.time = provscan::test::FixtureRepo::kBaseTime + 30 * provscan::test::FixtureRepo::kDay;
  const provscan::test::Files files = {{"a.txt", "two\n"}};

  // The exact bytes git signs: the same commit made unsigned (same tree, parent, people, time
  // and message), read raw.
  const std::string unsigned_id = repo.commit("change a\n", files, who);
  const std::string payload = raw_commit(repo.path(), unsigned_id);
  REQUIRE(payload.starts_with("tree "));
  repo.set_head_commit(parent);

  const KeyRing ring(roster_of({person("p-alice", {k.ssh_alice.pub, k.pgp_alice.roster()}),
                                person("p-bob", {k.ssh_bob.pub})}));
  const git::Repository r = git::Repository::open(repo.path());

  SUBCASE("SSH") {
    const std::string id = repo.commit_signed("change a\n", files,
                                              as_header(k.ssh_sign(k.ssh_alice, payload)), "gpgsig", who);
    const git::Commit c = r.read_commit(id);
    CHECK(c.signed_payload == payload);
    const SignatureCheck check = ring.verify(c.signed_payload, c.gpgsig);
    CHECK(check.status == SignatureStatus::Verified);
    CHECK(check.person == "p-alice");
  }
  SUBCASE("OpenPGP") {
    const std::string id = repo.commit_signed(
        "change a\n", files, as_header(k.pgp_sign(k.pgp_alice.primary, payload)), "gpgsig", who);
    const git::Commit c = r.read_commit(id);
    CHECK(c.signed_payload == payload);
    const SignatureCheck check = ring.verify(c.signed_payload, c.gpgsig);
    CHECK(check.status == SignatureStatus::Verified);
    CHECK(check.person == "p-alice");
  }
  SUBCASE("a signature moved onto another commit does not verify") {
    const std::string id = repo.commit_signed("change a, but not what was signed\n", files,
                                              as_header(k.ssh_sign(k.ssh_bob, payload)), "gpgsig", who);
    const git::Commit c = r.read_commit(id);
    const SignatureCheck check = ring.verify(c.signed_payload, c.gpgsig);
    CHECK(check.status == SignatureStatus::BadSignature);
    CHECK_FALSE(check.person);
  }
}
