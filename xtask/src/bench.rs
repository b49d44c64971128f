//! `cargo xtask bench`: builds `bench/` (barecall-bench) and measures barecall against
//! hand-written asm, rustix, libc and std; prints markdown tables (also written to
//! `target/xtask/bench.md`).
//!
//! - Instructions per call, with `valgrind --tool=callgrind --collect-atstart=yes`: each
//!   benchmark runs `K` calls and then 0 calls (everything else the same), and the difference of
//!   the two programs' total instruction counts, divided by `K`, is the cost of one call. In the
//!   release profile (no LTO, 16 codegen units) and in `bench-lto` (fat LTO, one codegen unit),
//!   each single-threaded and with a second thread parked for the whole run. Every operation
//!   twice: with a failure ending the run, and (`OP/match` in the benchmark list) in a `match`
//!   whose `Err` arm is a cold handler that returns, as user code usually takes a result.
//! - Wall time per call: the benchmark's `time` mode (implementations interleaved in one
//!   process, medians over repetitions, ratios taken within each repetition), release profile.
//! - Echo round trips per second over TCP loopback: one epoll loop through barecall against the
//!   same generic loop through std's `TcpStream` and libc's epoll (the benchmark's `echo` mode),
//!   release profile.
//! - Clean compile time of throwaway crates, release profile, each in a fresh target directory,
//!   alternating: barecall's io alone (default features off) against rustix with `fs` and
//!   `pipe`, and barecall's `all-apis` against rustix with the same modules.
//!
//! Installs valgrind with apt-get when it is missing and this runs as root.

use crate::setup::{self, have_command};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The implementations, in table order; `asm` is the floor the others are divided by.
const IMPLS: &[&str] = &["asm", "barecall", "rustix", "libc", "std"];

/// What each operation does, for the tables.
const OPS: &[(&str, &str)] = &[
    ("write", "`write` 1 byte to /dev/null"),
    ("write_file", "the same, fd passed as `&File`"),
    ("read", "`read` 1 byte from /dev/zero"),
    ("pread", "`pread` 1 byte at offset 0"),
    (
        "pread_var",
        "the same, offset (0) not known at compile time",
    ),
    ("pwrite", "`pwrite` 1 byte at offset 0"),
    ("readv", "`readv` 4 × 1 byte from /dev/zero"),
    ("writev", "`writev` 4 × 1 byte to /dev/null"),
    ("dup3_close", "`dup3`, then `close`"),
    ("fcntl_getfd", "`fcntl_getfd`"),
    ("ioctl_fionread", "`ioctl_fionread` on a pipe"),
    (
        "fstat",
        "`fstat` of a 1-byte file, `st_size` kept (std: `File::metadata`, which is `statx`)",
    ),
    ("fcntl_getfl", "`fcntl_getfl`"),
    ("getrandom", "`getrandom` 1 byte"),
    (
        "mmap_munmap",
        "`mmap_anonymous` of one page, then `munmap` (the pair)",
    ),
    (
        "epoll_wait",
        "`epoll::wait`, one ready event (a pipe), zero timeout",
    ),
    (
        "futex_wake",
        "`futex::wake` of one waiter, with none waiting",
    ),
    (
        "send_recv",
        "`send` 1 byte on a unix socketpair, then `recv` it",
    ),
    (
        "mutex_lock_unlock",
        "`sync::Mutex` lock, read, unlock, uncontended (std: `std::sync::Mutex`)",
    ),
    (
        "spawn_join",
        "spawn a thread (2 MiB stack) that hands back 1, join it (barecall: `spawn_raw`; std: \
         `thread::spawn`, glibc's pthreads)",
    ),
];

/// The two ways each benchmark loop takes a call's result (`bench/src/pattern.rs`): the suffix
/// of the operation's name in the benchmark list, and what the tables append to its label. The
/// first ends the run on a failure; the second is `match r { Ok(v) => black_box(v), Err(e) =>
/// cold_handler(e) }`, whose cold handler returns, so that the two arms rejoin.
const PATTERNS: &[(&str, &str)] = &[("", ""), ("/match", " (`match`, cold `Err` arm)")];

/// Every row of the tables: the operation's name in the benchmark list, and its label; each
/// operation in the first pattern, then each in the second.
fn table_rows() -> Vec<(String, String)> {
    PATTERNS
        .iter()
        .flat_map(|(suffix, note)| {
            OPS.iter()
                .map(move |(op, label)| (format!("{op}{suffix}"), format!("{label}{note}")))
        })
        .collect()
}

/// The two builds: cargo profile and the name the tables use.
const BUILDS: &[(&str, &str)] = &[
    ("release", "release (no LTO, 16 codegen units)"),
    ("bench-lto", "fat LTO, 1 codegen unit"),
];

/// The two states: extra argument of the benchmark binary, and the name the tables use.
const STATES: &[(Option<&str>, &str)] = &[
    (None, "single-threaded"),
    (Some("--thread"), "second thread alive"),
];

/// Instructions per call, by `(operation, implementation)`.
type Counts = BTreeMap<(String, String), f64>;

/// The parts of the run, for `--only`.
const PARTS: &[&str] = &["count", "time", "echo", "compile", "sort"];

/// Options of `cargo xtask bench`.
struct Options {
    /// Calls per callgrind run.
    calls: u64,
    /// Calls per round of the wall-time mode.
    time_calls: u64,
    /// Repetitions of the wall-time mode.
    reps: u64,
    /// Clean builds of each crate for the compile-time ratio.
    compile_reps: usize,
    /// Runs of each `sort` for the sort ratio.
    sort_reps: usize,
    /// Which parts to run.
    parts: Vec<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            calls: 100_000,
            time_calls: 2_000,
            reps: 201,
            compile_reps: 5,
            sort_reps: 11,
            parts: Vec::new(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut number = |name: &str| -> Result<u64, String> {
                args.next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&v| v > 0)
                    .ok_or_else(|| format!("bench: {name} needs a positive number"))
            };
            match arg.as_str() {
                "--calls" => options.calls = number("--calls")?,
                "--time-calls" => options.time_calls = number("--time-calls")?,
                "--reps" => options.reps = number("--reps")?,
                "--compile-reps" => options.compile_reps = number("--compile-reps")? as usize,
                "--sort-reps" => options.sort_reps = number("--sort-reps")? as usize,
                "--only" => {
                    let part = args.next().ok_or("bench: --only needs a part")?;
                    if !PARTS.contains(&part.as_str()) {
                        return Err(format!("bench: --only takes one of {}", PARTS.join(", ")));
                    }
                    options.parts.push(part.clone());
                }
                other => return Err(format!("bench: unknown option {other}")),
            }
        }
        if options.parts.is_empty() {
            options.parts = PARTS.iter().map(|p| p.to_string()).collect();
        }
        Ok(options)
    }

    fn runs(&self, part: &str) -> bool {
        self.parts.iter().any(|p| p == part)
    }
}

pub fn run(args: &[String]) -> Result<bool, String> {
    let options = Options::parse(args)?;
    if std::env::consts::ARCH != "x86_64" {
        return Err("bench: the asm floor is written for x86_64 only".into());
    }
    let root = crate::workspace_root();
    let started = Instant::now();
    let mut out = String::new();
    let _ = writeln!(out, "{}", machine());

    let target_dir = target_directory(&root)?;
    let mut binaries = Vec::new();
    for (profile, _) in BUILDS {
        if *profile != "release" && !options.runs("count") {
            continue;
        }
        eprintln!("bench: building barecall-bench ({profile})");
        setup::run(
            setup::cargo(&root)
                .args([
                    "build",
                    "--quiet",
                    "--package",
                    "barecall-bench",
                    "--profile",
                ])
                .arg(profile),
        )?;
        let binary = target_dir.join(profile).join("barecall-bench");
        setup::run_output(Command::new(&binary).arg("check"))?;
        binaries.push((*profile, binary));
    }
    let release = &binaries[0].1;

    if options.runs("count") {
        ensure_valgrind()?;
        let list = setup::run_output(Command::new(release).arg("list"))?;
        let benches: Vec<(String, String)> = list
            .lines()
            .filter_map(|line| line.split_once(' '))
            .map(|(op, imp)| (op.to_owned(), imp.to_owned()))
            .collect();
        let log_dir = root.join("target/xtask");
        std::fs::create_dir_all(&log_dir).map_err(|e| format!("{}: {e}", log_dir.display()))?;
        let mut all = Vec::new();
        for ((profile, binary), (_, build_name)) in binaries.iter().zip(BUILDS) {
            for (flag, state_name) in STATES {
                eprintln!("bench: callgrind, {profile}, {state_name}");
                let mut counts = BTreeMap::new();
                for (op, imp) in &benches {
                    // A thread's start and end is thousands of instructions, and slow
                    // under valgrind: a hundredth of the calls counts it as exactly.
                    let calls = if op.starts_with("spawn_join") {
                        (options.calls / 100).max(1)
                    } else {
                        options.calls
                    };
                    let per_call = count(binary, op, imp, *flag, calls, &log_dir)?;
                    counts.insert((op.clone(), imp.clone()), per_call);
                }
                out.push_str(&count_table(
                    &format!("Instructions per call: {build_name}, {state_name}"),
                    &counts,
                ));
                all.push((format!("{profile}, {state_name}"), counts));
            }
        }
        out.push_str(&count_summary(&all));
    }

    if options.runs("time") {
        let mut summaries = Vec::new();
        for (flag, state_name) in STATES {
            eprintln!("bench: wall time, {state_name}");
            let mut command = Command::new(release);
            command.args(["time", "--calls"]);
            command.arg(options.time_calls.to_string()).arg("--reps");
            command.arg(options.reps.to_string()).args(flag);
            let output = setup::run_output(&mut command)?;
            let rows = parse_time(&output);
            out.push_str(&time_table(
                &format!(
                    "Wall time per call, ns: release, {state_name} (median of {} rounds of {} calls)",
                    options.reps, options.time_calls
                ),
                &rows,
            ));
            summaries.push((*state_name, rows));
        }
        out.push_str(&time_summary(&summaries));
    }

    if options.runs("echo") {
        eprintln!("bench: echo round trips");
        let output = setup::run_output(Command::new(release).args(["echo", "--reps", "21"]))?;
        out.push_str(&echo_table(&output)?);
    }

    if options.runs("compile") {
        out.push_str(&compile_times(&root, options.compile_reps)?);
    }

    if options.runs("sort") {
        let std_sort = target_dir.join("release/sort-std");
        out.push_str(&sort_times(&root, &std_sort, options.sort_reps)?);
    }

    let _ = writeln!(
        out,
        "Reproduce with `cargo xtask bench` ({:.0} s for this run).",
        started.elapsed().as_secs_f64()
    );
    print!("{out}");
    let report = root.join("target/xtask/bench.md");
    if let Some(dir) = report.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    std::fs::write(&report, &out).map_err(|e| format!("{}: {e}", report.display()))?;
    eprintln!("bench: tables also in {}", report.display());
    Ok(true)
}

/// The echo part's table, from the benchmark's `echo-rate IMPL N` and `echo-ratio R` lines.
fn echo_table(output: &str) -> Result<String, String> {
    let value = |prefix: &str| {
        output
            .lines()
            .find_map(|l| l.strip_prefix(prefix))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .ok_or_else(|| format!("bench: no `{prefix}` line in the echo output:\n{output}"))
    };
    let (ours, theirs) = (value("echo-rate barecall ")?, value("echo-rate std+libc ")?);
    let ratio = value("echo-ratio ")?;
    let setup = output
        .lines()
        .next()
        .unwrap_or("echo")
        .trim_start_matches("echo: ");
    let mut s = format!(
        "\n### Echo round trips per second over TCP loopback ({setup})\n\n\
         | loop | round trips/s | barecall / std+libc (median of per-round ratios) |\n|---|---:|---:|\n"
    );
    let _ = writeln!(
        s,
        "| barecall (`net`, `event::epoll`) | {ours:.0} | {ratio:.2}× |"
    );
    let _ = writeln!(
        s,
        "| std (`TcpStream`) + libc epoll | {theirs:.0} | 1.00× |"
    );
    s.push('\n');
    Ok(s)
}

/// A cargo command in `dir`.
/// The first line `command` prints, or `?`.
fn first_line(command: &mut Command) -> String {
    command
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "?".into())
}

/// The workspace's target directory, as cargo sees it (`CARGO_TARGET_DIR` included).
fn target_directory(root: &Path) -> Result<PathBuf, String> {
    let metadata = setup::run_output(setup::cargo(root).args([
        "metadata",
        "--format-version",
        "1",
        "--no-deps",
        "--offline",
    ]))?;
    let key = "\"target_directory\":\"";
    let start = metadata
        .find(key)
        .ok_or("cargo metadata has no target_directory")?
        + key.len();
    let end = metadata[start..]
        .find('"')
        .ok_or("cargo metadata: unterminated target_directory")?;
    Ok(PathBuf::from(&metadata[start..start + end]))
}

/// The machine, toolchain and date, as a markdown paragraph.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "?".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let date = first_line(Command::new("date").args(["-u", "+%Y-%m-%d"]));
    let kernel = first_line(Command::new("uname").arg("-r"));
    let rustc = first_line(Command::new("rustc").arg("-V"));
    let glibc = first_line(Command::new("ldd").arg("--version"));
    let valgrind = first_line(Command::new("valgrind").arg("--version"));
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into());
    format!(
        "Measured {date} on {cpu}, {cores} cores (`nproc`), Linux {kernel}; {rustc}; {glibc}; \
         {valgrind}. Load average when the run started: {load}.\n"
    )
}

/// Installs valgrind when missing (as root; otherwise says what to run).
fn ensure_valgrind() -> Result<(), String> {
    if have_command("valgrind") {
        return Ok(());
    }
    setup::install_packages(&["valgrind"], false)
}

/// The total instruction count of one callgrind run of `binary count OP IMPL K [flag]`.
fn callgrind_total(
    binary: &Path,
    op: &str,
    imp: &str,
    flag: Option<&str>,
    k: u64,
    log_dir: &Path,
) -> Result<u64, String> {
    let out_file = log_dir.join("callgrind.out");
    let mut command = Command::new("valgrind");
    command
        .args(["--tool=callgrind", "--collect-atstart=yes"])
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(binary)
        .args(["count", op, imp])
        .arg(k.to_string())
        .args(flag);
    setup::run_output(&mut command)?;
    let text =
        std::fs::read_to_string(&out_file).map_err(|e| format!("{}: {e}", out_file.display()))?;
    let total = text
        .lines()
        .find_map(|l| l.strip_prefix("totals:"))
        .or_else(|| text.lines().find_map(|l| l.strip_prefix("summary:")))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("{}: no totals line", out_file.display()))?;
    Ok(total)
}

/// Instructions per call of one benchmark: (total with `k` calls - total with 0) / `k`.
fn count(
    binary: &Path,
    op: &str,
    imp: &str,
    flag: Option<&str>,
    k: u64,
    log_dir: &Path,
) -> Result<f64, String> {
    let with = callgrind_total(binary, op, imp, flag, k, log_dir)?;
    let without = callgrind_total(binary, op, imp, flag, 0, log_dir)?;
    Ok((with as f64 - without as f64) / k as f64)
}

/// One table of instruction counts: a row per operation, a column per implementation.
fn count_table(title: &str, counts: &Counts) -> String {
    let mut s = format!("\n### {title}\n\n| operation | asm (floor) |");
    for imp in &IMPLS[1..] {
        let _ = write!(s, " {imp} |");
    }
    s.push_str("\n|---|---:|");
    s.push_str(&"---:|".repeat(IMPLS.len() - 1));
    s.push('\n');
    for (op, label) in table_rows() {
        let floor = counts.get(&(op.clone(), "asm".to_string()));
        let _ = write!(s, "| {label} |");
        for imp in IMPLS {
            match (counts.get(&(op.clone(), imp.to_string())), floor) {
                (None, _) => s.push_str(" — |"),
                (Some(n), _) if *imp == "asm" => {
                    let _ = write!(s, " {n:.2} |");
                }
                (Some(n), Some(f)) => {
                    let _ = write!(s, " {n:.2} ({:.2}×) |", n / f);
                }
                (Some(n), None) => {
                    let _ = write!(s, " {n:.2} |");
                }
            }
        }
        s.push('\n');
    }
    s
}

/// Where barecall's count is not the floor's, across all builds and states.
fn count_summary(all: &[(String, Counts)]) -> String {
    let mut above = Vec::new();
    for (name, counts) in all {
        for (op, _) in table_rows() {
            let get = |imp: &str| counts.get(&(op.clone(), imp.to_string())).copied();
            if let (Some(b), Some(f)) = (get("barecall"), get("asm")) {
                if (b - f).abs() >= 0.5 {
                    above.push(format!("{op} ({name}): {:+.2}", b - f));
                }
            }
        }
    }
    if above.is_empty() {
        "\nbarecall's instructions per call equal the asm floor's for every operation, in both \
         builds and both states.\n"
            .into()
    } else {
        format!(
            "\nbarecall differs from the asm floor in: {}.\n",
            above.join("; ")
        )
    }
}

/// One row of the `time` mode's output.
struct TimeRow {
    op: String,
    imp: String,
    ns: f64,
    /// Medians of the per-repetition ratios to asm, libc, rustix and std (`None` where
    /// absent).
    to_asm: Option<f64>,
    to_libc: Option<f64>,
    to_rustix: Option<f64>,
    to_std: Option<f64>,
}

fn parse_time(output: &str) -> Vec<TimeRow> {
    output
        .lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 8 || f[0] != "time" {
                return None;
            }
            Some(TimeRow {
                op: f[1].to_owned(),
                imp: f[2].to_owned(),
                ns: f[3].parse().ok()?,
                to_asm: f[4].parse().ok(),
                to_libc: f[5].parse().ok(),
                to_rustix: f[6].parse().ok(),
                to_std: f[7].parse().ok(),
            })
        })
        .collect()
}

fn time_table(title: &str, rows: &[TimeRow]) -> String {
    let find = |op: &str, imp: &str| rows.iter().find(|r| r.op == op && r.imp == imp);
    let mut s = format!("\n### {title}\n\n| operation | asm (floor) |");
    for imp in &IMPLS[1..] {
        let _ = write!(s, " {imp} |");
    }
    s.push_str(" barecall / libc | barecall / rustix | barecall / std |\n|---|---:|");
    s.push_str(&"---:|".repeat(IMPLS.len() + 2));
    s.push('\n');
    for (op, label) in table_rows() {
        let _ = write!(s, "| {label} |");
        for imp in IMPLS {
            match find(&op, imp) {
                None => s.push_str(" — |"),
                Some(r) => match r.to_asm {
                    Some(to_asm) if *imp != "asm" => {
                        let _ = write!(s, " {:.0} ({to_asm:.2}×) |", r.ns);
                    }
                    // The floor itself, or an operation without one (threads, locks).
                    _ => {
                        let _ = write!(s, " {:.0} |", r.ns);
                    }
                },
            }
        }
        let b = find(&op, "barecall");
        let ratio = |r: Option<f64>| r.map_or("—".to_owned(), |r| format!("{r:.2}×"));
        let _ = writeln!(
            s,
            " {} | {} | {} |",
            ratio(b.and_then(|r| r.to_libc)),
            ratio(b.and_then(|r| r.to_rustix)),
            ratio(b.and_then(|r| r.to_std))
        );
    }
    s
}

/// The worst (largest) barecall/libc and barecall/rustix ratios of each state.
fn time_summary(states: &[(&str, Vec<TimeRow>)]) -> String {
    let mut s = String::from("\n");
    for (name, rows) in states {
        let barecall = rows.iter().filter(|r| r.imp == "barecall");
        let worst = |f: fn(&TimeRow) -> Option<f64>| {
            barecall
                .clone()
                .filter_map(|r| f(r).map(|v| (v, r.op.as_str())))
                .max_by(|a, b| a.0.total_cmp(&b.0))
        };
        if let (Some((libc, libc_op)), Some((rustix, rustix_op))) =
            (worst(|r| r.to_libc), worst(|r| r.to_rustix))
        {
            let _ = writeln!(
                s,
                "Wall time, {name}: barecall is at most {libc:.2}× libc ({libc_op}) and at most \
                 {rustix:.2}× rustix ({rustix_op})."
            );
        }
        let to_std: Vec<String> = rows
            .iter()
            .filter(|r| r.imp == "barecall" && !r.op.ends_with("/match"))
            .filter_map(|r| r.to_std.map(|v| format!("{} {v:.2}×", r.op)))
            .collect();
        if !to_std.is_empty() {
            let _ = writeln!(
                s,
                "Wall time, {name}, barecall against std: {}.",
                to_std.join(", ")
            );
        }
    }
    s
}

/// One throwaway crate of the compile-time comparison.
struct CompileCrate {
    /// Directory name, and the library crate whose own time `--timings` reports.
    name: &'static str,
    lib: &'static str,
    /// The table's label.
    label: String,
    /// The `[dependencies]` line.
    dependency: String,
    /// The body of `main`.
    body: &'static str,
}

/// A write through barecall's io alone: with default features off the fd types are barecall's
/// own, so fd 1 is borrowed by number.
const BARECALL_MAIN: &str = "// SAFETY: fd 1 stays open for the whole program.\n    \
     let stdout = unsafe { barecall::fd::BorrowedFd::borrow_raw(1) };\n    \
     barecall::io::write(stdout, b\"x\\n\").unwrap();";
const RUSTIX_MAIN: &str = "rustix::io::write(std::io::stdout(), b\"x\\n\").unwrap();";

/// rustix 1.x's module features: barecall's modules that rustix lacks (`signal`, a module of
/// rustix's `process`) are not asked of it.
const RUSTIX_MODULES: &[&str] = &[
    "event", "fs", "io_uring", "mm", "mount", "net", "param", "pipe", "process", "pty", "rand",
    "runtime", "shm", "stdio", "system", "termios", "thread", "time",
];

/// barecall's `all-apis` modules, from its manifest, less those rustix has no feature for:
/// the features the all-modules rows enable in both crates.
fn all_apis(root: &Path) -> Result<Vec<String>, String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("{}: {e}", root.join("Cargo.toml").display()))?;
    let line = manifest
        .lines()
        .find(|l| l.starts_with("all-apis = ["))
        .ok_or("bench: no `all-apis = [...]` line in Cargo.toml")?;
    let list = &line[line.find('[').unwrap_or(0) + 1..line.rfind(']').unwrap_or(line.len())];
    Ok(list
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_owned())
        .filter(|f| RUSTIX_MODULES.contains(&f.as_str()))
        .collect())
}

/// The pairs compared, barecall first: io only (default features off) against rustix with
/// `fs` and `pipe` (the features barecall's io-era API needed from rustix), and every module
/// against rustix with the same modules.
fn compile_pairs(root: &Path) -> Result<Vec<[CompileCrate; 2]>, String> {
    let apis = all_apis(root)?;
    let quoted = apis
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(vec![
        [
            CompileCrate {
                name: "barecall-io",
                lib: "barecall",
                label: "barecall (io only: default features off)".into(),
                dependency: "barecall = { path = \"ROOT\", default-features = false }".into(),
                body: BARECALL_MAIN,
            },
            CompileCrate {
                name: "rustix-io",
                lib: "rustix",
                label: "rustix (`fs`, `pipe`)".into(),
                dependency: "rustix = { version = \"1\", features = [\"fs\", \"pipe\"] }".into(),
                body: RUSTIX_MAIN,
            },
        ],
        [
            CompileCrate {
                name: "barecall-all",
                lib: "barecall",
                label: "barecall (`all-apis`, default features off)".into(),
                dependency: "barecall = { path = \"ROOT\", default-features = false, \
                             features = [\"all-apis\"] }"
                    .into(),
                body: BARECALL_MAIN,
            },
            CompileCrate {
                name: "rustix-all",
                lib: "rustix",
                label: format!("rustix (the same modules: {})", apis.join(", ")),
                dependency: format!("rustix = {{ version = \"1\", features = [{quoted}] }}"),
                body: RUSTIX_MAIN,
            },
        ],
    ])
}

/// Clean release builds of each throwaway crate in fresh target directories, alternating;
/// returns the markdown table.
fn compile_times(root: &Path, reps: usize) -> Result<String, String> {
    let base = std::env::temp_dir().join(format!("barecall-compile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let lock = std::fs::read(root.join("Cargo.lock")).unwrap_or_default();
    let pairs = compile_pairs(root)?;
    let crates: Vec<&CompileCrate> = pairs.iter().flatten().collect();
    let mut dirs = Vec::new();
    for krate in &crates {
        let dir = base.join(krate.name);
        std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
        let manifest = format!(
            "[package]\nname = \"compile-{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\n{}\n\n[workspace]\n",
            krate.name,
            krate
                .dependency
                .replace("ROOT", &root.display().to_string())
        );
        let write = |path: PathBuf, text: &[u8]| {
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
        };
        write(dir.join("Cargo.toml"), manifest.as_bytes())?;
        write(
            dir.join("src/main.rs"),
            format!("fn main() {{\n    {}\n}}\n", krate.body).as_bytes(),
        )?;
        // The workspace's lock file: the same versions the benchmarks use.
        write(dir.join("Cargo.lock"), &lock)?;
        // Downloads (if any) are not compile time.
        let _ = setup::cargo(&dir).args(["fetch", "--quiet"]).status();
        dirs.push(dir);
    }
    // seconds[crate][rep], and the crates compiled.
    let mut seconds = vec![Vec::new(); dirs.len()];
    let mut compiled = vec![0; dirs.len()];
    let mut own_seconds = vec![Vec::new(); dirs.len()];
    for rep in 0..reps {
        for (i, dir) in dirs.iter().enumerate() {
            let name = crates[i].name;
            eprintln!(
                "bench: clean release build with {name} ({}/{reps})",
                rep + 1
            );
            let target = base.join("target");
            let _ = std::fs::remove_dir_all(&target);
            let start = Instant::now();
            let output = setup::cargo(dir)
                .args(["build", "--release", "--offline", "--timings"])
                .env("CARGO_TARGET_DIR", &target)
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            let elapsed = start.elapsed().as_secs_f64();
            let log = String::from_utf8_lossy(&output.stderr);
            if !output.status.success() {
                return Err(format!("clean build with {name} failed:\n{log}"));
            }
            seconds[i].push(elapsed);
            if let Some(own) = unit_seconds(&target, crates[i].lib) {
                own_seconds[i].push(own);
            }
            compiled[i] = log
                .lines()
                .filter(|l| l.trim_start().starts_with("Compiling "))
                .count();
        }
    }
    let _ = std::fs::remove_dir_all(&base);
    let mut s = format!(
        "\n### Clean compile time, release profile (median of {reps} alternating builds)\n\n\
         | throwaway crate using | crates compiled, itself included | clean build, s | the library crate alone, s |\n\
         |---|---:|---:|---:|\n"
    );
    for (i, krate) in crates.iter().enumerate() {
        let _ = writeln!(
            s,
            "| {} | {} | {:.2} | {:.2} |",
            krate.label,
            compiled[i],
            median(&mut seconds[i].clone()),
            median(&mut own_seconds[i].clone())
        );
    }
    s.push('\n');
    for (pair, [barecall, rustix]) in pairs.iter().enumerate() {
        let (b, r) = (2 * pair, 2 * pair + 1);
        let mut ratios: Vec<f64> = (0..reps).map(|k| seconds[b][k] / seconds[r][k]).collect();
        let _ = writeln!(
            s,
            "{} / {}: {:.2}× (median of the per-round ratios).",
            barecall.label,
            rustix.label,
            median(&mut ratios)
        );
    }
    s.push('\n');
    Ok(s)
}

/// How long compiling the library crate `name` itself took in the last build in `target`, from
/// cargo's `--timings` report (its `UNIT_DATA`: `"name"`, `"target"`, `"duration"` per unit; the
/// library is the unit whose target is empty).
fn unit_seconds(target: &Path, name: &str) -> Option<f64> {
    let html = std::fs::read_to_string(target.join("cargo-timings/cargo-timing.html")).ok()?;
    let data = &html[html.find("UNIT_DATA")?..];
    let data = &data[..data.find("];")?];
    let mut units = data.split("\"name\":").skip(1);
    units.find_map(|unit| {
        let field = |key: &str| {
            let rest = unit[unit.find(&format!("\"{key}\":"))? + key.len() + 3..].trim_start();
            let end = rest.find([',', '\n', '}'])?;
            Some(rest[..end].trim().trim_matches('"').to_owned())
        };
        let unit_name = unit.trim_start().split('"').nth(1)?;
        (unit_name == name && field("target")?.is_empty())
            .then(|| field("duration")?.parse().ok())
            .flatten()
    })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// `sort` (freestanding: dlmalloc on barecall's `mm`, README's recipe) against `sort-std`
/// (the same program with std and glibc's malloc) on the 10 MiB input of the examples'
/// check, output to /dev/null: `reps` runs of each, alternating which goes first; both
/// outputs are first checked against the host's `LC_ALL=C sort`. Returns the markdown table.
fn sort_times(root: &Path, std_sort: &Path, reps: usize) -> Result<String, String> {
    let host = crate::targets::TARGETS
        .iter()
        .find(|t| t.qemu.is_none() && t.triple == "x86_64-unknown-linux-gnu")
        .ok_or("bench: no native x86_64 target")?;
    let dir = crate::freestanding::build(root, host, crate::freestanding::Build::Recipe)?;
    let barecall_sort = dir.join("sort");
    let input = crate::freestanding::sort_input();
    let input_path = root.join("target/xtask/sort-input");
    std::fs::write(&input_path, &input).map_err(|e| format!("{}: {e}", input_path.display()))?;
    let expected = crate::freestanding::host_sort(&input)?;
    let programs = [("barecall", barecall_sort.as_path()), ("std", std_sort)];
    for (name, program) in programs {
        let output = sort_run(program, &input_path, Stdio::piped())?.1;
        if output != expected {
            return Err(format!("bench: {name}'s sort differs from LC_ALL=C sort"));
        }
    }
    let mut times: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut ratios = Vec::new();
    for rep in 0..reps {
        let mut this = [0.0; 2];
        for i in [rep % 2, 1 - rep % 2] {
            this[i] = sort_run(programs[i].1, &input_path, Stdio::null())?.0;
            times[i].push(this[i]);
        }
        ratios.push(this[0] / this[1]);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nsort of 10 MiB ({} lines), output to /dev/null: median of {reps} runs each, \
         alternating\n\n| program | ms | ratio to std |\n|---|---:|---:|",
        expected.iter().filter(|&&b| b == b'\n').count()
    );
    let _ = writeln!(
        out,
        "| `sort` (dlmalloc on barecall's `mm`) | {:.1} | {:.2}× |",
        median(&mut times[0]) * 1e3,
        median(&mut ratios)
    );
    let _ = writeln!(
        out,
        "| `sort-std` (std, glibc malloc) | {:.1} | 1.00× |\n",
        median(&mut times[1]) * 1e3
    );
    Ok(out)
}

/// Wall seconds and stdout of `program < input`.
fn sort_run(program: &Path, input: &Path, stdout: Stdio) -> Result<(f64, Vec<u8>), String> {
    let file = std::fs::File::open(input).map_err(|e| format!("{}: {e}", input.display()))?;
    let started = Instant::now();
    let output = Command::new(program)
        .stdin(file)
        .stdout(stdout)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    if !output.status.success() {
        return Err(format!("{} failed: {}", program.display(), output.status));
    }
    Ok((seconds, output.stdout))
}
