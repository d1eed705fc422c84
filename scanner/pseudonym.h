#pragma once
// --pseudonymize KEYFILE: every person's name and e-mail in every output is replaced with a
// keyed, stable pseudonym (HMAC-SHA-256 under the key), so reports can leave the audit team
// without naming anyone while the same key still links the same person across runs and
// reports. Roster ids (p-0001) and roster attributes stay: they are the organization's own
// pseudonymous keys and the point of the audit.
#include <map>
#include <string>
#include <string_view>

#include "scanner/result.h"
#include "scanner/roster.h"

namespace provscan::scan {

// Reads the key: the file's bytes, surrounding white space trimmed; at least 16 bytes. Throws
// InputError when unreadable or too short (a short key makes pseudonyms guessable).
std::string load_pseudonym_key(const std::string& file);

class Pseudonymizer {
 public:
  explicit Pseudonymizer(std::string key) : key_(std::move(key)) {}
  std::string name(std::string_view real) const;   // "person-" + 10 hex
  std::string email(std::string_view real) const;  // "user-" + 10 hex + "@pseudonym.invalid"
  // "Name <email>" -> "person-… <user-…@pseudonym.invalid>"; a bare value is taken as a name.
  std::string identity(std::string_view real) const;

 private:
  std::string key_;
};

// Replaces every name and e-mail in `r`: the structured identities (authors, committers,
// relays, co-authors, reviewers, contributors) exactly, and free text (messages, snippets,
// skipped reasons) wherever a known name (as a whole word) or e-mail (any case) occurs. Known
// = the roster's names and e-mails plus every identity the scan recorded.
void pseudonymize(ScanResult& r, const Roster& roster, const Pseudonymizer& p);

}  // namespace provscan::scan
