//! The modes of the benchmark binary (see the crate docs), on x86_64.

use crate::ops::{self, Bench, Files, BENCHES};
use crate::pattern::HANDLED_ERRORS;
use std::hint::black_box;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

/// Ends the run when a benchmarked call fails. Shared by every loop, and out of their way.
#[cold]
#[inline(never)]
pub fn fail() -> ! {
    panic!("a benchmarked call failed; `barecall-bench check` tells which");
}

/// A second thread, parked until dropped.
struct ParkedThread {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl ParkedThread {
    /// Spawns the thread. glibc counts it from `pthread_create` on, so there is nothing to wait
    /// for (a wait would make the instruction counts depend on scheduling).
    fn spawn() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = stop.clone();
        let handle = std::thread::spawn(move || {
            while !thread_stop.load(Ordering::Acquire) {
                std::thread::park();
            }
        });
        Self {
            stop,
            handle: Some(handle),
        }
    }
}

impl Drop for ParkedThread {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(handle) = self.handle.take() {
            handle.thread().unpark();
            let _ = handle.join();
        }
    }
}

/// The benchmark of `op` by `imp`.
fn find(op: &str, imp: &str) -> Result<&'static Bench, String> {
    BENCHES
        .iter()
        .find(|b| b.op == op && b.imp == imp)
        .ok_or_else(|| format!("no benchmark {op} {imp}; `list` shows them"))
}

/// Runs every benchmark once and three times; returns the ones whose value is wrong.
fn check(files: &Files) -> Vec<String> {
    let mut wrong = Vec::new();
    for bench in BENCHES {
        for k in [1, 3] {
            let value = (bench.run)(files, k);
            if value != bench.expect {
                wrong.push(format!(
                    "{} {}: {k} calls returned {value}, expected {}",
                    bench.op, bench.imp, bench.expect
                ));
            }
        }
    }
    let handled = HANDLED_ERRORS.load(Ordering::Relaxed);
    if handled != 0 {
        wrong.push(format!(
            "{handled} calls failed into the match pattern's error handler"
        ));
    }
    // SAFETY: F_GETFD touches no memory, and only asks whether the fd is open.
    if unsafe { libc::fcntl(ops::DUP_TARGET, libc::F_GETFD) } != -1 {
        wrong.push(format!(
            "fd {} is still open after dup3_close",
            ops::DUP_TARGET
        ));
    }
    wrong
}

/// The median of `values` (the mean of the middle two for an even count).
pub(crate) fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Wall time per call; see the module docs. Prints one tab-separated line per benchmark:
/// `time OP IMPL NS RATIO_ASM RATIO_LIBC RATIO_RUSTIX RATIO_STD` (medians; `-` where there is
/// no such implementation).
fn time(files: &Files, calls: u64, reps: usize) {
    let mut ops: Vec<&str> = BENCHES.iter().map(|b| b.op).collect();
    ops.dedup();
    // Warm up caches and branch predictors, and fault in whatever is lazy: one untimed round.
    for bench in BENCHES {
        black_box((bench.run)(files, calls));
    }
    // ns[i][rep] for BENCHES[i].
    let mut ns = vec![Vec::with_capacity(reps); BENCHES.len()];
    for rep in 0..reps {
        for op in &ops {
            let group: Vec<usize> = (0..BENCHES.len())
                .filter(|&i| BENCHES[i].op == *op)
                .collect();
            for turn in 0..group.len() {
                let i = group[(turn + rep) % group.len()];
                let start = Instant::now();
                black_box((BENCHES[i].run)(files, calls));
                let elapsed = start.elapsed();
                ns[i].push(elapsed.as_nanos() as f64 / calls as f64);
            }
        }
    }
    for (i, bench) in BENCHES.iter().enumerate() {
        let ratio_to = |imp: &str| {
            let Some(j) = BENCHES
                .iter()
                .position(|b| b.op == bench.op && b.imp == imp)
            else {
                return "-".to_owned();
            };
            let mut ratios: Vec<f64> = (0..reps).map(|rep| ns[i][rep] / ns[j][rep]).collect();
            format!("{:.4}", median(&mut ratios))
        };
        println!(
            "time\t{}\t{}\t{:.2}\t{}\t{}\t{}\t{}",
            bench.op,
            bench.imp,
            median(&mut ns[i].clone()),
            ratio_to("asm"),
            ratio_to("libc"),
            ratio_to("rustix"),
            ratio_to("std"),
        );
    }
}

/// The value following `flag` in `args`, parsed, or `default`.
fn option(args: &[String], flag: &str, default: u64) -> Result<u64, String> {
    match args.iter().position(|a| a == flag) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{flag} needs a number")),
    }
}

/// Parses the command line and runs the mode it names.
fn run(args: &[String]) -> Result<(), String> {
    let thread = args.iter().any(|a| a == "--thread");
    let files = Files::open().map_err(|e| format!("cannot open the benchmark's files: {e}"))?;
    let _second = thread.then(ParkedThread::spawn);
    match args.first().map(String::as_str) {
        Some("list") => {
            for bench in BENCHES {
                println!("{} {}", bench.op, bench.imp);
            }
        }
        Some("check") => {
            let wrong = check(&files);
            for line in &wrong {
                eprintln!("wrong: {line}");
            }
            if !wrong.is_empty() {
                return Err(format!("{} benchmarks returned wrong values", wrong.len()));
            }
            println!(
                "check: {} benchmarks return what they should",
                BENCHES.len()
            );
        }
        Some("count") => {
            let [op, imp, k] = [1, 2, 3].map(|i| args.get(i).map(String::as_str));
            let (Some(op), Some(imp), Some(k)) = (op, imp, k) else {
                return Err("usage: count OP IMPL K [--thread]".into());
            };
            let bench = find(op, imp)?;
            let k: u64 = k.parse().map_err(|_| format!("bad count {k}"))?;
            black_box((bench.run)(&files, black_box(k)));
        }
        Some("time") => {
            let calls = option(args, "--calls", 2_000)?;
            let reps = option(args, "--reps", 201)?;
            time(&files, calls.max(1), reps.max(1) as usize);
        }
        Some("echo") => {
            let clients = option(args, "--clients", 8)?.clamp(1, 64) as usize;
            let millis = option(args, "--millis", 200)?.max(1);
            let reps = option(args, "--reps", 11)?.max(1) as usize;
            crate::echo::run(clients, millis, reps)?;
        }
        _ => return Err("usage: barecall-bench list|check|count|time|echo ...".into()),
    }
    Ok(())
}

/// The program: parses the command line, runs the mode, reports errors.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("barecall-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_benchmark_returns_its_expected_value() {
        let files = Files::open().expect("open the benchmark's files");
        assert_eq!(check(&files), Vec::<String>::new());
    }

    #[test]
    fn every_operation_has_the_floor_and_the_four_others_where_they_exist() {
        for bench in BENCHES {
            find(bench.op, "barecall").expect("barecall");
            if THREAD_OPS.contains(&bench.op.trim_end_matches("/match")) {
                // No system call to floor, and neither rustix nor libc has such an API.
                find(bench.op, "std").expect("std");
                continue;
            }
            find(bench.op, "asm").expect("asm floor");
            find(bench.op, "rustix").expect("rustix");
            find(bench.op, "libc").expect("libc");
        }
        // Both patterns of each: 18 system calls with the floor, barecall, rustix and libc, 8
        // of them with std too, and the two thread operations with barecall and std.
        assert_eq!(BENCHES.len(), 2 * (18 * 4 + 8 + 2 * 2));
    }

    /// The operations of threads and locks, compared with std only.
    const THREAD_OPS: &[&str] = &["mutex_lock_unlock", "spawn_join"];

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }
}
