//! barecall against hand-written asm, rustix, libc and std: instructions and time per call.
//!
//! `cargo xtask bench` drives this binary; its modes are:
//!
//! - `list`: every benchmark, one `OP IMPL` per line.
//! - `check`: runs each benchmark a few times and checks the value every call returns (and
//!   that no call failed into the `match` pattern's error handler).
//! - `count OP IMPL K [--thread]`: `K` calls of one benchmark, for `valgrind --tool=callgrind`;
//!   a run with `K = 0` does everything else the same, so the difference of the two instruction
//!   counts divided by `K` is the cost of one call.
//! - `time [--thread] [--calls N] [--reps R]`: wall time per call. Each repetition runs `N` calls
//!   of each implementation of an operation in turn (rotating which goes first); prints, per
//!   benchmark, the median over the repetitions of the nanoseconds per call and of the ratios to
//!   the asm floor, to libc and to rustix taken within each repetition.
//!
//! - `echo [--clients N] [--millis MS] [--reps R]`: echo round trips per second over TCP
//!   loopback, one epoll loop through barecall against the same loop through std and libc
//!   (`echo.rs`); prints the median rates and the median of the per-round ratios.
//!
//! `--thread` first spawns a second thread that stays parked for the whole run: glibc takes its
//! multi-threaded paths from then on.
//!
//! x86_64 only (the asm floor is written for it); elsewhere the program only says so.

#[cfg(target_arch = "x86_64")]
mod echo;
#[cfg(target_arch = "x86_64")]
mod floor;
#[cfg(target_arch = "x86_64")]
mod harness;
#[cfg(target_arch = "x86_64")]
mod ops;
#[cfg(target_arch = "x86_64")]
mod pattern;

#[cfg(target_arch = "x86_64")]
pub use harness::fail;

fn main() -> std::process::ExitCode {
    #[cfg(target_arch = "x86_64")]
    return harness::main();
    #[cfg(not(target_arch = "x86_64"))]
    {
        eprintln!("barecall-bench: the asm floor is written for x86_64 only");
        std::process::ExitCode::FAILURE
    }
}
