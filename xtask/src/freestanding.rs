//! The freestanding examples (`examples/`, a crate that follows README's recipe): building
//! them, running them with known input, checking that they are libc-free, and their sizes.

use crate::elf::Elf;
use crate::targets::Target;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The examples' budget with README's recipe, and with the `--tiny` one.
/// (Raised from 1024 and 300 when `rt` began to replace missing standard streams at entry:
/// 90 to 120 bytes, depending on the architecture.)
pub const HELLO_BUDGET: u64 = 1152;
pub const TINY_BUDGET: u64 = 400;

/// The extra link arguments of the `--tiny` recipe (besides README's), relative to `examples/`.
const TINY_LINK_ARGS: &[&str] = &["-Wl,-T,tiny.ld", "-Wl,-z,norelro"];

/// What one target's examples did.
#[derive(Default)]
pub struct Report {
    pub hello_bytes: Option<u64>,
    pub tiny_bytes: Option<u64>,
    pub checks_passed: usize,
    pub problems: Vec<String>,
}

pub fn examples_dir(root: &Path) -> PathBuf {
    root.join("examples")
}

/// The builds of the examples that are checked.
#[derive(Clone, Copy, PartialEq)]
pub enum Build {
    /// README's recipe, word for word: `cargo build --release --target T` in `examples/`, which
    /// picks up its `.cargo/config.toml`.
    Recipe,
    /// The same without `--release`: debug builds must run too.
    Debug,
    /// README's recipe with `strip` off, into its own target directory: the symbol tables that
    /// the libc-free check reads.
    Unstripped,
    /// `--tiny`: hello alone, linked with `tiny.ld` into its own target directory, section
    /// headers dropped afterwards.
    Tiny,
    /// hello alone, in a target directory of its own, compiled in the other instruction set of
    /// a 32-bit arm target (`flag`, see [`other_instruction_set`]) read from an argument file
    /// (`@FILE` in the rustflags), which no guess from the rustflags' text can see: only asking
    /// the compiler, as `build.rs` does, finds the instruction set out.
    OtherInstructionSet(&'static str),
}

/// Builds the examples; returns the directory holding the binaries.
pub fn build(root: &Path, target: &Target, build: Build) -> Result<PathBuf, String> {
    let dir = examples_dir(root);
    let mut command = crate::setup::cargo(&dir);
    let out_dir = match build {
        Build::Tiny => {
            let target_dir = dir.join("target/tiny");
            command
                .args([
                    "rustc",
                    "--release",
                    "--bin",
                    "hello",
                    "--target",
                    target.triple,
                ])
                .arg("--target-dir")
                .arg(&target_dir)
                .arg("--");
            for arg in TINY_LINK_ARGS {
                command.arg("-C").arg(format!("link-arg={arg}"));
            }
            target_dir.join(target.triple).join("release")
        }
        Build::Recipe => {
            command.args(["build", "--release", "--target", target.triple]);
            dir.join("target").join(target.triple).join("release")
        }
        Build::Debug => {
            command.args(["build", "--target", target.triple]);
            dir.join("target").join(target.triple).join("debug")
        }
        Build::OtherInstructionSet(flag) => {
            let target_dir = dir.join("target/other-mode");
            std::fs::create_dir_all(&target_dir)
                .map_err(|e| format!("{}: {e}", target_dir.display()))?;
            let flags_file = target_dir.join(format!("{}.flags", target.triple));
            std::fs::write(&flags_file, flag)
                .map_err(|e| format!("{}: {e}", flags_file.display()))?;
            let rustflags = format!(
                "target.{}.rustflags=[\"@{}\"]",
                target.triple,
                flags_file.display()
            );
            command
                .args([
                    "build",
                    "--release",
                    "--bin",
                    "hello",
                    "--target",
                    target.triple,
                ])
                .args(["--config", &rustflags])
                .arg("--target-dir")
                .arg(&target_dir);
            target_dir.join(target.triple).join("release")
        }
        Build::Unstripped => {
            let target_dir = dir.join("target/unstripped");
            command
                .args(["build", "--release", "--target", target.triple])
                .args(["--config", "profile.release.strip=false"])
                .arg("--target-dir")
                .arg(&target_dir);
            target_dir.join(target.triple).join("release")
        }
    };
    crate::setup::run_output(&mut command)
        .map_err(|e| format!("building the examples for {}: {e}", target.triple))?;
    if matches!(build, Build::Recipe | Build::Debug | Build::Unstripped) {
        // `sort` and `threads` alone with the heap feature (README's alloc recipe): the other
        // binaries stay as the build above made them, without `mm`, `param` and `thread`.
        let mut command = crate::setup::cargo(&dir);
        command.args(["build", "--target", target.triple]);
        command.args(["--features", "threads", "--bin", "sort", "--bin", "threads"]);
        // Lets the stable compiler take `#![feature(thread_local)]`, so that `threads check`
        // checks Rust's `#[thread_local]` statics too (examples/build.rs); nothing else in the
        // build uses an unstable feature.
        command.env("RUSTC_BOOTSTRAP", "1");
        match build {
            Build::Recipe => {
                command.arg("--release");
            }
            Build::Unstripped => {
                command
                    .args(["--release", "--config", "profile.release.strip=false"])
                    .arg("--target-dir")
                    .arg(dir.join("target/unstripped"));
            }
            _ => {}
        }
        crate::setup::run_output(&mut command)
            .map_err(|e| format!("building sort and threads for {}: {e}", target.triple))?;
    }
    if build == Build::Tiny {
        let linked = out_dir.join("hello");
        let data = std::fs::read(&linked).map_err(|e| format!("{}: {e}", linked.display()))?;
        let stripped = Elf::parse(&data)?.without_section_headers()?;
        let tiny_path = out_dir.join("hello.tiny");
        std::fs::write(&tiny_path, stripped)
            .map_err(|e| format!("{}: {e}", tiny_path.display()))?;
        set_executable(&tiny_path)?;
    }
    Ok(out_dir)
}

fn set_executable(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// What a run produced.
pub struct Run {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: Option<i32>,
}

/// Runs a static binary natively or under the target's qemu-user, with only `env` in its
/// environment (so no `QEMU_*` variable reaches qemu) and `stdin` as its input.
pub fn run(
    target: &Target,
    binary: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: &[u8],
) -> Result<Run, String> {
    run_with_closed(target, binary, args, env, stdin, None)
}

/// [`run`], with standard stream `closed_fd` (if any) closed in the child before it starts
/// (under qemu-user, before qemu starts).
pub fn run_with_closed(
    target: &Target,
    binary: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: &[u8],
    closed_fd: Option<i32>,
) -> Result<Run, String> {
    let mut command = match target.qemu {
        Some(qemu) => {
            let mut command = Command::new(qemu);
            command.arg(binary);
            command
        }
        None => Command::new(binary),
    };
    command
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(fd) = closed_fd {
        use std::os::fd::{FromRawFd, OwnedFd};
        use std::os::unix::process::CommandExt;
        // SAFETY: runs in the child after fork, once std has set up its stdio; dropping the
        // `OwnedFd` only closes the number, which is async-signal-safe, and nothing else in
        // the child owns it.
        unsafe {
            command.pre_exec(move || {
                drop(OwnedFd::from_raw_fd(fd));
                Ok(())
            });
        }
    }
    run_command(command, binary, stdin)
}

/// Runs `command` (which runs `binary`) with `stdin` as its input.
fn run_command(mut command: Command, binary: &Path, stdin: &[u8]) -> Result<Run, String> {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let child_stdin = child.stdin.take();
    let input = stdin.to_vec();
    // Feed stdin from a thread: a large input would otherwise deadlock against full pipes.
    let feeder = std::thread::spawn(move || {
        use std::io::Write;
        if let Some(mut child_stdin) = child_stdin {
            let _ = child_stdin.write_all(&input);
        }
    });
    let output = child
        .wait_with_output()
        .map_err(|e| format!("waiting for {}: {e}", binary.display()))?;
    let _ = feeder.join();
    Ok(Run {
        stdout: output.stdout,
        stderr: output.stderr,
        status: output.status.code(),
    })
}

/// A run of an example whose whole output and exit status are known.
pub struct OutputCheck {
    pub binary: &'static str,
    pub args: &'static [&'static str],
    /// A standard stream the program is started without (`prog <&-` for 0, `>&-` for 1).
    pub closed_fd: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Checks the stderr text instead of comparing it with `stderr`.
    pub stderr_is: Option<fn(&str) -> bool>,
    pub status: i32,
    /// The file (in the VM's root) that is the program's stdin; none: the console.
    pub stdin_file: Option<&'static str>,
    /// The RLIMIT_AS, in KiB, the program starts under.
    pub address_space_kib: Option<u64>,
}

impl OutputCheck {
    fn new(binary: &'static str, args: &'static [&'static str], stdout: &str) -> Self {
        Self {
            binary,
            args,
            closed_fd: None,
            stdout: stdout.to_owned(),
            stderr: String::new(),
            stderr_is: None,
            status: 0,
            stdin_file: None,
            address_space_kib: None,
        }
    }

    fn closed(mut self, fd: i32) -> Self {
        self.closed_fd = Some(fd);
        self
    }

    /// How the run is shown in reports: `(fd 0 closed) cat ARGS`.
    pub fn describe(&self) -> String {
        let closed = self
            .closed_fd
            .map(|fd| format!("(fd {fd} closed) "))
            .unwrap_or_default();
        format!("{closed}{} {}", self.binary, self.args.join(" "))
    }
}

/// What `fds` prints when every number it gets is above the standard streams'.
const FDS_OUTPUT: &str = "pipe 3 4, open 5\n";

/// The clients and messages of `echo`'s check, and what it must print for them: the bytes
/// echoed are the sum of its message lengths, `1 + (client * 131 + message * 71) % 3000`.
const ECHO_ARGS: &[&str] = &["8", "100"];

fn echo_output() -> String {
    let (clients, messages) = (8u64, 100u64);
    let bytes: u64 = (0..clients)
        .flat_map(|c| (0..messages).map(move |m| 1 + (c * 131 + m * 71) % 3000))
        .sum();
    format!("echo: {clients} clients x {messages} messages, {bytes} bytes echoed\n")
}

/// What `threads check` prints when every check passes, in its order.
const THREADS_CHECKS: &[&str] = &[
    "spawn_join_one_at_a_time",
    "spawn_join_eight_at_a_time",
    "thread_ids",
    "detached_threads_free_their_stacks",
    "mutex_counter",
    "condvar_ping_pong",
    "once_among_racers",
    "stack_too_large",
    "a_thread_cannot_join_itself",
    "thread_locals_of_c",
    "a_refused_clone_leaks_nothing",
    "thread_locals_of_rust",
];

fn threads_check_output() -> String {
    let mut out: String = THREADS_CHECKS
        .iter()
        .map(|name| format!("threads: {name} ok\n"))
        .collect();
    out.push_str(&format!(
        "threads: {} passed, 0 failed\n",
        THREADS_CHECKS.len()
    ));
    out
}

/// What `threads checksum N` prints: the checksum of its 8 MiB (the high bytes of a 64-bit
/// LCG with Knuth's MMIX constants), each byte times its position plus one, summed, computed
/// here on one thread.
fn threads_checksum_output(threads: usize) -> String {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut sum = 0u64;
    let len = 8usize << 20;
    for i in 0..len {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        sum = sum.wrapping_add((state >> 56).wrapping_mul(i as u64 + 1));
    }
    format!("checksum: {len} bytes, {threads} threads, {sum:#018x}\n")
}

/// The runs every build of the examples must pass, natively, under qemu-user and (`vm-test`)
/// on the real kernels: `hello`; `statics`, whose writable statics break a wrong segment
/// layout; `fds`, `hello` and `cat` started without a standard stream, which `rt` must replace
/// with `/dev/null` before any file can take its number; and a panic whose message panics.
pub fn output_checks(target: &Target) -> Vec<OutputCheck> {
    let greeting = format!("Hello from barecall on {}!\n", arch_name(target));
    vec![
        OutputCheck::new("hello", &[], &greeting),
        OutputCheck::new("statics", &["a", "b"], "10 3\n"),
        OutputCheck::new("fds", &[], FDS_OUTPUT).closed(0),
        OutputCheck::new("fds", &[], "").closed(1),
        OutputCheck::new("fds", &[], FDS_OUTPUT).closed(2),
        // Writing to the missing stdout succeeds: it is /dev/null.
        OutputCheck::new("hello", &[], "").closed(1),
        // Reading the missing stdin is the end of an empty file.
        OutputCheck::new("cat", &[], "").closed(0),
        // An epoll echo server and 8 clients over TCP on 127.0.0.1 (vm-init brings `lo` up).
        OutputCheck::new("echo", ECHO_ARGS, &echo_output()),
        // Threads without libc: spawns and joins, stacks that free themselves, the futex
        // locks; and a checksum with 8 threads that must equal the single-threaded one.
        OutputCheck::new("threads", &["check"], &threads_check_output()),
        OutputCheck::new("threads", &["checksum", "8"], &threads_checksum_output(8)),
        OutputCheck {
            stderr: "panicked at src/bin/panic.rs:14:9:\npanicked while processing panic\n"
                .to_owned(),
            status: 101,
            ..OutputCheck::new("panic", &["recursive"], "")
        },
    ]
}

/// The input file of [`vm_sort_checks`] in the VMs' root.
pub const SORT_INPUT_FILE: &str = "/sort-input";

/// `sort` on the real kernels (release build): the digest of 10 MiB of lines (the console
/// is too slow for the lines themselves) against the host's `LC_ALL=C sort`'s, and the
/// allocation failure under a small RLIMIT_AS, which under qemu-user could not be set on
/// the program alone; and, under such a limit too, `threads stack-limit`.
pub fn vm_sort_checks() -> Result<Vec<OutputCheck>, String> {
    let digest = sort_digest(&host_sort(&sort_input())?);
    Ok(vec![
        OutputCheck {
            stdin_file: Some(SORT_INPUT_FILE),
            ..OutputCheck::new("sort", &["--digest"], &digest)
        },
        OutputCheck {
            stdin_file: Some(SORT_INPUT_FILE),
            address_space_kib: Some(SORT_ADDRESS_SPACE_KIB),
            stderr_is: Some(is_allocation_failure),
            status: 101,
            ..OutputCheck::new("sort", &[], "")
        },
        // A thread's stack past RLIMIT_AS: ENOMEM, nothing left behind.
        OutputCheck {
            address_space_kib: Some(THREADS_ADDRESS_SPACE_KIB),
            ..OutputCheck::new(
                "threads",
                &["stack-limit"],
                "threads: a 2 GiB stack under RLIMIT_AS: ENOMEM, nothing left\n",
            )
        },
    ])
}

/// The RLIMIT_AS `threads stack-limit` runs under in the VMs: 512 MiB, room for the program
/// and a default thread, not for a 2 GiB stack.
const THREADS_ADDRESS_SPACE_KIB: u64 = 512 << 10;

/// The name `hello` prints for `target`.
fn arch_name(target: &Target) -> &'static str {
    let arch = target.triple.split('-').next().unwrap_or("");
    match arch {
        a if a.starts_with("x86_64") => "x86_64",
        a if a.starts_with("aarch64") => "aarch64",
        a if a.starts_with("riscv64") => "riscv64",
        _ => "arm",
    }
}

/// 1 MiB of reproducible, incompressible-looking bytes.
fn test_input() -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..1 << 20)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

fn expect(report: &mut Report, what: &str, run: &Run, stdout: &[u8], stderr: &[u8], status: i32) {
    let mut wrong = Vec::new();
    if run.stdout != stdout {
        wrong.push(format!(
            "stdout {} bytes {:?}, expected {} bytes {:?}",
            run.stdout.len(),
            String::from_utf8_lossy(&run.stdout[..run.stdout.len().min(200)]),
            stdout.len(),
            String::from_utf8_lossy(&stdout[..stdout.len().min(200)])
        ));
    }
    if run.stderr != stderr {
        wrong.push(format!(
            "stderr {:?}, expected {:?}",
            String::from_utf8_lossy(&run.stderr),
            String::from_utf8_lossy(stderr)
        ));
    }
    if run.status != Some(status) {
        wrong.push(format!("status {:?}, expected {status}", run.status));
    }
    if wrong.is_empty() {
        report.checks_passed += 1;
    } else {
        report
            .problems
            .push(format!("{what}: {}", wrong.join("; ")));
    }
}

/// Builds the examples for `target` (README's recipe and `--tiny`), runs each with known input,
/// checks their output, that they are libc-free, and the size budget.
pub fn check(root: &Path, scratch: &Path, target: &Target) -> Report {
    let mut report = Report::default();
    if let Err(e) = check_into(root, scratch, target, &mut report) {
        report.problems.push(e);
    }
    report
}

fn check_into(
    root: &Path,
    scratch: &Path,
    target: &Target,
    report: &mut Report,
) -> Result<(), String> {
    let dir = build(root, target, Build::Recipe)?;
    let debug_dir = build(root, target, Build::Debug)?;
    let tiny_dir = build(root, target, Build::Tiny)?;
    let hello = dir.join("hello");
    let tiny = tiny_dir.join("hello.tiny");

    let checks = output_checks(target);
    let runs = checks.iter().flat_map(|check| {
        [dir.join(check.binary), debug_dir.join(check.binary)].map(|binary| (binary, check))
    });
    // `--tiny` builds hello alone.
    for (binary, check) in runs.chain([(tiny.clone(), &checks[0])]) {
        let run = run_with_closed(target, &binary, check.args, &[], b"", check.closed_fd)?;
        let what = format!("{} ({})", check.describe(), binary.display());
        let (stdout, stderr) = (check.stdout.as_bytes(), check.stderr.as_bytes());
        expect(report, &what, &run, stdout, stderr, check.status);
    }

    if let Some(flag) = other_instruction_set(target) {
        let binary = build(root, target, Build::OtherInstructionSet(flag))?.join("hello");
        let check = &checks[0];
        let run = run(target, &binary, check.args, &[], b"")?;
        let what = format!("hello built with {flag} from an argument file");
        expect(report, &what, &run, check.stdout.as_bytes(), b"", 0);
    }

    let input = test_input();
    let cat = dir.join("cat");
    let piped = run(target, &cat, &[], &[], &input)?;
    expect(report, "cat < 1 MiB", &piped, &input, b"", 0);

    let file = scratch.join(format!("cat-input-{}", target.triple));
    std::fs::write(&file, b"abc\n").map_err(|e| format!("{}: {e}", file.display()))?;
    let file_arg = file.to_string_lossy().into_owned();
    let missing = "/nonexistent/barecall-cat";
    let with_error = run(target, &cat, &[missing, &file_arg], &[], b"")?;
    let message = format!("cat: {missing}: No such file or directory\n");
    expect(
        report,
        "cat MISSING FILE",
        &with_error,
        b"abc\n",
        message.as_bytes(),
        1,
    );

    let env = dir.join("env");
    let env_run = run(
        target,
        &env,
        &["one", "two words"],
        &[("BARECALL_EXAMPLE", "yes")],
        b"",
    )?;
    let expected = format!(
        "arg[0] = {}\narg[1] = one\narg[2] = two words\nenv: BARECALL_EXAMPLE=yes\nAT_PAGESZ = 4096\n",
        env.display()
    );
    expect(
        report,
        "env one 'two words'",
        &env_run,
        expected.as_bytes(),
        b"",
        0,
    );

    let panic = dir.join("panic");
    let panicked = run(target, &panic, &["x"], &[], b"")?;
    let message = "panicked at src/bin/panic.rs:17:5:\ndeliberately, with 2 argument(s)\n";
    expect(report, "panic x", &panicked, b"", message.as_bytes(), 101);

    check_sort(report, target, &dir)?;

    let unstripped_dir = build(root, target, Build::Unstripped)?;
    // The stripped binaries (and `--tiny`'s, without section headers) only show their
    // program headers; the same programs unstripped, release and debug, show their symbols.
    let names = [
        "hello", "cat", "env", "panic", "statics", "fds", "sort", "threads", "echo", "vm-init",
    ];
    let stripped = names
        .iter()
        .map(|name| dir.join(name))
        .chain([tiny.clone()]);
    for binary in stripped {
        check_libc_free(report, &binary, |elf| elf.load_problems())?;
    }
    let unstripped = names
        .iter()
        .flat_map(|name| [unstripped_dir.join(name), debug_dir.join(name)]);
    for binary in unstripped {
        check_libc_free(report, &binary, |elf| elf.libc_dependencies())?;
    }

    let size = |path: &Path| {
        std::fs::metadata(path)
            .map(|m| m.len())
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let (hello_bytes, tiny_bytes) = (size(&hello)?, size(&tiny)?);
    report.hello_bytes = Some(hello_bytes);
    report.tiny_bytes = Some(tiny_bytes);
    if hello_bytes > HELLO_BUDGET {
        report.problems.push(format!(
            "hello is {hello_bytes} bytes, over the budget of {HELLO_BUDGET}"
        ));
    }
    if tiny_bytes > TINY_BUDGET {
        report.problems.push(format!(
            "hello --tiny is {tiny_bytes} bytes, over the budget of {TINY_BUDGET}"
        ));
    }
    Ok(())
}

/// The heap limit of `sort`'s allocation-failure run: far below what 10 MiB of lines need.
pub const SORT_HEAP_LIMIT: &str = "1048576";
/// The address-space limit (KiB) of `sort`'s run on a real kernel: the kernel refuses the
/// heap's `mmap`/`mremap` with ENOMEM.
pub const SORT_ADDRESS_SPACE_KIB: u64 = 8192;

/// 10 MiB of reproducible UTF-8 lines for `sort`: 0 to 79 characters each, drawn from ASCII
/// (not the newline), Latin-1, Greek, CJK and emoji, so that the lines hold bytes from 1 to
/// 0xF4 and the order must be unsigned; few distinct first characters, so that lines share
/// prefixes; the last line without its newline.
pub fn sort_input() -> Vec<u8> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    const RANGES: [(u32, u32); 5] = [
        (0x01, 0x7f),
        (0xa0, 0x100),
        (0x391, 0x3ca),
        (0x4e00, 0x4e40),
        (0x1f600, 0x1f650),
    ];
    let mut input = Vec::with_capacity((10 << 20) + 80);
    let mut utf8 = [0u8; 4];
    while input.len() < 10 << 20 {
        let len = next() % 80;
        for i in 0..len {
            let (low, high) = RANGES[(next() % 5) as usize];
            let span = if i == 0 { 3 } else { u64::from(high - low) };
            let code = low + (next() % span) as u32;
            let c = char::from_u32(code).filter(|&c| c != '\n').unwrap_or('x');
            input.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
        input.push(b'\n');
    }
    input.pop();
    input
}

/// The host's `LC_ALL=C sort` of `input`.
pub fn host_sort(input: &[u8]) -> Result<Vec<u8>, String> {
    let mut command = Command::new("sort");
    command.env("LC_ALL", "C");
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the host's sort: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("sort's stdin")?;
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(&input);
    });
    let output = child
        .wait_with_output()
        .map_err(|e| format!("waiting for the host's sort: {e}"))?;
    let _ = feeder.join();
    if !output.status.success() {
        return Err(format!("the host's sort failed: {}", output.status));
    }
    Ok(output.stdout)
}

/// What `sort --digest` prints for output `sorted`: lines, bytes and the FNV-1a hash.
pub fn sort_digest(sorted: &[u8]) -> String {
    let hash = sorted.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let lines = sorted.iter().filter(|&&b| b == b'\n').count();
    format!(
        "{lines} lines, {} bytes, fnv1a64 {hash:016x}\n",
        sorted.len()
    )
}

/// Whether `text` is the alloc error handler's report through barecall's panic handler:
/// `panicked at LOCATION:` (inside the `alloc` library) and `memory allocation of N bytes failed`.
pub fn is_allocation_failure(text: &str) -> bool {
    let mut lines = text.lines();
    let (Some(first), Some(second), None) = (lines.next(), lines.next(), lines.next()) else {
        return false;
    };
    first.starts_with("panicked at ")
        && second
            .strip_prefix("memory allocation of ")
            .and_then(|rest| rest.strip_suffix(" bytes failed"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `sort` on 10 MiB of lines: its output byte for byte against the host's `LC_ALL=C sort`, its
/// `--digest` against the digest of that, and its allocation failures: under `--heap-limit`
/// everywhere, and (natively) under a small `RLIMIT_AS`, which under qemu-user would limit
/// qemu rather than the program.
fn check_sort(report: &mut Report, target: &Target, dir: &Path) -> Result<(), String> {
    let sort = dir.join("sort");
    let input = sort_input();
    let expected = host_sort(&input)?;
    let sorted = run(target, &sort, &[], &[], &input)?;
    expect(report, "sort < 10 MiB", &sorted, &expected, b"", 0);
    let digest = run(target, &sort, &["--digest"], &[], &input)?;
    let expected_digest = sort_digest(&expected);
    expect(
        report,
        "sort --digest < 10 MiB",
        &digest,
        expected_digest.as_bytes(),
        b"",
        0,
    );
    let limited = run(
        target,
        &sort,
        &["--heap-limit", SORT_HEAP_LIMIT],
        &[],
        &input,
    )?;
    expect_allocation_failure(report, "sort --heap-limit", &limited);
    let not_utf8 = run(target, &sort, &[], &[], b"ok\n\xff\n")?;
    expect(
        report,
        "sort < not UTF-8",
        &not_utf8,
        b"",
        b"sort: line 2 is not UTF-8\n",
        1,
    );
    if target.qemu.is_none() {
        let script = format!("ulimit -v {SORT_ADDRESS_SPACE_KIB} && exec \"$0\"");
        let mut command = Command::new("sh");
        command.env_clear().arg("-c").arg(script).arg(&sort);
        let limited = run_command(command, &sort, &input)?;
        expect_allocation_failure(report, "sort under RLIMIT_AS", &limited);
    }
    Ok(())
}

fn expect_allocation_failure(report: &mut Report, what: &str, run: &Run) {
    let stderr = String::from_utf8_lossy(&run.stderr);
    if run.stdout.is_empty() && run.status == Some(101) && is_allocation_failure(&stderr) {
        report.checks_passed += 1;
    } else {
        report.problems.push(format!(
            "{what}: printed {} bytes, stderr {stderr:?}, status {:?}; expected the alloc \
             error handler's message and status 101",
            run.stdout.len(),
            run.status
        ));
    }
}

/// Counts a check passed when `problems` finds nothing wrong with `binary`'s ELF.
fn check_libc_free(
    report: &mut Report,
    binary: &Path,
    problems: impl Fn(&Elf) -> Result<Vec<String>, String>,
) -> Result<(), String> {
    let data = std::fs::read(binary).map_err(|e| format!("{}: {e}", binary.display()))?;
    let problems = problems(&Elf::parse(&data)?)?;
    if problems.is_empty() {
        report.checks_passed += 1;
    } else {
        report.problems.push(format!(
            "{} is not libc-free: {}",
            binary.display(),
            problems.join(", ")
        ));
    }
    Ok(())
}

/// The flag that compiles a 32-bit arm target in its other instruction set: A32 code for a
/// Thumb-2 target, Thumb-2 code for an A32 one.
fn other_instruction_set(target: &Target) -> Option<&'static str> {
    if target.triple.starts_with("thumbv7") {
        Some("-Ctarget-feature=-thumb-mode")
    } else if target.triple.starts_with("armv7") {
        Some("-Ctarget-feature=+thumb-mode")
    } else {
        None
    }
}

/// README must carry the recipes (the freestanding crate, and its heap for `alloc`) exactly as
/// `examples/` uses them.
pub fn check_readme_recipe(root: &Path) -> Result<(), String> {
    let readme =
        std::fs::read_to_string(root.join("README.md")).map_err(|e| format!("README.md: {e}"))?;
    let dir = examples_dir(root);
    let config = std::fs::read_to_string(dir.join(".cargo/config.toml"))
        .map_err(|e| format!("examples/.cargo/config.toml: {e}"))?;
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml"))
        .map_err(|e| format!("examples/Cargo.toml: {e}"))?;
    let profile_start = manifest
        .find("[profile.")
        .ok_or("examples/Cargo.toml has no profile")?;
    let profile_end = manifest[profile_start..]
        .find("\n\n# ")
        .map_or(manifest.len(), |i| profile_start + i + 1);
    let profile = &manifest[profile_start..profile_end];
    let heap = std::fs::read_to_string(dir.join("src/heap.rs"))
        .map_err(|e| format!("examples/src/heap.rs: {e}"))?;
    let dlmalloc = manifest
        .lines()
        .find(|line| line.starts_with("dlmalloc = "))
        .ok_or("examples/Cargo.toml has no dlmalloc dependency")?;
    let heap_feature = manifest
        .lines()
        .find(|line| line.starts_with("heap = "))
        .ok_or("examples/Cargo.toml has no heap feature")?;
    for (name, text) in [
        ("examples/.cargo/config.toml", config.as_str()),
        ("examples/Cargo.toml's profiles", profile),
        ("examples/src/heap.rs", heap.as_str()),
        ("examples/Cargo.toml's dlmalloc line", dlmalloc),
        ("examples/Cargo.toml's heap feature", heap_feature),
    ] {
        if !readme.contains(text) {
            return Err(format!("README.md does not contain {name} word for word"));
        }
    }
    Ok(())
}

/// `cargo xtask hello [--target TRIPLE] [--tiny]`.
pub fn hello_command(args: &[String]) -> Result<bool, String> {
    let mut names = Vec::new();
    let mut tiny = false;
    let mut install = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--target" => names.push(args.next().ok_or("--target needs a triple")?.clone()),
            "--tiny" => tiny = true,
            "--install" => install = true,
            other => return Err(format!("hello: unknown option {other}")),
        }
    }
    if names.is_empty() {
        names.push("x86_64-unknown-linux-gnu".to_owned());
    }
    let targets = crate::targets::select(&names)?;
    if let Some(bare) = targets.iter().find(|t| t.qemu.is_none() && !t.is_host()) {
        return Err(format!("{} has no Linux to run on", bare.triple));
    }
    crate::setup::ensure(&targets, install)?;
    let root = crate::workspace_root();
    let mut ok = true;
    for target in targets {
        let dir = build(
            &root,
            target,
            if tiny { Build::Tiny } else { Build::Recipe },
        )?;
        let binary = dir.join(if tiny { "hello.tiny" } else { "hello" });
        let result = run(target, &binary, &[], &[], b"")?;
        print!("{}", String::from_utf8_lossy(&result.stdout));
        eprint!("{}", String::from_utf8_lossy(&result.stderr));
        let size = std::fs::metadata(&binary).map(|m| m.len()).unwrap_or(0);
        println!(
            "{}: {} bytes, exit status {:?}{}",
            binary.display(),
            size,
            result.status,
            target
                .qemu
                .map(|q| format!(" (under {q})"))
                .unwrap_or_default()
        );
        ok &= result.status == Some(0);
    }
    Ok(ok)
}
