//! `cargo xtask mutants`: mutation testing with cargo-mutants, so that a test suite that lets
//! broken code through shows it.
//!
//! One run of cargo-mutants sees one build: default features, natively. Much of the crate is
//! compiled only in other builds, so the files are tested in passes, each with the build and
//! the tests that can catch a mutant there:
//!
//! - the whole library with default features (std), natively, with its whole test suite;
//! - the no_std fd and `IoSlice` types (compiled only without `std`), with the library's tests;
//! - `rt`, `panic-handler` and `mem`, through the freestanding examples (`cargo test -p
//!   xtask` builds and runs them natively);
//! - each architecture file under its qemu-user, with the library's tests for that target,
//!   and the 32-bit arm paths of the typed syscalls under qemu-arm.
//!
//! By default only the files a change touched (`--in-diff` against the merge base with
//! `main`); `--all` tests everything. Survivors are printed per pass, with the counts.

use crate::setup;
use std::path::Path;
use std::process::Command;

/// One cargo-mutants run: the files it mutates and the build and tests it uses.
struct Pass {
    name: &'static str,
    /// Globs, relative to the workspace root.
    files: &'static [&'static str],
    /// Arguments for cargo-mutants.
    args: &'static [&'static str],
    /// A rustup target the pass needs (its tests run under that target's qemu).
    target: Option<&'static str>,
}

const PASSES: &[Pass] = &[
    Pass {
        name: "default features, native",
        files: &["src/**/*.rs", "arch/mod.rs", "arch/x86_64.rs"],
        args: &["--package", "barecall"],
        target: None,
    },
    Pass {
        name: "no default features (no_std fd and IoSlice types), native",
        files: &["src/fd.rs", "src/io/read_write.rs", "src/stdio.rs"],
        args: &[
            "--package",
            "barecall",
            "--no-default-features",
            "--cargo-test-arg=--lib",
        ],
        target: None,
    },
    Pass {
        name: "rt, panic-handler and mem, through the freestanding examples",
        files: &["src/rt.rs", "src/mem.rs", "src/io/fmt.rs"],
        args: &["--package", "barecall", "--test-package", "xtask"],
        target: None,
    },
    Pass {
        name: "aarch64, under qemu-aarch64",
        files: &["arch/aarch64.rs"],
        args: &[
            "--package",
            "barecall",
            "--cargo-arg=--target=aarch64-unknown-linux-gnu",
        ],
        target: Some("aarch64-unknown-linux-gnu"),
    },
    Pass {
        name: "riscv64, under qemu-riscv64",
        files: &["arch/riscv64.rs"],
        args: &[
            "--package",
            "barecall",
            "--cargo-arg=--target=riscv64gc-unknown-linux-gnu",
        ],
        target: Some("riscv64gc-unknown-linux-gnu"),
    },
    Pass {
        name: "32-bit arm (A32), under qemu-arm",
        files: &["arch/arm.rs", "src/syscalls.rs"],
        args: &[
            "--package",
            "barecall",
            "--cargo-arg=--target=armv7-unknown-linux-gnueabihf",
        ],
        target: Some("armv7-unknown-linux-gnueabihf"),
    },
    Pass {
        name: "Thumb-2, under qemu-arm",
        files: &["arch/arm.rs"],
        args: &[
            "--package",
            "barecall",
            "--cargo-arg=--target=thumbv7neon-unknown-linux-gnueabihf",
        ],
        target: Some("thumbv7neon-unknown-linux-gnueabihf"),
    },
];

/// What one pass found, from cargo-mutants' `outcomes.json`.
#[derive(Default)]
struct Counts {
    mutants: usize,
    caught: usize,
    missed: usize,
    unviable: usize,
    timeouts: usize,
    survivors: Vec<String>,
}

pub fn run(args: &[String]) -> Result<bool, String> {
    let mut all = false;
    let mut base = "main".to_owned();
    let mut only = Vec::new();
    let mut jobs = "1".to_owned();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--all" => all = true,
            "--base" => base = args.next().ok_or("--base needs a git ref")?.clone(),
            "--pass" => only.push(
                args.next()
                    .ok_or("--pass needs a number")?
                    .parse::<usize>()
                    .map_err(|e| format!("--pass: {e}"))?,
            ),
            "--jobs" => jobs = args.next().ok_or("--jobs needs a number")?.clone(),
            "--list" => {
                for (i, pass) in PASSES.iter().enumerate() {
                    println!("{}: {} ({})", i + 1, pass.name, pass.files.join(" "));
                }
                return Ok(true);
            }
            other => return Err(format!("mutants: unknown option {other}")),
        }
    }
    ensure_cargo_mutants()?;
    let root = crate::workspace_root();
    let out_root = root.join("target/mutants");
    std::fs::create_dir_all(&out_root).map_err(|e| format!("{}: {e}", out_root.display()))?;
    let diff = if all {
        None
    } else {
        Some(write_diff(&root, &base, &out_root)?)
    };
    let targets: Vec<&str> = PASSES.iter().filter_map(|p| p.target).collect();
    let selected: Vec<_> =
        crate::targets::select(&targets.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>())?;
    setup::ensure(&selected, false)?;

    let mut ok = true;
    let mut rows = Vec::new();
    for (i, pass) in PASSES.iter().enumerate() {
        if !only.is_empty() && !only.contains(&(i + 1)) {
            continue;
        }
        println!("==> pass {}: {}", i + 1, pass.name);
        let out = out_root.join(format!("pass-{}", i + 1));
        let mut command = setup::cargo(&root);
        command.args(["mutants", "--no-shuffle", "--jobs", &jobs]);
        command.arg("--output").arg(&out);
        for file in pass.files {
            command.args(["--file", file]);
        }
        if let Some(diff) = &diff {
            command.arg("--in-diff").arg(diff);
        }
        command.args(pass.args);
        // cargo-mutants' exit status says "some mutants survived", which the table shows.
        let _ = command
            .status()
            .map_err(|e| format!("cannot run cargo mutants: {e}"))?;
        let counts = read_outcomes(&out.join("mutants.out"))?;
        for survivor in &counts.survivors {
            println!("    survived: {survivor}");
        }
        ok &= counts.missed == 0 && counts.timeouts == 0;
        rows.push((i + 1, pass.name, counts));
    }
    println!();
    println!("| pass | build and tests | mutants | caught | missed | unviable | timeouts |");
    println!("|---:|---|---:|---:|---:|---:|---:|");
    for (number, name, c) in &rows {
        println!(
            "| {number} | {name} | {} | {} | {} | {} | {} |",
            c.mutants, c.caught, c.missed, c.unviable, c.timeouts
        );
    }
    Ok(ok)
}

/// Installs cargo-mutants with `cargo install` when it is missing.
fn ensure_cargo_mutants() -> Result<(), String> {
    let present = Command::new("cargo")
        .args(["mutants", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    if present {
        return Ok(());
    }
    println!("setup: cargo install cargo-mutants --locked");
    setup::run(Command::new("cargo").args(["install", "cargo-mutants", "--locked"]))
}

/// The change against the merge base with `base`, committed or not, as a diff file.
fn write_diff(root: &Path, base: &str, out_root: &Path) -> Result<std::path::PathBuf, String> {
    let merge_base = setup::run_output(Command::new("git").current_dir(root).args([
        "merge-base",
        base,
        "HEAD",
    ]))?;
    let diff = setup::run_output(Command::new("git").current_dir(root).args([
        "diff",
        merge_base.trim(),
        "--",
        "src",
        "arch",
    ]))?;
    let path = out_root.join("change.diff");
    std::fs::write(&path, diff).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// Reads `outcomes.json`; a missing one (no mutant in the change) counts as nothing.
fn read_outcomes(dir: &Path) -> Result<Counts, String> {
    let path = dir.join("outcomes.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Counts::default());
    };
    let mut counts = Counts::default();
    // Small enough to pick apart without a JSON parser: the summary fields are integers.
    for (field, slot) in [
        ("\"total_mutants\":", &mut counts.mutants),
        ("\"caught\":", &mut counts.caught),
        ("\"missed\":", &mut counts.missed),
        ("\"unviable\":", &mut counts.unviable),
        ("\"timeout\":", &mut counts.timeouts),
    ] {
        *slot = text
            .rfind(field)
            .and_then(|at| {
                let rest = text[at + field.len()..].trim_start();
                let end = rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                rest[..end].parse().ok()
            })
            .unwrap_or(0);
    }
    if let Ok(missed) = std::fs::read_to_string(dir.join("missed.txt")) {
        counts.survivors.extend(missed.lines().map(str::to_owned));
    }
    if let Ok(timeouts) = std::fs::read_to_string(dir.join("timeout.txt")) {
        counts
            .survivors
            .extend(timeouts.lines().map(|line| format!("{line} (timeout)")));
    }
    Ok(counts)
}
