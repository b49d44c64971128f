//! `cargo xtask vm-test`: the test suite on real Linux kernels, one per architecture, each
//! Debian's own kernel booted under qemu-system with an initramfs holding static test binaries
//! and `vm-init` (a freestanding barecall program, `examples/src/bin/vm-init.rs`).
//!
//! qemu-user re-implements syscalls in user space (and lacks preadv2/pwritev2); here every call
//! meets the architecture's real kernel. Kernels are downloaded once, with a private apt state
//! under `target/vm/`, never touching the system's; a warm rerun downloads nothing.
//!
//! Each test binary must run as many tests as natively (the native suite is run for the
//! counts), skip nothing, and the differential test compare enough operations. A machine that
//! does not finish within the boot timeout fails, naming the binary that was running.

use crate::freestanding;
use crate::qemu_test::{self, Outcome};
use crate::setup;
use crate::targets::{self, Target};
use crate::test_binaries::{self, TestBinary};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// One architecture's virtual machine.
struct Machine {
    /// Debian's architecture name.
    debian_arch: &'static str,
    /// Debian's kernel flavour: the metapackage is `linux-image-<flavour>`.
    flavour: &'static str,
    /// The Debian suite the kernel comes from (riscv64 is not in bookworm).
    suite: &'static str,
    qemu: &'static str,
    qemu_args: &'static [&'static str],
    console: &'static str,
    /// The Rust targets whose binaries this machine runs.
    triples: &'static [&'static str],
}

const MACHINES: &[Machine] = &[
    Machine {
        debian_arch: "amd64",
        flavour: "amd64",
        suite: "bookworm",
        qemu: "qemu-system-x86_64",
        qemu_args: &[],
        console: "ttyS0",
        triples: &["x86_64-unknown-linux-gnu"],
    },
    Machine {
        debian_arch: "arm64",
        flavour: "arm64",
        suite: "bookworm",
        qemu: "qemu-system-aarch64",
        qemu_args: &["-M", "virt", "-cpu", "cortex-a72"],
        console: "ttyAMA0",
        triples: &["aarch64-unknown-linux-gnu"],
    },
    Machine {
        debian_arch: "riscv64",
        flavour: "riscv64",
        suite: "trixie",
        qemu: "qemu-system-riscv64",
        qemu_args: &["-M", "virt", "-bios", "default"],
        console: "ttyS0",
        triples: &["riscv64gc-unknown-linux-gnu"],
    },
    Machine {
        debian_arch: "armhf",
        flavour: "armmp",
        suite: "bookworm",
        qemu: "qemu-system-arm",
        qemu_args: &["-M", "virt"],
        console: "ttyAMA0",
        triples: &[
            "armv7-unknown-linux-gnueabihf",
            "thumbv7neon-unknown-linux-gnueabihf",
        ],
    },
];

/// Host packages: the system emulators (their firmware comes with them).
const HOST_PACKAGES: &[(&str, &str)] = &[
    ("qemu-system-x86_64", "qemu-system-x86"),
    ("qemu-system-aarch64", "qemu-system-arm"),
    ("qemu-system-arm", "qemu-system-arm"),
    ("qemu-system-riscv64", "qemu-system-misc"),
    ("dpkg", "dpkg"),
];

/// A boot may take this long before it counts as hung.
const BOOT_TIMEOUT_SECONDS: u32 = 900;

pub fn run(args: &[String]) -> Result<bool, String> {
    let mut names = Vec::new();
    let mut install = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--target" => names.push(args.next().ok_or("--target needs a triple")?.clone()),
            "--install" => install = true,
            other => return Err(format!("vm-test: unknown option {other}")),
        }
    }
    let selected: Vec<&Target> = targets::select(&names)?
        .into_iter()
        .filter(|t| MACHINES.iter().any(|m| m.triples.contains(&t.triple)))
        .collect();
    if selected.is_empty() {
        return Err("no Linux target selected".into());
    }
    setup::ensure(&selected, install)?;
    let missing: Vec<&str> = HOST_PACKAGES
        .iter()
        .filter(|(command, _)| !setup::have_command(command))
        .map(|(_, package)| *package)
        .collect();
    setup::install_packages(&missing, install)?;

    let root = crate::workspace_root();
    let work = root.join("target/vm");
    qemu_test::announce_seed();
    let mut rows = Vec::new();
    for machine in MACHINES {
        let targets: Vec<&&Target> = selected
            .iter()
            .filter(|t| machine.triples.contains(&t.triple))
            .collect();
        if targets.is_empty() {
            continue;
        }
        let kernel = match fetch_kernel(&work, machine) {
            Ok(kernel) => kernel,
            Err(e) => {
                for target in targets {
                    let mut outcome = Outcome::default();
                    outcome.problems.push(e.clone());
                    rows.push((*target, String::new(), outcome));
                }
                continue;
            }
        };
        for target in targets {
            println!("==> {} on {}: start", target.triple, kernel.1);
            let outcome = test_on_kernel(&root, &work, machine, &kernel.0, target);
            for problem in &outcome.problems {
                println!("    problem: {problem}");
            }
            for (test, reason) in &outcome.skipped {
                println!("    skipped: {test}: {reason}");
            }
            println!(
                "<== {}: {} in {:.1}s",
                target.triple,
                if outcome.failed == 0 && outcome.problems.is_empty() {
                    "ok"
                } else {
                    "FAILED"
                },
                outcome.seconds
            );
            rows.push((*target, kernel.1.clone(), outcome));
        }
    }

    // Every machine runs the native test binaries: a different count means tests went missing.
    let reference = qemu_test::native_reference(&root, &root.join("target/xtask"));
    for (target, _, outcome) in rows.iter_mut() {
        qemu_test::compare_with_reference(target, &reference, outcome, false);
    }

    println!();
    println!("| target | kernel | passed | failed | skipped | seconds | result |");
    println!("|---|---|---:|---:|---:|---:|---|");
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut ok = true;
    for (target, kernel, outcome) in &rows {
        let skips = outcome.skipped.len() as u64 + outcome.ignored;
        let real_passed = outcome.passed.saturating_sub(outcome.skipped.len() as u64);
        let good = outcome.failed == 0 && outcome.problems.is_empty() && skips == 0;
        ok &= good;
        passed += real_passed;
        failed += outcome.failed;
        skipped += skips;
        println!(
            "| {} | {kernel} | {real_passed} | {} | {skips} | {:.1} | {} |",
            target.triple,
            outcome.failed,
            outcome.seconds,
            if good { "ok" } else { "FAILED" }
        );
    }
    println!();
    println!("vm-test: {passed} passed, {failed} failed, {skipped} skipped");
    Ok(ok)
}

/// apt-get/apt-cache options for a private state under `dir`, for one architecture and suite.
/// The mirror is the one this machine's own apt sources name.
fn private_apt(dir: &Path, machine: &Machine) -> Result<Vec<String>, String> {
    for sub in ["lists/partial", "cache/archives/partial"] {
        std::fs::create_dir_all(dir.join(sub)).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let sources = dir.join("sources.list");
    let line = format!(
        "deb [arch={}] {} {} main\n",
        machine.debian_arch,
        debian_mirror()?,
        machine.suite
    );
    std::fs::write(&sources, line).map_err(|e| format!("{}: {e}", sources.display()))?;
    let arch = machine.debian_arch;
    Ok(vec![
        format!("-oAPT::Architecture={arch}"),
        format!("-oAPT::Architectures={arch}"),
        format!("-oDir::State::Lists={}", dir.join("lists").display()),
        format!("-oDir::Cache={}", dir.join("cache").display()),
        "-oDir::State::status=/dev/null".to_owned(),
        format!("-oDir::Etc::SourceList={}", sources.display()),
        "-oDir::Etc::SourceParts=/nonexistent".to_owned(),
        "-oAcquire::IndexTargets::deb::DEP-11::DefaultEnabled=false".to_owned(),
        "-oAcquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false".to_owned(),
    ])
}

/// The Debian mirror of this machine's apt configuration (deb822 or one-line format).
fn debian_mirror() -> Result<String, String> {
    let deb822 =
        std::fs::read_to_string("/etc/apt/sources.list.d/debian.sources").unwrap_or_default();
    let from_deb822 = deb822
        .lines()
        .filter_map(|l| l.strip_prefix("URIs:"))
        .map(str::trim)
        .find(|uri| !uri.contains("security"));
    let one_line = std::fs::read_to_string("/etc/apt/sources.list").unwrap_or_default();
    let from_one_line = one_line.lines().find_map(|l| {
        let mut words = l.split_whitespace().filter(|w| !w.starts_with('['));
        (words.next() == Some("deb"))
            .then(|| words.next())
            .flatten()
            .filter(|uri| !uri.contains("security"))
    });
    from_deb822
        .or(from_one_line)
        .map(|uri| uri.split_whitespace().next().unwrap_or(uri).to_owned())
        .ok_or_else(|| "no Debian mirror in /etc/apt/sources.list{,.d/debian.sources}".to_owned())
}

/// The machine's kernel, downloaded and unpacked once into `target/vm/<arch>/`:
/// `(path, package name)`.
fn fetch_kernel(work: &Path, machine: &Machine) -> Result<(PathBuf, String), String> {
    let dir = work.join(machine.debian_arch);
    let kernel = dir.join("kernel");
    let stamp = dir.join("kernel.package");
    if let (true, Ok(package)) = (kernel.exists(), std::fs::read_to_string(&stamp)) {
        return Ok((kernel, package.trim().to_owned()));
    }
    println!("setup: downloading Debian's {} kernel", machine.debian_arch);
    let apt = private_apt(&dir.join("apt"), machine)?;
    setup::run_output(Command::new("apt-get").args(&apt).args(["-qq", "update"]))?;
    let meta = format!("linux-image-{}", machine.flavour);
    let depends = setup::run_output(
        Command::new("apt-cache")
            .args(&apt)
            .args(["depends", &meta]),
    )?;
    let package = depends
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Depends: "))
        .find(|p| p.starts_with("linux-image-") && p.ends_with(machine.flavour))
        .ok_or_else(|| format!("cannot resolve {meta}: {depends}"))?
        .to_owned();
    let download = dir.join("download");
    std::fs::create_dir_all(&download).map_err(|e| format!("{}: {e}", download.display()))?;
    setup::run_output(
        Command::new("apt-get")
            .current_dir(&download)
            .args(&apt)
            .args(["-qq", "download", &package]),
    )?;
    let deb = std::fs::read_dir(&download)
        .map_err(|e| format!("{}: {e}", download.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.extension().is_some_and(|x| x == "deb") && p.to_string_lossy().contains(&package)
        })
        .ok_or_else(|| format!("{package}: no .deb downloaded"))?;
    let unpack = dir.join("unpack");
    std::fs::create_dir_all(&unpack).map_err(|e| format!("{}: {e}", unpack.display()))?;
    let script = format!(
        "dpkg --fsys-tarfile '{}' | tar -x -C '{}' --wildcards './boot/vmlinu*'",
        deb.display(),
        unpack.display()
    );
    setup::run_output(Command::new("sh").args(["-c", &script]))?;
    let image = std::fs::read_dir(unpack.join("boot"))
        .map_err(|e| format!("{}: {e}", unpack.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .next()
        .ok_or("no kernel in the package")?;
    std::fs::rename(&image, &kernel).map_err(|e| format!("{}: {e}", kernel.display()))?;
    std::fs::write(&stamp, &package).map_err(|e| format!("{}: {e}", stamp.display()))?;
    let _ = std::fs::remove_dir_all(&unpack);
    let _ = std::fs::remove_dir_all(&download);
    Ok((kernel, package))
}

/// Builds static test binaries for `target`.
fn build_tests(root: &Path, work: &Path, target: &Target) -> Result<Vec<TestBinary>, String> {
    let mut binaries = Vec::new();
    // Doctests are built by rustdoc at run time: they stay with the native and qemu-user runs.
    for (i, set) in targets::TEST_SETS.iter().enumerate() {
        let mut command = setup::cargo(root);
        command
            .args(["test", "--no-run"])
            .args(*set)
            .args(["--target", target.triple])
            .args(["--message-format", "json"])
            .env("CARGO_TARGET_DIR", work.join("build"))
            // No debug info, std's included (strip=debuginfo keeps the symbols backtraces
            // name): with it the initramfs outgrew what the guests' 1 GiB can unpack.
            .env(
                "RUSTFLAGS",
                "-C target-feature=+crt-static -C debuginfo=0 -C strip=debuginfo",
            );
        binaries.extend(test_binaries::list(command, i)?);
    }
    Ok(binaries)
}

fn test_on_kernel(
    root: &Path,
    work: &Path,
    machine: &Machine,
    kernel: &Path,
    target: &Target,
) -> Outcome {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    if let Err(e) = boot_and_parse(root, work, machine, kernel, target, &mut outcome) {
        outcome.problems.push(e);
    }
    outcome.seconds = start.elapsed().as_secs_f64();
    outcome
}

fn boot_and_parse(
    root: &Path,
    work: &Path,
    machine: &Machine,
    kernel: &Path,
    target: &Target,
    outcome: &mut Outcome,
) -> Result<(), String> {
    let binaries = build_tests(root, work, target)?;
    let release = freestanding::build(root, target, freestanding::Build::Recipe)?;
    let debug = freestanding::build(root, target, freestanding::Build::Debug)?;
    let init = release.join("vm-init");
    let examples = vm_examples(&release, &debug, target)?;

    let mut archive = Cpio::default();
    archive.directory("dev");
    archive.char_device("dev/console", 5, 1);
    archive.char_device("dev/null", 1, 3);
    archive.directory("tmp");
    archive.directory("proc");
    archive.directory("tests");
    archive.file("init", &read(&init)?, 0o755);
    let mut list = String::new();
    for binary in &binaries {
        let name = &binary.name;
        archive.file(&format!("tests/{name}"), &read(&binary.path)?, 0o755);
        list.push_str(&format!("/tests/{name} --test-threads=1\n"));
    }
    archive.file(
        freestanding::SORT_INPUT_FILE.trim_start_matches('/'),
        &freestanding::sort_input(),
        0o644,
    );
    archive.directory("examples");
    for example in &examples {
        archive.file(
            &format!("examples/{}", example.name),
            &read(&example.path)?,
            0o755,
        );
        list.push_str(&example.command_line());
        list.push('\n');
    }
    archive.file("tests/list", list.as_bytes(), 0o644);
    let initrd = work.join(format!("{}.cpio", target.triple));
    std::fs::write(&initrd, archive.finish()).map_err(|e| format!("{}: {e}", initrd.display()))?;

    let mut append = format!("console={} rdinit=/init panic=-1 quiet", machine.console);
    // The kernel hands parameters it does not know to init's environment; vm-init passes
    // this one on to every test.
    if let Some(seed) = test_binaries::given_seed() {
        append.push_str(&format!(" {}={seed}", test_binaries::SEED_VARIABLE));
    }
    let output = Command::new("timeout")
        .arg(BOOT_TIMEOUT_SECONDS.to_string())
        .arg(machine.qemu)
        .args(machine.qemu_args)
        .args(["-m", "1024", "-nographic", "-no-reboot"])
        .arg("-kernel")
        .arg(kernel)
        .arg("-initrd")
        .arg(&initrd)
        .args(["-append", &append])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", machine.qemu))?;
    let console = String::from_utf8_lossy(&output.stdout).replace('\r', "");
    let log = work.join(format!("{}.console.log", target.triple));
    let _ = std::fs::write(&log, &console);

    parse_tests(&console, &binaries, &log, outcome);
    check_examples(&console, &examples, &log, outcome);
    // A real kernel implements every call: nothing may be skipped.
    qemu_test::check_skips(false, outcome);
    qemu_test::check_differential_ops(qemu_test::MIN_DIFFERENTIAL_OPS_EMULATED, outcome);
    for (path, status) in exit_lines(&console) {
        // The examples' statuses are checked with their output.
        if !path.contains("/examples/") && status != "0" {
            outcome.problems.push(format!(
                "{path} exited {status} (console: {})",
                log.display()
            ));
        }
    }
    // vm-init brings the loopback interface up (it starts down) for the net tests and echo.
    if let Some(why) = loopback_not_up(&console) {
        outcome.problems.push(format!(
            "vm-init did not bring lo up: {why} (console: {})",
            log.display()
        ));
    }
    if !console.contains("barecall-vm: done") {
        outcome.problems.push(unfinished(&console, &log));
    }
    Ok(())
}

/// Why the console shows no `barecall-vm: lo up` line, if it does not.
fn loopback_not_up(console: &str) -> Option<&str> {
    if console.lines().any(|l| l.trim() == "barecall-vm: lo up") {
        return None;
    }
    let why = console
        .lines()
        .find_map(|l| l.trim().strip_prefix("barecall-vm: lo not up: "));
    Some(why.unwrap_or("no `barecall-vm: lo up` line"))
}

/// The `(path, status)` of each `barecall-vm: exit PATH STATUS` line; STATUS is the rest of
/// the line (`0`, `signal 11`, `wait4 failed: errno 10`).
fn exit_lines(console: &str) -> Vec<(&str, &str)> {
    console
        .lines()
        .filter_map(|l| l.trim().strip_prefix("barecall-vm: exit "))
        .map(|rest| rest.split_once(' ').unwrap_or((rest, "none")))
        .collect()
}

/// Why a machine that never said `done` failed: the boot timeout (or a crash) while the last
/// listed command ran, and the console's last lines.
fn unfinished(console: &str, log: &Path) -> String {
    let running = console
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("barecall-vm: run "))
        .unwrap_or("nothing yet (vm-init never started a command)");
    format!(
        "the machine did not finish within {BOOT_TIMEOUT_SECONDS} s; it was running {running} \
         (console: {}); its last lines:{}",
        log.display(),
        test_binaries::tail(console, test_binaries::TAIL_LINES)
    )
}

/// Each test binary's results: the console text between its `run` and `exit` lines.
fn parse_tests(console: &str, binaries: &[TestBinary], log: &Path, outcome: &mut Outcome) {
    for binary in binaries {
        let run = format!("barecall-vm: run /tests/{} ", binary.name);
        let text: String = console
            .lines()
            .skip_while(|line| !line.trim().starts_with(&run))
            .skip(1)
            .take_while(|line| !line.trim().starts_with("barecall-vm: exit "))
            .map(|line| format!("{line}\n"))
            .collect();
        if !qemu_test::parse_binary_output(&binary.name, &text, outcome) {
            outcome.problems.push(format!(
                "{} printed no test result (console: {}); its last output:{}",
                binary.name,
                log.display(),
                test_binaries::tail(&text, test_binaries::TAIL_LINES)
            ));
        }
    }
}

/// A freestanding example run on the real kernel, whose ELF loader is stricter than
/// qemu-user's (it maps each segment over the last, so one sharing a page with the code breaks
/// it), in the release and the debug build.
struct VmExample {
    name: String,
    path: PathBuf,
    check: freestanding::OutputCheck,
}

impl VmExample {
    /// The line of vm-init's list: `close=N ` first for a run without standard stream `N`.
    fn command_line(&self) -> String {
        let mut line = String::new();
        if let Some(fd) = self.check.closed_fd {
            line.push_str(&format!("close={fd} "));
        }
        if let Some(path) = self.check.stdin_file {
            line.push_str(&format!("stdin={path} "));
        }
        if let Some(kib) = self.check.address_space_kib {
            line.push_str(&format!("as={kib} "));
        }
        line.push_str(&format!("/examples/{}", self.name));
        for arg in self.check.args {
            line.push(' ');
            line.push_str(arg);
        }
        line
    }
}

fn vm_examples(release: &Path, debug: &Path, target: &Target) -> Result<Vec<VmExample>, String> {
    let mut examples = Vec::new();
    for check in freestanding::vm_sort_checks()? {
        examples.push(VmExample {
            name: check.binary.to_owned(),
            path: release.join(check.binary),
            check,
        });
    }
    for (dir, suffix) in [(release, ""), (debug, "-debug")] {
        for check in freestanding::output_checks(target) {
            examples.push(VmExample {
                name: format!("{}{suffix}", check.binary),
                path: dir.join(check.binary),
                check,
            });
        }
    }
    Ok(examples)
}

/// Each example's output is the console text between its `run` and `exit` lines (stdout and
/// stderr both go to the console), and its status the one its `exit` line gives.
fn check_examples(console: &str, examples: &[VmExample], log: &Path, outcome: &mut Outcome) {
    let lines: Vec<&str> = console.lines().map(str::trim).collect();
    for example in examples {
        let run = format!("barecall-vm: run {}", example.command_line());
        let Some(start) = lines.iter().position(|line| *line == run) else {
            outcome.problems.push(format!(
                "{} did not run (console: {})",
                example.command_line(),
                log.display()
            ));
            continue;
        };
        let rest = &lines[start + 1..];
        let end = rest
            .iter()
            .position(|line| line.starts_with("barecall-vm: exit "))
            .unwrap_or(rest.len());
        let text: String = rest[..end].iter().map(|line| format!("{line}\n")).collect();
        let status = exit_lines(rest.get(end).copied().unwrap_or(""))
            .first()
            .map_or("none", |(_, status)| *status);
        let expected_text = format!("{}{}", example.check.stdout, example.check.stderr);
        let expected_status = example.check.status.to_string();
        let text_ok = match example.check.stderr_is {
            Some(stderr_is) => text
                .strip_prefix(example.check.stdout.as_str())
                .is_some_and(stderr_is),
            None => text == expected_text,
        };
        if text_ok && status == expected_status {
            outcome.passed += 1;
        } else {
            outcome.problems.push(format!(
                "{} printed {text:?} and exited {status}, expected {expected_text:?} and \
                 {expected_status} (console: {})",
                example.command_line(),
                log.display()
            ));
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// A newc ("070701") cpio archive, the initramfs format.
#[derive(Default)]
struct Cpio {
    data: Vec<u8>,
    inode: u32,
}

impl Cpio {
    fn entry(&mut self, name: &str, mode: u32, rdev: (u32, u32), contents: &[u8]) {
        self.inode += 1;
        let fields = [
            self.inode,
            mode,
            0,
            0,
            1,
            0,
            contents.len() as u32,
            0,
            0,
            rdev.0,
            rdev.1,
            name.len() as u32 + 1,
            0,
        ];
        self.data.extend_from_slice(b"070701");
        for field in fields {
            self.data
                .extend_from_slice(format!("{field:08x}").as_bytes());
        }
        self.data.extend_from_slice(name.as_bytes());
        self.data.push(0);
        self.pad();
        self.data.extend_from_slice(contents);
        self.pad();
    }

    fn pad(&mut self) {
        while !self.data.len().is_multiple_of(4) {
            self.data.push(0);
        }
    }

    fn directory(&mut self, name: &str) {
        self.entry(name, 0o040_755, (0, 0), b"");
    }

    fn char_device(&mut self, name: &str, major: u32, minor: u32) {
        self.entry(name, 0o020_600, (major, minor), b"");
    }

    fn file(&mut self, name: &str, contents: &[u8], permissions: u32) {
        self.entry(name, 0o100_000 | permissions, (0, 0), contents);
    }

    fn finish(mut self) -> Vec<u8> {
        self.entry("TRAILER!!!", 0, (0, 0), b"");
        self.data
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loopback_line_is_required() {
        assert_eq!(
            loopback_not_up("x\nbarecall-vm: lo up\r\nbarecall-vm: done\n"),
            None
        );
        assert_eq!(
            loopback_not_up("barecall-vm: lo not up: EPERM\nbarecall-vm: done\n"),
            Some("EPERM")
        );
        assert_eq!(
            loopback_not_up("barecall-vm: done\n"),
            Some("no `barecall-vm: lo up` line")
        );
    }
}
