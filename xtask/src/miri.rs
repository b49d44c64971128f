//! `cargo xtask miri`: the library's unit tests under Miri, over the code that makes no system
//! call.
//!
//! Miri interprets the program and checks every step for undefined behaviour: accesses out of
//! bounds or to freed memory, reads of uninitialized bytes, invalid values, pointers without
//! provenance, and aliasing violations (Stacked Borrows). It cannot execute inline assembly, and
//! every system call barecall makes is inline assembly (`arch/`), so:
//! - the tests that make system calls are `#[cfg_attr(miri, ignore)]` (reported as ignored),
//!   and `arch/`'s tests, which all do, are skipped by name (`raw::tests::`);
//! - the integration tests (`tests/`), which all do, are not run (`--lib`).
//!
//! What runs: the `Buffer` forms through a fake read, `Errno`, flag conversions, argument and
//! result conversions (`syscalls.rs`), `IoSlice` layout, fd ownership without std, the memory
//! functions, `rt::Startup` parsing. With default features, then without (the `no_std` fd and
//! `IoSlice` types); the memory functions, the same code either way, run once.

use std::process::Command;

const TOOLCHAIN: &str = "nightly";

/// `(description, cargo arguments, test-binary arguments)` of each run.
const RUNS: [(&str, &[&str], &[&str]); 2] = [
    ("default features", &[], &["--skip", "raw::tests::"]),
    (
        "--no-default-features (no_std)",
        &["--no-default-features"],
        &["--skip", "raw::tests::", "--skip", "mem::"],
    ),
];

pub fn run(args: &[String]) -> Result<bool, String> {
    if let Some(arg) = args.first() {
        return Err(format!("miri takes no options, got {arg:?}"));
    }
    ensure_miri()?;
    let root = crate::workspace_root();
    let mut results = Vec::new();
    for (name, cargo_args, test_args) in RUNS {
        println!("miri: library tests with {name}");
        let mut command = nightly_cargo();
        command
            .current_dir(&root)
            .args(["miri", "test", "--package", "barecall", "--lib"])
            .args(cargo_args)
            .arg("--")
            .args(test_args);
        let status = command
            .status()
            .map_err(|e| format!("cannot run {command:?}: {e}"))?;
        results.push((name, status.success()));
    }
    println!();
    for (name, ok) in &results {
        println!("miri: {name}: {}", if *ok { "ok" } else { "FAILED" });
    }
    Ok(results.iter().all(|(_, ok)| *ok))
}

/// `cargo` of the nightly toolchain, without the variables that would pin the one that runs
/// the xtask. The int-to-pointer cast of `Startup::random` (the kernel gives `AT_RANDOM` as an
/// integer) is allowed without a warning.
fn nightly_cargo() -> Command {
    let mut command = Command::new("rustup");
    command.args(["run", TOOLCHAIN, "cargo"]);
    for name in ["CARGO", "RUSTC", "RUSTDOC", "RUSTUP_TOOLCHAIN"] {
        command.env_remove(name);
    }
    let mut flags = std::env::var("MIRIFLAGS").unwrap_or_default();
    if !flags.contains("provenance") {
        flags.push_str(" -Zmiri-permissive-provenance");
    }
    command.env("MIRIFLAGS", flags.trim());
    command
}

/// Installs the nightly toolchain's `miri` and `rust-src` components if they are missing.
fn ensure_miri() -> Result<(), String> {
    let listed = crate::setup::run_output(Command::new("rustup").args([
        "component",
        "list",
        "--installed",
        "--toolchain",
        TOOLCHAIN,
    ]));
    let has = |installed: &str, component: &str| {
        installed
            .lines()
            .any(|line| line == component || line.starts_with(&format!("{component}-")))
    };
    let mut command = Command::new("rustup");
    match listed {
        Ok(installed) if has(&installed, "miri") && has(&installed, "rust-src") => return Ok(()),
        Ok(_) => {
            println!("miri: adding the miri and rust-src components to the {TOOLCHAIN} toolchain");
            command.args(["component", "add", "miri", "rust-src"]);
            command.args(["--toolchain", TOOLCHAIN]);
        }
        Err(_) => {
            println!("miri: installing the {TOOLCHAIN} toolchain with miri and rust-src");
            command.args(["toolchain", "install", TOOLCHAIN, "--profile", "minimal"]);
            command.args(["--component", "miri", "--component", "rust-src"]);
        }
    }
    crate::setup::run(&mut command)
}
