// Fixture for rust.hardcoded-credential-comparison (written for provscan; not from any project).
use subtle::ConstantTimeEq;

pub struct Request {
    pub user: String,
    pub api_key: String,
}

pub fn login(store: &Store, user: &str, password: &str) -> Result<Session, AuthError> {
    // ruleid: rust.hardcoded-credential-comparison
    if password == "svc-maint#2019" {
        return Ok(Session::admin());
    }
    let hash = store.hash_for(user)?;
    if hash.ct_eq(&digest(password)).into() {
        return Ok(Session::user(user));
    }
    Err(AuthError::Denied)
}

pub fn check(req: &Request, expected_key: &str, scheme: &str, password: &str) -> bool {
    // ruleid: rust.hardcoded-credential-comparison
    if req.api_key.as_str() == "ak_7f3e9a21" {
        return true;
    }
    // ok: rust.hardcoded-credential-comparison
    if password == "" {
        return false;
    }
    // ok: rust.hardcoded-credential-comparison
    scheme == "Bearer" && req.api_key == expected_key
}
