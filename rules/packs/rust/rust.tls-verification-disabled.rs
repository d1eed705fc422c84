// Fixture for rust.tls-verification-disabled (written for provscan; not from any project).
use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};

pub fn client(insecure_for_tests: bool) -> reqwest::Result<reqwest::Client> {
    let b = reqwest::Client::builder();
    // ruleid: rust.tls-verification-disabled
    let b = b.danger_accept_invalid_certs(true);
    // ok: rust.tls-verification-disabled
    let b = b.danger_accept_invalid_certs(insecure_for_tests && cfg!(test));
    b.build()
}

pub fn tls() -> native_tls::Result<native_tls::TlsConnector> {
    native_tls::TlsConnector::builder()
        // ruleid: rust.tls-verification-disabled
        .danger_accept_invalid_hostnames(true)
        // ok: rust.tls-verification-disabled
        .danger_accept_invalid_certs(false)
        .build()
}

pub fn connector() -> SslConnector {
    let mut b = SslConnector::builder(SslMethod::tls()).unwrap();
    // ruleid: rust.tls-verification-disabled
    b.set_verify(SslVerifyMode::NONE);
    // ok: rust.tls-verification-disabled
    b.set_verify(SslVerifyMode::PEER);
    b.build()
}
