//! The test binaries of the test sets: listed by cargo, each run by the harness itself under a
//! timeout, in an environment the harness sets.
//!
//! `cargo test` would wait forever for a test that hangs; here a binary that outlives its bound
//! is killed (its whole process group) and reported by name with the last output it printed.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// The environment variables that change what a test does. The harness removes them from
/// every run and sets the ones it means, so the caller's shell cannot leak into a result.
const HARNESS_VARIABLE_PREFIXES: &[&str] = &["QEMU_", "BARECALL_", "RUST_TEST_"];

/// The one such variable the caller may give on purpose: it repeats a differential run.
pub const SEED_VARIABLE: &str = "BARECALL_SEED";

/// The file the tests append their report lines to (`tests/common`'s `report`), besides
/// stderr.
pub const REPORT_FILE_VARIABLE: &str = "BARECALL_REPORT_FILE";

/// How many of its last output lines a binary that timed out or printed no result shows.
pub const TAIL_LINES: usize = 20;

/// A test binary that cargo built: `name` is its file name without cargo's hash, followed by
/// the index of its test set (`read_write-0`), the same on every target and tier.
pub struct TestBinary {
    pub name: String,
    pub path: PathBuf,
    /// Its package's directory, where `cargo test` would run it.
    pub dir: PathBuf,
}

/// The test binaries that `command` (a `cargo test --no-run --message-format json`, for test
/// set `set`) builds.
pub fn list(mut command: Command, set: usize) -> Result<Vec<TestBinary>, String> {
    let output = crate::setup::run_output(&mut command)?;
    let mut binaries = Vec::new();
    for line in output.lines() {
        let (Some(path), Some(manifest)) = (
            json_string(line, "executable"),
            json_string(line, "manifest_path"),
        ) else {
            continue;
        };
        let stem = Path::new(&path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let base = stem.rsplit_once('-').map_or(stem.as_str(), |(b, _)| b);
        binaries.push(TestBinary {
            name: format!("{base}-{set}"),
            path: PathBuf::from(path),
            dir: Path::new(&manifest)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
        });
    }
    if binaries.is_empty() {
        return Err(format!("{command:?} built no test binary"));
    }
    Ok(binaries)
}

/// The string value of `"key":"..."` in one line of cargo's JSON (paths have no escapes here).
fn json_string(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let end = line[start..].find('"')?;
    Some(line[start..start + end].to_owned())
}

/// Removes the variables of [`HARNESS_VARIABLE_PREFIXES`] from `command`'s environment, then
/// passes on the seed the caller gave, if any.
pub fn set_environment(command: &mut Command) {
    for (name, _) in std::env::vars_os() {
        let name_text = name.to_string_lossy();
        if HARNESS_VARIABLE_PREFIXES
            .iter()
            .any(|prefix| name_text.starts_with(prefix))
        {
            command.env_remove(&name);
        }
    }
    if let Some(seed) = given_seed() {
        command.env(SEED_VARIABLE, seed);
    }
}

/// The `BARECALL_SEED` of the caller's environment.
pub fn given_seed() -> Option<String> {
    std::env::var(SEED_VARIABLE).ok()
}

/// What a bounded run produced: stdout and stderr as they arrived, in one text.
pub struct Finished {
    pub output: String,
    pub success: bool,
    pub timed_out: bool,
}

/// Runs `command` (stdin empty) in a process group of its own; after `timeout` the whole group
/// is killed, so a hung test (or a child it forked) cannot hold the harness.
pub fn run_bounded(mut command: Command, timeout: Duration) -> Result<Finished, String> {
    use std::os::unix::process::CommandExt;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let output = Arc::new(Mutex::new(Vec::new()));
    let (done_tx, done_rx) = mpsc::channel();
    let streams: [Box<dyn Read + Send>; 2] = [
        Box::new(child.stdout.take().expect("piped")),
        Box::new(child.stderr.take().expect("piped")),
    ];
    for mut stream in streams {
        let (output, done) = (Arc::clone(&output), done_tx.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = stream.read(&mut buf) {
                output.lock().expect("reader").extend_from_slice(&buf[..n]);
            }
            let _ = done.send(());
        });
    }
    let deadline = Instant::now() + timeout;
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| format!("waiting: {e}"))? {
            break status;
        }
        if Instant::now() >= deadline {
            timed_out = true;
            kill_group(child.id());
            break child.wait().map_err(|e| format!("waiting: {e}"))?;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    // A child that escaped the group may keep a pipe open: give the readers a moment, then
    // report what arrived.
    for _ in 0..2 {
        let _ = done_rx.recv_timeout(Duration::from_secs(5));
    }
    let bytes = output.lock().expect("reader").clone();
    Ok(Finished {
        output: String::from_utf8_lossy(&bytes).into_owned(),
        success: status.success() && !timed_out,
        timed_out,
    })
}

/// SIGKILL to process group `pgid` (the xtask has no libc binding; kill(1) is everywhere).
fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .status();
}

/// The last `lines` lines of `text`, indented for a report.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    all[start..]
        .iter()
        .map(|line| format!("\n        | {line}"))
        .collect()
}
