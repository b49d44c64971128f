//! `cargo xtask qemu-test`: the whole suite on every target, and a table of what ran.
//!
//! The harness must not lie: every `QEMU_*` variable is cleared (one of them makes qemu print
//! its version and exit 0 without running anything), a target whose test binaries ran no test
//! fails, a test binary that printed no result fails, and each Linux target must run as many
//! tests as the host. Tests that could not run report themselves on a `barecall-skip: NAME:
//! REASON` line; they are counted as skipped, never as passed.

use crate::freestanding;
use crate::guard;
use crate::setup;
use crate::targets::{self, Kind, Target};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// The builds that make up one bare-metal target's run.
const BUILDS: &[&[&str]] = &[
    &[
        "build",
        "--package",
        "barecall",
        "--lib",
        "--no-default-features",
    ],
    &[
        "build",
        "--package",
        "barecall",
        "--lib",
        "--no-default-features",
        "--features",
        "alloc",
    ],
];

#[derive(Default)]
pub struct Outcome {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
    /// `(test, reason)` of each `barecall-skip` line.
    pub skipped: Vec<(String, String)>,
    /// Problems that fail the target although no test failed.
    pub problems: Vec<String>,
    /// Operations the differential test compared with libc (`barecall-differential-ops: N`).
    pub differential_ops: u64,
    /// The freestanding examples: checks passed and failed, hello's sizes.
    pub examples: Option<freestanding::Report>,
    pub seconds: f64,
}

impl Outcome {
    fn ran(&self) -> u64 {
        self.passed + self.failed + self.ignored
    }

    fn ok(&self) -> bool {
        self.failed == 0
            && self.problems.is_empty()
            && self.examples.as_ref().is_none_or(|e| e.problems.is_empty())
    }
}

pub fn run(args: &[String]) -> Result<bool, String> {
    let mut names = Vec::new();
    let mut list = false;
    let mut install = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--target" => names.push(args.next().ok_or("--target needs a triple")?.clone()),
            "--list" => list = true,
            "--install" => install = true,
            other => return Err(format!("qemu-test: unknown option {other}")),
        }
    }
    let selected = targets::select(&names)?;
    if list {
        return list_targets(&selected);
    }
    setup::ensure(&selected, install)?;

    let root = crate::workspace_root();
    let log_dir = root.join("target/xtask");
    std::fs::create_dir_all(&log_dir).map_err(|e| format!("{}: {e}", log_dir.display()))?;

    let mut rows = Vec::new();
    let recipe = freestanding::check_readme_recipe(&root);
    let guard = guard::check(&root);
    match &guard {
        Ok(summary) => println!("{summary}"),
        Err(problem) => println!("FAILED: {problem}"),
    }
    for target in &selected {
        println!("==> {} ({}): start", target.triple, target.mode);
        let outcome = match target.kind {
            Kind::BareMetal => build_bare_metal(&root, &log_dir, target),
            Kind::Native | Kind::QemuUser => {
                let mut outcome = test_linux(&root, &log_dir, target);
                let start = Instant::now();
                outcome.examples = Some(freestanding::check(&root, &log_dir, target));
                outcome.seconds += start.elapsed().as_secs_f64();
                outcome
            }
        };
        if let Some(examples) = &outcome.examples {
            for problem in &examples.problems {
                println!("    examples: {problem}");
            }
        }
        for (test, reason) in &outcome.skipped {
            println!("    skipped: {test}: {reason}");
        }
        for problem in &outcome.problems {
            println!("    problem: {problem}");
        }
        println!(
            "<== {} ({}): {} in {:.1}s",
            target.triple,
            target.mode,
            if outcome.ok() { "ok" } else { "FAILED" },
            outcome.seconds
        );
        rows.push((*target, outcome));
    }

    compare_with_host(&mut rows);
    print_table(&rows);
    if let Err(problem) = &recipe {
        println!("FAILED: {problem}");
    }
    if let Err(problem) = &guard {
        println!("FAILED: {problem}");
    }
    Ok(recipe.is_ok() && guard.is_ok() && rows.iter().all(|(_, outcome)| outcome.ok()))
}

fn list_targets(selected: &[&Target]) -> Result<bool, String> {
    let installed = setup::installed_rust_targets()?;
    println!("| target | mode | rustup target | tools | ready |");
    println!("|---|---|---|---|---|");
    for target in selected {
        let has_target = installed.iter().any(|i| i == target.triple);
        let missing = setup::missing_packages(target);
        println!(
            "| {} | {} | {} | {} | {} |",
            target.triple,
            target.mode,
            if has_target { "installed" } else { "missing" },
            if missing.is_empty() {
                "installed".to_owned()
            } else {
                format!("missing: {}", missing.join(" "))
            },
            if has_target && missing.is_empty() {
                "yes"
            } else {
                "no"
            },
        );
    }
    Ok(true)
}

/// A cargo command for `target` in the workspace, with every `QEMU_*` variable removed.
fn cargo(root: &Path, target: &Target, args: &[&str]) -> Command {
    let mut command = setup::cargo(root);
    command.args(args).args(["--target", target.triple]);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("QEMU_") {
            command.env_remove(name);
        }
    }
    command
}

/// Runs `command` with its output going to `log` (and nowhere else); returns the output.
fn run_logged(mut command: Command, log: &Path) -> (bool, String) {
    let result = command.stdin(Stdio::null()).output();
    match result {
        Ok(output) => {
            let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&output.stderr));
            let _ = std::fs::write(log, &text);
            (output.status.success(), text)
        }
        Err(e) => (false, format!("cannot run {command:?}: {e}")),
    }
}

fn test_linux(root: &Path, log_dir: &Path, target: &Target) -> Outcome {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    for (i, set) in targets::TEST_SETS.iter().enumerate() {
        let args = [&["test", "--no-fail-fast"][..], set].concat();
        let log = log_dir.join(format!("{}-{i}.log", target.triple));
        let (success, output) = run_logged(cargo(root, target, &args), &log);
        let binaries = parse_test_output(&output, &["Running ", "Doc-tests "], &mut outcome);
        if binaries == 0 {
            outcome.problems.push(format!(
                "`cargo {}` ran no test binary (log: {})",
                args.join(" "),
                log.display()
            ));
        }
        if !success && outcome.failed == 0 {
            outcome.problems.push(format!(
                "`cargo {}` failed (log: {})",
                args.join(" "),
                log.display()
            ));
        }
    }
    if outcome.ran() == 0 {
        outcome.problems.push("no test ran".into());
    }
    outcome.seconds = start.elapsed().as_secs_f64();
    outcome
}

/// Adds the counts of libtest's `test result:` lines and the `barecall-skip:` lines of `output`
/// to `outcome`; returns the number of test binaries that reported a result. A binary that
/// started (a line beginning with one of `start_markers`) and reported no result is a problem.
pub fn parse_test_output(output: &str, start_markers: &[&str], outcome: &mut Outcome) -> usize {
    let mut started = Vec::new();
    let mut results = 0;
    for line in output.lines() {
        let line = line.trim();
        if start_markers.iter().any(|marker| line.starts_with(marker)) {
            started.push(line.to_owned());
        } else if let Some(rest) = line.strip_prefix("test result: ") {
            results += 1;
            outcome.passed += count(rest, "passed");
            outcome.failed += count(rest, "failed");
            outcome.ignored += count(rest, "ignored");
        } else if let Some(ops) = line.strip_prefix("barecall-differential-ops: ") {
            outcome.differential_ops += ops.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(rest) = line.strip_prefix("barecall-skip: ") {
            let (test, reason) = rest.split_once(": ").unwrap_or((rest, "no reason given"));
            outcome.skipped.push((test.to_owned(), reason.to_owned()));
        }
    }
    if started.len() != results {
        outcome.problems.push(format!(
            "{} test binaries started but {} reported a result",
            started.len(),
            results
        ));
    }
    results
}

/// The number before `word` in `3 passed; 0 failed; ...`.
fn count(result: &str, word: &str) -> u64 {
    result
        .split(';')
        .filter_map(|part| {
            let mut words = part.split_whitespace().rev();
            let last = words.next()?;
            let number = words.next()?;
            if last == word {
                number.parse::<u64>().ok()
            } else {
                None
            }
        })
        .sum()
}

fn build_bare_metal(root: &Path, log_dir: &Path, target: &Target) -> Outcome {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    for (i, args) in BUILDS.iter().enumerate() {
        let log = log_dir.join(format!("{}-{i}.log", target.triple));
        let (success, _) = run_logged(cargo(root, target, args), &log);
        if !success {
            outcome.problems.push(format!(
                "`cargo {}` failed (log: {})",
                args.join(" "),
                log.display()
            ));
        }
    }
    if target.triple.starts_with("aarch64") {
        check_sve_build(root, log_dir, target, &mut outcome);
    }
    outcome.seconds = start.elapsed().as_secs_f64();
    outcome
}

/// With the `sve` target feature every `svc` declares the SVE predicate registers clobbered
/// (`arch/aarch64.rs`): that build must compile, and without LLVM's warning about reserved
/// registers in a clobber list.
fn check_sve_build(root: &Path, log_dir: &Path, target: &Target, outcome: &mut Outcome) {
    let mut command = cargo(root, target, BUILDS[0]);
    command
        .args(["--config", "build.rustflags=[\"-Ctarget-feature=+sve\"]"])
        .arg("--target-dir")
        .arg(root.join("target/sve"));
    let log = log_dir.join(format!("{}-sve.log", target.triple));
    let (success, output) = run_logged(command, &log);
    if !success || output.contains("warning") {
        outcome.problems.push(format!(
            "the build with target feature sve failed or warned (log: {})",
            log.display()
        ));
    }
}

/// Every Linux target must run the host's number of tests: a difference means tests were lost
/// (or gained) somewhere, which a green table would hide.
fn compare_with_host(rows: &mut [(&Target, Outcome)]) {
    let Some(host_count) = rows
        .iter()
        .find(|(t, _)| t.kind == Kind::Native)
        .map(|(_, o)| o.ran())
    else {
        println!("note: the host target was not run, so test counts are not compared");
        return;
    };
    for (target, outcome) in rows.iter_mut() {
        if target.kind == Kind::QemuUser && outcome.ran() != host_count {
            outcome.problems.push(format!(
                "ran {} tests, the host ran {host_count}",
                outcome.ran()
            ));
        }
    }
}

fn print_table(rows: &[(&Target, Outcome)]) {
    println!();
    println!(
        "| target | mode | passed | failed | skipped | differential ops | examples | hello B | tiny B | seconds | result |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for (target, outcome) in rows {
        let result = if outcome.ok() { "ok" } else { "FAILED" };
        if target.kind == Kind::BareMetal {
            println!(
                "| {} | {} | builds | {} | - | - | - | - | - | {:.1} | {result} |",
                target.triple,
                target.mode,
                outcome.problems.len(),
                outcome.seconds
            );
            continue;
        }
        // libtest counts a test that reported a skip as passed; it is not.
        let skips = outcome.skipped.len() as u64;
        let mut real_passed = outcome.passed.saturating_sub(skips);
        let mut real_failed = outcome.failed;
        let (mut examples, mut hello, mut tiny) = ("-".to_owned(), "-".to_owned(), "-".to_owned());
        if let Some(report) = &outcome.examples {
            let checks = report.checks_passed + report.problems.len();
            examples = format!("{}/{checks}", report.checks_passed);
            real_passed += report.checks_passed as u64;
            real_failed += report.problems.len() as u64;
            let bytes = |b: Option<u64>| b.map_or("-".to_owned(), |b| b.to_string());
            hello = bytes(report.hello_bytes);
            tiny = bytes(report.tiny_bytes);
        }
        passed += real_passed;
        failed += real_failed;
        skipped += skips + outcome.ignored;
        println!(
            "| {} | {} | {} | {} | {} | {} | {examples} | {hello} | {tiny} | {:.1} | {result} |",
            target.triple,
            target.mode,
            real_passed,
            real_failed,
            skips + outcome.ignored,
            outcome.differential_ops,
            outcome.seconds
        );
    }
    println!();
    println!("qemu-test: {passed} passed, {failed} failed, {skipped} skipped");
}
