// Fixture for c.backdoor.ignored-verify-result.
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <security/pam_appl.h>

int connect_peer(SSL *ssl, X509_STORE_CTX *store) {
  // ruleid: c.backdoor.ignored-verify-result
  X509_verify_cert(store);
  // ruleid: c.backdoor.ignored-verify-result
  SSL_get_verify_result(ssl);
  return 0;
}

int install_update(EVP_MD_CTX *md, const unsigned char *sig, size_t siglen) {
  // ruleid: c.backdoor.ignored-verify-result
  EVP_DigestVerifyFinal(md, sig, siglen);
  return apply_update();
}

int session_open(pam_handle_t *pamh) {
  // ruleid: c.backdoor.ignored-verify-result
  (void)pam_authenticate(pamh, 0);
  return open_shell();
}

int connect_peer_checked(SSL *ssl, X509_STORE_CTX *store) {
  // ok: c.backdoor.ignored-verify-result
  if (X509_verify_cert(store) != 1) return -1;
  // ok: c.backdoor.ignored-verify-result
  long verdict = SSL_get_verify_result(ssl);
  return verdict == 0 ? 0 : -1;
}

int session_open_checked(pam_handle_t *pamh) {
  // ok: c.backdoor.ignored-verify-result
  int rc = pam_authenticate(pamh, 0);
  if (rc != 0) return rc;
  // ok: c.backdoor.ignored-verify-result
  return pam_acct_mgmt(pamh, 0);
}
