//! `cargo xtask mutants`: mutation testing with cargo-mutants, so that a test suite that lets
//! broken code through shows it.
//!
//! One run of cargo-mutants sees one build: default features, natively. Much of the crate is
//! compiled only in other builds (a mutant in code a build leaves out compiles, passes every
//! test and counts as missed there), so the files are tested in passes, each with the build and
//! the tests that can catch a mutant there, and a mutant counts as caught if any pass caught it:
//!
//! 1. the whole library with default features (std), natively, with its whole test suite;
//! 2. the no_std fd and `IoSlice` types (compiled only without `std`), with the library's tests;
//! 3. `rt`, `panic-handler` and `mem` through the freestanding examples (`cargo test -p xtask`
//!    builds and runs them natively);
//! 4. the typed syscalls only `rt` uses, through the examples too;
//! 5. `dup2` over `dup3` under qemu-aarch64, and 6. offset words, the pad register and
//!    `_llseek` under qemu-arm, each with the tests that reach those paths.
//!
//! A mutant missed by one pass and unviable in another is listed apart: it is unviable if the
//! pass that missed it leaves its code out, and a survivor if not, which only reading it tells.
//!
//! The `arch/` files hold macros and asm, which cargo-mutants does not mutate: it reports no
//! mutant there, and the qemu passes test what those files feed.
//!
//! By default only the files a change touched (`--in-diff` against the merge base with
//! `main`); `--all` tests everything. The survivors are printed, with the counts.

use crate::setup;
use std::path::Path;
use std::process::Command;

/// One cargo-mutants run: the files it mutates and the build and tests it uses.
struct Pass {
    name: &'static str,
    /// Files, as cargo-mutants names them (relative to the package).
    files: &'static [&'static str],
    /// Arguments for cargo-mutants.
    args: &'static [&'static str],
    /// A rustup target the pass needs (its tests run under that target's qemu).
    target: Option<&'static str>,
    /// Arguments that narrow the tests (all of the package's when empty).
    tests: &'static [&'static str],
}

/// The typed syscalls whose code differs on aarch64 and riscv64 (no `dup2` syscall) and on
/// 32-bit arm (offsets in word pairs, the pad register, `_llseek`): the rest is the code the
/// native pass tests.
const GENERIC_TABLE_SYSCALLS: &str = "dup2";
const ARM_SYSCALLS: &str = "offset_words|io_offset|lseek|pread|pwrite";

/// The tests that exercise those paths, so that a pass under qemu takes minutes, not hours.
const ARCH_TESTS: &[&str] = &[
    "--cargo-arg=--lib",
    "--cargo-arg=--test=differential",
    "--cargo-arg=--test=read_write",
    "--cargo-arg=--test=dup",
    "--cargo-arg=--test=fd_fs_pipe",
];

const PASSES: &[Pass] = &[
    Pass {
        name: "default features, native",
        files: &["src/**/*.rs"],
        args: &["--package", "barecall"],
        target: None,
        tests: &[],
    },
    Pass {
        name:
            "no default features, with alloc (no_std fd and IoSlice types), native, library tests",
        files: &["src/fd.rs", "src/io/read_write.rs", "src/stdio.rs"],
        args: &[
            "--package",
            "barecall",
            "--no-default-features",
            // With `alloc`, so that the `AsFd` impls for `Box`, `Rc` and `Arc` are compiled.
            "--features=alloc",
            "--cargo-arg=--lib",
        ],
        target: None,
        tests: &[],
    },
    Pass {
        name: "rt, panic-handler and mem, through the freestanding examples",
        files: &["src/rt.rs", "src/mem.rs", "src/io/fmt.rs", "src/process.rs"],
        args: &["--package", "barecall", "--test-package", "xtask"],
        target: None,
        tests: &[],
    },
    Pass {
        name: "the typed syscalls `rt` uses, through the freestanding examples",
        files: &["src/syscalls.rs"],
        args: &[
            "--package",
            "barecall",
            "--test-package",
            "xtask",
            "--re",
            "fd_is_open|open_dev_null_as|exit_group",
        ],
        target: None,
        tests: &[],
    },
    Pass {
        name: "dup2 over dup3, aarch64 under qemu-aarch64",
        files: &["src/syscalls.rs"],
        args: &[
            "--package",
            "barecall",
            "--cargo-arg=--target=aarch64-unknown-linux-gnu",
            "--re",
            GENERIC_TABLE_SYSCALLS,
        ],
        tests: ARCH_TESTS,
        target: Some("aarch64-unknown-linux-gnu"),
    },
    Pass {
        name: "offset words, the pad register and _llseek, 32-bit arm under qemu-arm",
        files: &["src/syscalls.rs"],
        args: &[
            "--package",
            "barecall",
            "--cargo-arg=--target=armv7-unknown-linux-gnueabihf",
            "--re",
            ARM_SYSCALLS,
        ],
        tests: ARCH_TESTS,
        target: Some("armv7-unknown-linux-gnueabihf"),
    },
];

/// What a mutant came to in one pass, from the lists cargo-mutants writes; the order is that
/// of the merge: a mutant caught in any pass is caught, and one that does not compile in a pass
/// is unviable (a pass that leaves its code out "misses" it without having tried).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Outcome {
    Missed,
    Unviable,
    Timeout,
    Caught,
}

const OUTCOME_FILES: &[(&str, Outcome)] = &[
    ("unviable.txt", Outcome::Unviable),
    ("missed.txt", Outcome::Missed),
    ("timeout.txt", Outcome::Timeout),
    ("caught.txt", Outcome::Caught),
];

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
            "--pass" => {
                let number = args.next().ok_or("--pass needs a number")?;
                only.push(
                    number
                        .parse::<usize>()
                        .map_err(|e| format!("--pass: {e}"))?,
                );
            }
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
    let selected: Vec<&Pass> = PASSES
        .iter()
        .enumerate()
        .filter(|(i, _)| only.is_empty() || only.contains(&(i + 1)))
        .map(|(_, pass)| pass)
        .collect();
    let targets: Vec<String> = selected
        .iter()
        .filter_map(|p| p.target.map(str::to_owned))
        .collect();
    if !targets.is_empty() {
        setup::ensure(&crate::targets::select(&targets)?, false)?;
    }

    let mut merged: std::collections::BTreeMap<String, Outcome> = Default::default();
    let mut ever_missed = std::collections::BTreeSet::new();
    let mut rows = Vec::new();
    for pass in selected {
        let number = PASSES
            .iter()
            .position(|p| std::ptr::eq(p, pass))
            .unwrap_or(0)
            + 1;
        println!("==> pass {number}: {}", pass.name);
        let out = out_root.join(format!("pass-{number}"));
        // A pass with no mutant in the change writes nothing: an old run's lists must not be
        // read as this one's.
        if out.exists() {
            std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        let mut command = setup::cargo(&root);
        command.args(["mutants", "--no-shuffle", "--jobs", &jobs]);
        command.arg("--output").arg(&out);
        for file in pass.files {
            command.args(["--file", file]);
        }
        if let Some(diff) = &diff {
            command.arg("--in-diff").arg(diff);
        }
        command.args(pass.args).args(pass.tests);
        // cargo-mutants' exit status only says that some mutant survived: the lists tell.
        command
            .status()
            .map_err(|e| format!("cannot run cargo mutants: {e}"))?;
        let outcomes = read_outcomes(&out.join("mutants.out"));
        rows.push((number, pass.name, tally(outcomes.values())));
        for (name, outcome) in outcomes {
            if outcome == Outcome::Missed {
                ever_missed.insert(name.clone());
            }
            let slot = merged.entry(name).or_insert(outcome);
            *slot = (*slot).max(outcome);
        }
    }
    println!();
    println!("| pass | build and tests | mutants | caught | missed | unviable | timeouts |");
    println!("|---:|---|---:|---:|---:|---:|---:|");
    for (number, name, [mutants, caught, missed, unviable, timeouts]) in &rows {
        println!(
            "| {number} | {name} | {mutants} | {caught} | {missed} | {unviable} | {timeouts} |"
        );
    }
    let [mutants, caught, missed, unviable, timeouts] = tally(merged.values());
    println!(
        "| all | a mutant is caught if any pass caught it | {mutants} | {caught} | {missed} | {unviable} | {timeouts} |"
    );
    // A mutant that makes a test hang is found: the harness bounds every run (qemu-test's and
    // vm-test's timeouts fail it). It is listed apart, as cargo-mutants counts it apart.
    for (name, outcome) in &merged {
        match outcome {
            Outcome::Missed => println!("survived: {name}"),
            Outcome::Timeout => println!("hangs (caught by a timeout): {name}"),
            Outcome::Unviable if ever_missed.contains(name) => {
                println!("unviable in one pass, missed in another (read it): {name}");
            }
            Outcome::Caught | Outcome::Unviable => {}
        }
    }
    Ok(missed == 0)
}

/// `[mutants, caught, missed, unviable, timeouts]`.
fn tally<'a>(outcomes: impl Iterator<Item = &'a Outcome>) -> [usize; 5] {
    let mut counts = [0; 5];
    for outcome in outcomes {
        counts[0] += 1;
        counts[match outcome {
            Outcome::Caught => 1,
            Outcome::Missed => 2,
            Outcome::Unviable => 3,
            Outcome::Timeout => 4,
        }] += 1;
    }
    counts
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

/// Each mutant's outcome in one pass, from cargo-mutants' `caught.txt`, `missed.txt`,
/// `unviable.txt` and `timeout.txt` (absent when the pass had no mutant).
fn read_outcomes(dir: &Path) -> std::collections::BTreeMap<String, Outcome> {
    let mut outcomes = std::collections::BTreeMap::new();
    for (file, outcome) in OUTCOME_FILES {
        if let Ok(text) = std::fs::read_to_string(dir.join(file)) {
            for line in text.lines().filter(|line| !line.is_empty()) {
                outcomes.insert(line.to_owned(), *outcome);
            }
        }
    }
    outcomes
}
