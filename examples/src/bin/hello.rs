//! Prints a greeting naming the architecture, and exits 0.
#![no_std]
#![no_main]

barecall::main!(main);

fn main(_: barecall::rt::Startup) -> i32 {
    let greeting = concat!("Hello from barecall on ", arch!(), "!\n");
    // One write: a terminal or pipe takes a line this short whole (`cat` shows `write_all`).
    match barecall::io::write(barecall::stdio::stdout(), greeting.as_bytes()) {
        Ok(n) if n == greeting.len() => 0,
        _ => 1,
    }
}

// The architecture's name as a literal, for `concat!`: no formatting code in a tiny binary.
#[cfg(target_arch = "x86_64")]
macro_rules! arch {
    () => {
        "x86_64"
    };
}
#[cfg(target_arch = "aarch64")]
macro_rules! arch {
    () => {
        "aarch64"
    };
}
#[cfg(target_arch = "riscv64")]
macro_rules! arch {
    () => {
        "riscv64"
    };
}
#[cfg(target_arch = "arm")]
macro_rules! arch {
    () => {
        "arm"
    };
}
use arch;
