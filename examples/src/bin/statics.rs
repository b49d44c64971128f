//! Counts its arguments into two writable statics, one initialised (`.data`) and one zeroed
//! (`.bss`), with atomic read-modify-writes, and prints both: what a freestanding link must get
//! right beyond code. The writable segment must not share a page with the code (the kernel
//! maps one over the other), and aarch64's atomics must not need libc.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicUsize, Ordering};

static FROM_SEVEN: AtomicUsize = AtomicUsize::new(7);
static FROM_ZERO: AtomicUsize = AtomicUsize::new(0);

barecall::main!(main);

fn main(startup: barecall::rt::Startup) -> i32 {
    for _ in startup.args() {
        FROM_SEVEN.fetch_add(1, Ordering::Relaxed);
        FROM_ZERO.fetch_add(1, Ordering::Relaxed);
    }
    barecall::println!(
        "{} {}",
        FROM_SEVEN.load(Ordering::Relaxed),
        FROM_ZERO.load(Ordering::Relaxed)
    );
    0
}
