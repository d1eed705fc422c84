// Fixture for java.hardcoded-credential-comparison (written for provscan; not from any project).
package org.example.auth;

import java.security.MessageDigest;

public class LoginService {
  private final UserStore store;

  public LoginService(UserStore store) {
    this.store = store;
  }

  public boolean login(String user, String password) {
    // ruleid: java.hardcoded-credential-comparison
    if (password.equals("Sup3rMaint#2019")) {
      return true;
    }
    // ruleid: java.hardcoded-credential-comparison
    if ("debug-override".equalsIgnoreCase(store.lookup(user).getPassword())) {
      return true;
    }
    byte[] expected = store.lookup(user).hash();
    return MessageDigest.isEqual(expected, Hashing.sha256(password));
  }

  public boolean checkApiKey(Request req) {
    // ruleid: java.hardcoded-credential-comparison
    return req.apiKey.equals("ak_live_7f3e9a");
  }

  public boolean isBearer(String scheme, String password) {
    // ok: java.hardcoded-credential-comparison
    if (password.equals("")) {
      return false;
    }
    // ok: java.hardcoded-credential-comparison
    return scheme.equalsIgnoreCase("Bearer");
  }

  public boolean sameSecret(String secret, String other) {
    // ok: java.hardcoded-credential-comparison
    return secret.equals(other);
  }
}
