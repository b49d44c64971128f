//! With feature `threads`, compiles `c/tls.c` with the target's C compiler (the cross gcc
//! that links these programs) and links it into the `threads` example, whose TLS check reads
//! C's `__thread` variables; and says whether `#[thread_local]` may be checked too.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=c/tls.c");
    // `#[thread_local]` is unstable: the `threads` example checks it where the compiler takes
    // unstable features (a nightly, or any with `RUSTC_BOOTSTRAP=1`, which the xtask sets).
    println!("cargo:rustc-check-cfg=cfg(barecall_thread_local)");
    println!("cargo:rerun-if-env-changed=RUSTC_BOOTSTRAP");
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = Command::new(rustc)
        .arg("-V")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    let nightly = String::from_utf8_lossy(&version).contains("nightly");
    if nightly || std::env::var_os("RUSTC_BOOTSTRAP").is_some_and(|v| v == "1") {
        println!("cargo:rustc-cfg=barecall_thread_local");
    }
    if std::env::var_os("CARGO_FEATURE_THREADS").is_none() {
        return;
    }
    let target = std::env::var("TARGET").expect("cargo sets TARGET");
    let compiler = match target.split('-').next() {
        Some("x86_64") => "x86_64-linux-gnu-gcc",
        Some("aarch64") => "aarch64-linux-gnu-gcc",
        Some("riscv64gc") => "riscv64-linux-gnu-gcc",
        Some("armv7" | "thumbv7neon") => "arm-linux-gnueabihf-gcc",
        _ => panic!("no C compiler known for {target}"),
    };
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("tls.o");
    let status = Command::new(compiler)
        .args([
            "-c",
            "-O2",
            "-ffreestanding",
            "-fno-pic",
            "-fno-stack-protector",
        ])
        // What an executable's own thread-locals use; the check is about the layout.
        .arg("-ftls-model=local-exec")
        .arg("c/tls.c")
        .arg("-o")
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {compiler}: {e}"));
    assert!(status.success(), "{compiler} failed on c/tls.c");
    println!("cargo:rustc-link-arg-bin=threads={}", out.display());
}
