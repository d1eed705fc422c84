// Fixture for java.trust-all-certificates (written for provscan; not from any project).
package org.example.net;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;

final class LenientTrust implements X509TrustManager {
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  // ruleid: java.trust-all-certificates
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}

  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}

final class PinningTrust implements X509TrustManager {
  private final X509TrustManager delegate;
  private final String pin;

  PinningTrust(X509TrustManager delegate, String pin) {
    this.delegate = delegate;
    this.pin = pin;
  }

  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  // ok: java.trust-all-certificates
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
    if (!Pins.sha256(chain[0]).equals(pin)) throw new CertificateException("pin mismatch");
  }

  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}

final class AnyHost implements HostnameVerifier {
  @Override
  // ruleid: java.trust-all-certificates
  public boolean verify(String hostname, SSLSession session) {
    return true;
  }
}

final class Setup {
  static void configure(HttpsURLConnection conn, HostnameVerifier strict) {
    // ruleid: java.trust-all-certificates
    conn.setHostnameVerifier((host, session) -> true);
    // ok: java.trust-all-certificates
    conn.setHostnameVerifier(strict);
    // ok: java.trust-all-certificates
    conn.setHostnameVerifier((host, session) -> host.endsWith(".example.org"));
  }

  static Object client(Builder b) {
    // ruleid: java.trust-all-certificates
    return b.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE).build();
  }
}
