//! `cargo xtask qemu-test`: the whole suite on every target, and a table of what ran.
//!
//! The harness must not lie. It lists the test binaries (`cargo test --no-run`) and runs each
//! itself, natively or under the target's qemu-user, under a timeout (`test_binaries.rs`): a
//! hang fails by the binary's name, with its last output. Its environment is the harness's:
//! every `QEMU_*` (one of them makes qemu print its version and exit 0 without running
//! anything) and `BARECALL_*` variable is removed, `BARECALL_QEMU_USER=1` is set under qemu,
//! and a `BARECALL_SEED` the caller gave is passed on, and said so. A binary that printed no
//! result fails, and each binary must run as many tests as it does natively (the native suite
//! is run for the counts when the host target is not selected). Tests that could not run
//! report themselves on a `barecall-skip: NAME: REASON` line; they are counted as skipped,
//! never as passed, and only qemu-user may skip, for what it does not implement. The
//! differential test must compare enough operations.
use crate::freestanding;
use crate::guard;
use crate::setup;
use crate::targets::{self, Kind, Target};
use crate::test_binaries::{self, TestBinary};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Bounds on one test binary's run: generous (the 2 cores may be shared, qemu emulates each
/// instruction), but finite. Past 60 s libtest names the test still running, so a hung test
/// shows in the output the report ends with.
const NATIVE_TIMEOUT: Duration = Duration::from_secs(120);
const QEMU_TIMEOUT: Duration = Duration::from_secs(300);
/// `cargo test --doc` compiles every doctest before running it.
const DOC_TESTS_TIMEOUT: Duration = Duration::from_secs(600);

/// The fewest operations the differential test must compare natively, and on an emulated CPU
/// (qemu-user, vm-test's machines): its own defaults, so a test that stops early fails.
pub const MIN_DIFFERENTIAL_OPS_NATIVE: u64 = 10_000;
pub const MIN_DIFFERENTIAL_OPS_EMULATED: u64 = 2_000;

/// The reasons a qemu-user run may skip a test for: what qemu-user does not implement. A
/// native run (and a real kernel in vm-test) may skip nothing.
const QEMU_USER_SKIP_REASONS: &[&str] = &[
    "ENOSYS under qemu-user",
    "qemu-user refuses seccomp filters",
    "qemu-user's F_GETFL drops O_LARGEFILE",
    "faccessat2 is missing (qemu-user)",
    "qemu-user truncates a 32-bit guest's mmap offsets past 4 GiB",
    "qemu-user answers an unknown ioctl with ENOSYS",
    "qemu-user does not pass this limit on to the kernel",
    "qemu-user treats MAP_FIXED_NOREPLACE as a hint",
    "qemu-user misrecords 32-bit guests' page protections after an in-place mremap",
    // tests/mm.rs's `kernel_answer`: qemu's answer, then Linux's (measured natively).
    "qemu-user answers Ok(()) where Linux answers Err(ENOMEM)",
    "qemu-user answers Err(ENOMEM) where Linux answers Err(EINVAL)",
    "qemu-user answers getdents64 with a count of 0 with ENOMEM, not EINVAL",
    // event (issue 15): epoll_create1's flags go through qemu's own table.
    "qemu-user drops flag bits it does not know",
    // ---- net (issue 15) ----
    "no IPv6 loopback (::1) here",
    "qemu-user drops unknown SOCK_* flag bits",
    "qemu-user leaks fds that do not fit the control buffer, without MSG_CTRUNC",
    // ---- end net ----
];

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
    /// The tests each binary ran (passed, failed or ignored), by [`TestBinary::name`].
    pub binaries: BTreeMap<String, u64>,
    /// Operations the differential test compared with libc (`barecall-differential-ops: N`).
    pub differential_ops: u64,
    /// Operations the fs differential test compared (`barecall-fs-differential-ops: N`).
    pub fs_differential_ops: u64,
    /// Operations the mm differential test compared (`barecall-mm-differential-ops: N`).
    pub mm_differential_ops: u64,
    /// Operations the event differential test compared (`barecall-event-differential-ops: N`).
    pub event_differential_ops: u64,
    /// Operations the net differential test compared (`barecall-net-differential-ops: N`).
    pub net_differential_ops: u64,
    /// Operations the futex differential test compared (`barecall-futex-differential-ops: N`).
    pub futex_differential_ops: u64,
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

    announce_seed();
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

    compare_with_native(&root, &log_dir, &mut rows);
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

/// A cargo command for `target` in the workspace, in the harness's environment.
fn cargo(root: &Path, target: &Target, args: &[&str]) -> Command {
    let mut command = setup::cargo(root);
    command.args(args).args(["--target", target.triple]);
    test_binaries::set_environment(&mut command);
    command
}

/// Says that a seed from the caller's environment is passed on to every run.
pub fn announce_seed() {
    if let Some(seed) = test_binaries::given_seed() {
        println!(
            "note: {}={seed} was given: every test binary runs with it",
            test_binaries::SEED_VARIABLE
        );
    }
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
    let logs = log_dir.join(target.triple);
    if let Err(e) = std::fs::create_dir_all(&logs) {
        outcome.problems.push(format!("{}: {e}", logs.display()));
    }
    for (i, set) in targets::TEST_SETS.iter().enumerate() {
        let args = [&["test", "--no-run", "--message-format", "json"][..], set].concat();
        match test_binaries::list(cargo(root, target, &args), i) {
            Ok(binaries) => {
                for binary in &binaries {
                    let command = test_command(target, binary);
                    let timeout = if target.qemu.is_some() {
                        QEMU_TIMEOUT
                    } else {
                        NATIVE_TIMEOUT
                    };
                    run_and_parse(&binary.name, command, timeout, &logs, &mut outcome);
                }
            }
            Err(e) => outcome.problems.push(e),
        }
    }
    for (name, set) in targets::DOC_TEST_SETS {
        // Under qemu, `.cargo/config.toml`'s runner runs them and sets BARECALL_QEMU_USER.
        let command = cargo(root, target, &[&["test", "--doc"][..], set].concat());
        run_and_parse(name, command, DOC_TESTS_TIMEOUT, &logs, &mut outcome);
    }
    check_skips(target.kind == Kind::QemuUser, &mut outcome);
    let min_ops = if target.qemu.is_some() {
        MIN_DIFFERENTIAL_OPS_EMULATED
    } else {
        MIN_DIFFERENTIAL_OPS_NATIVE
    };
    check_differential_ops(min_ops, &mut outcome);
    if outcome.ran() == 0 {
        outcome.problems.push("no test ran".into());
    }
    outcome.seconds = start.elapsed().as_secs_f64();
    outcome
}

/// The command that runs `binary` as `cargo test` would (in its package's directory), but in
/// the harness's environment; for a cross target under its qemu-user, as the runner of
/// `.cargo/config.toml` does.
fn test_command(target: &Target, binary: &TestBinary) -> Command {
    let mut command = match (target.qemu, target.qemu_sysroot()) {
        (Some(qemu), Some(sysroot)) => {
            let mut command = Command::new(qemu);
            command.args(["-L", sysroot]).arg(&binary.path);
            command
        }
        _ => Command::new(&binary.path),
    };
    command.current_dir(&binary.dir);
    test_binaries::set_environment(&mut command);
    if target.qemu.is_some() {
        command.env("BARECALL_QEMU_USER", "1");
    }
    command
}

/// Runs one test binary (or `cargo test --doc`) under `timeout`, logs its output to
/// `logs/NAME.log`, and adds what it reported to `outcome`.
///
/// The tests' report lines (skips, operation counts) are read from a file of their own,
/// `logs/NAME.report`, which the tests append to: stdout and stderr arrive through two
/// pipes, and what is read from them is only as good as their interleaving.
fn run_and_parse(
    name: &str,
    mut command: Command,
    timeout: Duration,
    logs: &Path,
    outcome: &mut Outcome,
) {
    let report = logs.join(format!("{name}.report"));
    let _ = std::fs::remove_file(&report);
    command.env(test_binaries::REPORT_FILE_VARIABLE, &report);
    let finished = match test_binaries::run_bounded(command, timeout) {
        Ok(finished) => finished,
        Err(e) => {
            outcome.problems.push(format!("{name}: {e}"));
            return;
        }
    };
    let log = logs.join(format!("{name}.log"));
    let _ = std::fs::write(&log, &finished.output);
    let failed_before = outcome.failed;
    let reported = parse_results(name, &finished.output, outcome);
    // No file: the binary reported nothing, which the counts' checks then catch.
    parse_report_lines(
        &std::fs::read_to_string(&report).unwrap_or_default(),
        outcome,
    );
    let tail = test_binaries::tail(&finished.output, test_binaries::TAIL_LINES);
    if finished.timed_out {
        outcome.problems.push(format!(
            "{name} did not finish within {} s and was killed (log: {}); its last output:{tail}",
            timeout.as_secs(),
            log.display()
        ));
    } else if !reported {
        outcome.problems.push(format!(
            "{name} printed no test result (log: {}); its last output:{tail}",
            log.display()
        ));
    } else if !finished.success && outcome.failed == failed_before {
        outcome.problems.push(format!(
            "{name} failed although no test did (log: {}); its last output:{tail}",
            log.display()
        ));
    }
}

/// Adds the counts of libtest's `test result:` lines and the `barecall-skip:` and
/// `barecall-differential-ops:` lines of test binary `name`'s `output` to `outcome`, and the
/// number of tests it ran to `outcome.binaries`; returns whether it reported a result. For a
/// run whose report lines went to a file of their own, see [`parse_results`] and
/// [`parse_report_lines`].
pub fn parse_binary_output(name: &str, output: &str, outcome: &mut Outcome) -> bool {
    parse_report_lines(output, outcome);
    parse_results(name, output, outcome)
}

/// Adds the counts of libtest's `test result:` lines of test binary `name`'s `output` to
/// `outcome`, the number of tests it ran to `outcome.binaries`, and each panic to its
/// problems; returns whether it reported a result.
pub fn parse_results(name: &str, output: &str, outcome: &mut Outcome) -> bool {
    let mut reported = false;
    let mut ran = 0;
    for line in output.lines() {
        if let Some(rest) = line.trim().strip_prefix("test result: ") {
            reported = true;
            let (passed, failed, ignored) = (
                count(rest, "passed"),
                count(rest, "failed"),
                count(rest, "ignored"),
            );
            outcome.passed += passed;
            outcome.failed += failed;
            outcome.ignored += ignored;
            ran += passed + failed + ignored;
        }
    }
    if reported {
        outcome.binaries.insert(name.to_owned(), ran);
    }
    for panic in panics(output) {
        outcome.problems.push(format!("{name}: {panic}"));
    }
    reported
}

/// Adds the tests' own report lines in `text` (`barecall-skip:` and the differentials'
/// `barecall-*-ops:`) to `outcome`.
pub fn parse_report_lines(text: &str, outcome: &mut Outcome) {
    for line in text.lines() {
        let line = line.trim();
        if let Some(ops) = after(line, "barecall-differential-ops: ") {
            outcome.differential_ops += ops.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(ops) = after(line, "barecall-fs-differential-ops: ") {
            outcome.fs_differential_ops += ops.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(ops) = after(line, "barecall-mm-differential-ops: ") {
            outcome.mm_differential_ops += ops.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(ops) = after(line, "barecall-event-differential-ops: ") {
            outcome.event_differential_ops += ops.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(ops) = after(line, "barecall-net-differential-ops: ") {
            outcome.net_differential_ops += ops.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(ops) = after(line, "barecall-futex-differential-ops: ") {
            outcome.futex_differential_ops += ops.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(rest) = after(line, "barecall-skip: ") {
            let (test, reason) = rest.split_once(": ").unwrap_or((rest, "no reason given"));
            outcome.skipped.push((test.to_owned(), reason.to_owned()));
        }
    }
}

/// Each test panic in `output`, with its message and the seed lines of the differentials, so
/// that a failure on a machine whose logs are gone (CI's) can still be repeated.
fn panics(output: &str) -> Vec<String> {
    let lines: Vec<&str> = output.lines().map(str::trim).collect();
    let seeds: Vec<&str> = lines
        .iter()
        .filter_map(|line| line.find("-seed: ").map(|_| *line))
        .collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(at) = line.find("panicked at ") else {
            continue;
        };
        let message: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| !l.is_empty() && !l.starts_with("stack backtrace:"))
            .take_while(|l| !l.starts_with("note: run with `RUST_BACKTRACE"))
            .take(PANIC_MESSAGE_LINES)
            .copied()
            .collect();
        let mut text = format!("{}: {}", &line[..at].trim_end(), &line[at..]);
        for part in message.iter().chain(&seeds) {
            text.push_str("\n        ");
            text.push_str(part);
        }
        found.push(text);
    }
    found
}

/// How much of a panic's message a problem line carries (a shrunk differential sequence is a
/// few dozen lines).
const PANIC_MESSAGE_LINES: usize = 60;

/// What follows `marker` in `line`. The tests write these lines to stderr in one `write`, which
/// may land in the middle of a line of libtest's on stdout: the marker need not start the line.
fn after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    line.find(marker).map(|i| &line[i + marker.len()..])
}

/// Only qemu-user may skip a test, and only for what it does not implement.
pub fn check_skips(qemu_user: bool, outcome: &mut Outcome) {
    for (test, reason) in &outcome.skipped {
        if !qemu_user {
            outcome.problems.push(format!(
                "{test} skipped ({reason}): only a qemu-user run may skip"
            ));
        } else if !QEMU_USER_SKIP_REASONS.contains(&reason.as_str()) {
            outcome.problems.push(format!(
                "{test} skipped for an unknown reason ({reason}); known: {}",
                QEMU_USER_SKIP_REASONS.join(", ")
            ));
        }
    }
}

/// The differential tests (io's, fs's, mm's, event's, net's and futex's) print how many
/// operations they compared: too few is a failure.
pub fn check_differential_ops(min: u64, outcome: &mut Outcome) {
    for (test, ops) in [
        ("differential", outcome.differential_ops),
        ("fs_differential", outcome.fs_differential_ops),
        ("mm_differential", outcome.mm_differential_ops),
        ("event_differential", outcome.event_differential_ops),
        ("net_differential", outcome.net_differential_ops),
        ("futex_differential", outcome.futex_differential_ops),
    ] {
        if ops < min {
            outcome.problems.push(format!(
                "the {test} test compared {ops} operations, fewer than {min}"
            ));
        }
    }
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

/// Every qemu-user target must run each binary's native number of tests: a difference means
/// tests were lost (or gained) somewhere, which a green table would hide.
fn compare_with_native(root: &Path, log_dir: &Path, rows: &mut [(&Target, Outcome)]) {
    if !rows.iter().any(|(t, _)| t.kind == Kind::QemuUser) {
        return;
    }
    let reference = match rows.iter().find(|(t, _)| t.kind == Kind::Native) {
        Some((_, outcome)) => Ok(outcome.binaries.clone()),
        None => native_reference(root, log_dir),
    };
    for (target, outcome) in rows.iter_mut() {
        if target.kind == Kind::QemuUser {
            compare_with_reference(target, &reference, outcome, true);
        }
    }
}

/// [`compare_counts`] with the native run's counts (or its failure), printing what differs:
/// the target's own report is printed before the native counts are known.
pub fn compare_with_reference(
    target: &Target,
    reference: &Result<BTreeMap<String, u64>, String>,
    outcome: &mut Outcome,
    with_doctests: bool,
) {
    let before = outcome.problems.len();
    match reference {
        Ok(reference) => compare_counts(reference, outcome, with_doctests),
        Err(e) => outcome.problems.push(e.clone()),
    }
    for problem in &outcome.problems[before..] {
        println!("    problem: {}: {problem}", target.triple);
    }
}

/// Runs the native suite for its per-binary counts, which every other tier must match.
pub fn native_reference(root: &Path, log_dir: &Path) -> Result<BTreeMap<String, u64>, String> {
    let native = targets::TARGETS
        .iter()
        .find(|t| t.kind == Kind::Native)
        .ok_or("no native target")?;
    println!("==> {} (native): the reference counts", native.triple);
    let outcome = test_linux(root, log_dir, native);
    println!("<== {} (native): {:.1}s", native.triple, outcome.seconds);
    if outcome.failed == 0 && outcome.problems.is_empty() {
        Ok(outcome.binaries)
    } else {
        Err(format!(
            "the native run that the counts are compared with failed: {} failed; {}",
            outcome.failed,
            outcome.problems.join("; ")
        ))
    }
}

/// Adds a problem to `outcome` for each test binary that ran another number of tests than in
/// `reference` (the native run), did not run, or ran only here. Doctests are compared only
/// `with_doctests` (vm-test runs none).
fn compare_counts(reference: &BTreeMap<String, u64>, outcome: &mut Outcome, with_doctests: bool) {
    let is_doctests = |name: &str| targets::DOC_TEST_SETS.iter().any(|(n, _)| *n == name);
    for (name, &native) in reference {
        if !with_doctests && is_doctests(name) {
            continue;
        }
        match outcome.binaries.get(name) {
            Some(&ran) if ran == native => {}
            Some(&ran) => outcome
                .problems
                .push(format!("{name} ran {ran} tests, natively {native}")),
            None => outcome.problems.push(format!(
                "{name} reported no result; natively it ran {native} tests"
            )),
        }
    }
    let extra: Vec<String> = outcome
        .binaries
        .keys()
        .filter(|name| !reference.contains_key(*name))
        .map(|name| format!("{name} ran, but is no native test binary"))
        .collect();
    outcome.problems.extend(extra);
}

fn print_table(rows: &[(&Target, Outcome)]) {
    println!();
    println!(
        "| target | mode | passed | failed | skipped | differential ops (io / fs / event / net / futex) | examples | hello B | tiny B | seconds | result |"
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
            "| {} | {} | {} | {} | {} | {} / {} / {} / {} / {} | {examples} | {hello} | {tiny} | {:.1} | {result} |",
            target.triple,
            target.mode,
            real_passed,
            real_failed,
            skips + outcome.ignored,
            outcome.differential_ops,
            outcome.fs_differential_ops,
            outcome.event_differential_ops,
            outcome.net_differential_ops,
            outcome.futex_differential_ops,
            outcome.seconds
        );
    }
    println!();
    println!("qemu-test: {passed} passed, {failed} failed, {skipped} skipped");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_line_glued_to_a_libtest_line_is_read() {
        let output = "test random ... okbarecall-differential-ops: 10004\n\n\
                      test x ... barecall-skip: x: ENOSYS under qemu-user\nok\n\
                      test result: ok. 2 passed; 0 failed; 1 ignored; 0 measured\n";
        let mut outcome = Outcome::default();
        assert!(parse_binary_output("differential-0", output, &mut outcome));
        assert_eq!(outcome.differential_ops, 10004);
        assert_eq!(outcome.skipped.len(), 1);
        assert_eq!(outcome.binaries["differential-0"], 3);
    }

    #[test]
    fn a_panic_is_a_problem_with_its_message_and_the_seed() {
        let output = "barecall-event-differential-seed: 0x2a (BARECALL_SEED=0x2a repeats this run)
                      running 2 tests
                      thread 'random' (12987) panicked at tests/event_differential.rs:9:17:
                      eventfd never failed in both
                      note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
                      test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured
";
        let mut outcome = Outcome::default();
        assert!(parse_binary_output(
            "event_differential-0",
            output,
            &mut outcome
        ));
        assert_eq!(outcome.failed, 1);
        assert_eq!(outcome.problems.len(), 1, "{:?}", outcome.problems);
        let problem = &outcome.problems[0];
        assert!(problem.starts_with("event_differential-0: thread 'random' (12987): panicked at tests/event_differential.rs:9:17:"), "{problem}");
        assert!(
            problem.contains("\n        eventfd never failed in both\n"),
            "{problem}"
        );
        assert!(
            problem.ends_with("BARECALL_SEED=0x2a repeats this run)"),
            "{problem}"
        );
        assert!(!problem.contains("RUST_BACKTRACE"), "{problem}");
    }

    #[test]
    fn the_event_differential_marker_is_counted_and_checked() {
        let output = "barecall-event-differential-ops: 1999
                      test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured
";
        let mut outcome = Outcome::default();
        assert!(parse_binary_output(
            "event_differential-0",
            output,
            &mut outcome
        ));
        assert_eq!(outcome.event_differential_ops, 1999);
        outcome.differential_ops = 2000;
        outcome.fs_differential_ops = 2000;
        outcome.mm_differential_ops = 2000;
        outcome.net_differential_ops = 2000;
        outcome.futex_differential_ops = 2000;
        check_differential_ops(2000, &mut outcome);
        assert_eq!(outcome.problems.len(), 1, "{:?}", outcome.problems);
        assert!(outcome.problems[0].contains("event_differential"));
    }

    #[test]
    fn the_net_differential_marker_is_counted_and_checked() {
        let output = "test tcp ... barecall-net-differential-ops: 1500\nok\n\
                      test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured\n";
        let mut outcome = Outcome::default();
        assert!(parse_binary_output(
            "net_differential-0",
            output,
            &mut outcome
        ));
        assert_eq!(outcome.net_differential_ops, 1500);
        assert_eq!(outcome.event_differential_ops, 0);
        outcome.differential_ops = 2000;
        outcome.fs_differential_ops = 2000;
        outcome.mm_differential_ops = 2000;
        outcome.event_differential_ops = 2000;
        outcome.futex_differential_ops = 2000;
        check_differential_ops(2000, &mut outcome);
        assert_eq!(outcome.problems.len(), 1, "{:?}", outcome.problems);
        assert!(outcome.problems[0].contains("net_differential"));
    }

    #[test]
    fn the_futex_differential_marker_is_counted_and_checked() {
        let output = "test random ... barecall-futex-differential-ops: 1998\nok\n\
                      test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured\n";
        let mut outcome = Outcome::default();
        assert!(parse_binary_output(
            "futex_differential-0",
            output,
            &mut outcome
        ));
        assert_eq!(outcome.futex_differential_ops, 1998);
        assert_eq!(outcome.event_differential_ops, 0);
        assert_eq!(outcome.net_differential_ops, 0);
        outcome.differential_ops = 2000;
        outcome.fs_differential_ops = 2000;
        outcome.mm_differential_ops = 2000;
        outcome.event_differential_ops = 2000;
        outcome.net_differential_ops = 2000;
        check_differential_ops(2000, &mut outcome);
        assert_eq!(outcome.problems.len(), 1, "{:?}", outcome.problems);
        assert!(outcome.problems[0].contains("futex_differential"));
        // Enough: no problem.
        outcome.problems.clear();
        outcome.futex_differential_ops = 2000;
        check_differential_ops(2000, &mut outcome);
        assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
    }
}
