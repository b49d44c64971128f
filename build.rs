//! Tells `arch/arm.rs` whether the compiler reserves r7 (the frame pointer of Thumb code), in
//! which case the syscall number cannot be an `in("r7")` operand.
//!
//! `target_feature = "thumb-mode"` is not visible to `cfg` on stable Rust, and guessing from the
//! target name and the rustflags fails for custom target specs, argument files (`@flags`) and
//! anything else a build can say. So the compiler is asked: a one-line crate naming r7 as an
//! operand is compiled for the target with the build's own flags (as rustix's build script
//! probes its features). Flags given only to the final crate (`cargo rustc -- ...`) reach no
//! build script; `_start` does not depend on the answer (it is A32 code either way).

use std::path::PathBuf;
use std::process::{Command, Stdio};

fn main() {
    println!("cargo::rustc-check-cfg=cfg(barecall_thumb)");
    println!("cargo::rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() != Ok("arm") {
        return;
    }
    // A control without r7 must compile, or the probe says nothing about r7: a target with no
    // prebuilt `core` (a custom spec under `-Zbuild-std`) or rustflags the probe cannot use (an
    // `@argfile` relative to another directory). Then the target's name decides, as before.
    let thumb = if compiles("core::arch::asm!(\"\", in(\"r5\") 0u32)") {
        !compiles("core::arch::asm!(\"\", in(\"r7\") 0u32)")
    } else {
        let target = std::env::var("TARGET").unwrap_or_default();
        println!(
            "cargo::warning=barecall: rustc could not compile the r7 probe for {target}; \
             guessing from the target's name"
        );
        target.starts_with("thumb")
    };
    if thumb {
        println!("cargo::rustc-cfg=barecall_thumb");
    }
}

/// Whether `statement`, in an `unsafe` function of a `no_std` crate, compiles for the target
/// with the build's rustflags.
fn compiles(statement: &str) -> bool {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let target = std::env::var("TARGET").expect("cargo sets TARGET");
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let mut command = match std::env::var_os("RUSTC_WRAPPER").filter(|w| !w.is_empty()) {
        Some(wrapper) => {
            let mut command = Command::new(wrapper);
            command.arg(&rustc);
            command
        }
        None => Command::new(&rustc),
    };
    command
        .args([
            "--crate-type=rlib",
            "--emit=metadata",
            "--edition=2021",
            "--crate-name",
        ])
        .arg("barecall_probe")
        .arg("--target")
        .arg(&target)
        .arg("--out-dir")
        .arg(&out_dir)
        .args(flags.split('\x1f').filter(|flag| !flag.is_empty()))
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let Ok(mut child) = command.spawn() else {
        return false;
    };
    let source = format!("#![no_std]\npub unsafe fn probe() {{ unsafe {{ {statement} }} }}\n");
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        let _ = stdin.write_all(source.as_bytes());
    }
    child.wait().is_ok_and(|status| status.success())
}
