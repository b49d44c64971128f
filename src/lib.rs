//! Linux system calls made directly, with inline asm: no libc, no vDSO, `no_std`.
//!
//! barecall offers rustix's API with the same names and signatures, so code written against
//! rustix ports by changing a `use`: `io` always, and each further module behind a cargo
//! feature named as rustix's.
//!
//! ```
//! use barecall::io;
//!
//! # fn main() -> io::Result<()> {
//! let (reader, writer) = barecall::pipe::pipe()?;
//! io::write(&writer, b"hello")?;
//! let mut buf = [0u8; 16];
//! let n = io::read(&reader, &mut buf)?;
//! assert_eq!(&buf[..n], b"hello");
//! assert_eq!(io::read(barecall::fs::CWD, &mut buf), Err(io::Errno::BADF));
//! # Ok(())
//! # }
//! ```
//!
//! The layers, from the bottom: [`raw`] is the syscall instruction of each architecture
//! (`arch/*.rs`); a private conversion core turns Rust values into arguments and raw results
//! into `Result`s; each module's private typed syscalls are a line or two over it; the public
//! functions are one-liners over those.
//!
//! # Features
//! - `std` (default): the fd types and `IoSlice`s are std's, and `Errno` converts to and from
//!   `std::io::Error`.
//! - API modules, as in rustix: `event`, `fs` (with `path`), `ioctl` (always there in rustix),
//!   `mm`, `net` (also with `path`), `param`, `pipe`, `process`, `rand`, `stdio`, `system`,
//!   `thread` (with the `sync` locks; it turns on `mm` and `param` for threads' stacks), and
//!   `all-apis` for every one; `try_close` adds `io::try_close`. `io`, `fd`, `buffer` and `raw`
//!   are always there. A build that needs only `io` compiles only `io`.
//! - `alloc`: `buffer::spare_capacity` and path arguments from `String`.
//! - `rt`: program entry (`_start`) for freestanding binaries, `main!`, `println!` and
//!   friends. Not for programs that link libc or std, which have their own `_start`.
//! - `panic-handler`: a `#[panic_handler]` that prints the message to stderr and exits with 101.
//! - `mem`: exports `memcpy`, `memmove`, `memset`, `memcmp`, `bcmp` and `strlen` (from [`mem`]) for
//!   targets where nothing else provides them without libc (`*-linux-gnu`).
//!
//! Without features the crate is `#![no_std]`, needs no allocator, and supplies its own fd and
//! `IoSlice` types with the same semantics.

#![no_std]
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

// What each `arch/` file assumes, besides its instruction: the word size (the registers are
// `usize`, a 64-bit offset is one register or a pair) and, on 32-bit arm, the order of that pair
// (low word first). x32 and aarch64 ILP32 (64-bit ABIs with 32-bit pointers) and big-endian arm
// break those assumptions without failing to compile, so they are refused here.
#[cfg(not(all(
    any(target_os = "linux", target_os = "none"),
    target_endian = "little",
    any(
        all(target_arch = "x86_64", target_pointer_width = "64"),
        all(target_arch = "aarch64", target_pointer_width = "64"),
        all(target_arch = "riscv64", target_pointer_width = "64"),
        all(target_arch = "arm", target_pointer_width = "32"),
    ),
)))]
compile_error!(
    "barecall supports Linux (and bare-metal `*-none`) on little-endian x86_64, aarch64 and \
     riscv64 with 64-bit pointers, and little-endian 32-bit arm (A32 and Thumb-2): not x32, \
     aarch64 ILP32 or big-endian arm. Tested targets: x86_64-unknown-linux-gnu, \
     aarch64-unknown-linux-gnu, riscv64gc-unknown-linux-gnu, armv7-unknown-linux-gnueabihf, \
     thumbv7neon-unknown-linux-gnueabihf, and the `*-none` builds listed in README."
);

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

#[path = "../arch/mod.rs"]
pub mod raw;

#[macro_use]
mod conv;
mod errno;
#[macro_use]
mod flags;

pub mod buffer;
// ---- event (issue 15) ----
#[cfg(feature = "event")]
pub mod event;
// ---- end event ----
pub mod fd;
#[cfg(feature = "fs")]
pub mod fs;
pub mod io;
// rustix compiles it always; here it has a feature of its own, as every module beyond `io`.
#[cfg(feature = "ioctl")]
pub mod ioctl;
pub mod mem;
#[cfg(any(feature = "fs", feature = "net"))]
pub mod path;
// ---- net (issue 15) ----
#[cfg(feature = "net")]
pub mod net;
// ---- end net ----
#[cfg(feature = "pipe")]
pub mod pipe;
#[cfg(feature = "process")]
pub mod process;
#[cfg(feature = "rand")]
pub mod rand;
pub mod rt;
#[cfg(feature = "stdio")]
pub mod stdio;
#[cfg(feature = "thread")]
pub mod sync;
#[cfg(feature = "system")]
pub mod system;
#[cfg(feature = "thread")]
pub mod thread;
// ---- mm / param (helper mm) ----
#[cfg(feature = "mm")]
pub mod mm;
#[cfg(feature = "param")]
pub mod param;
// ---- end mm / param ----

// Types more than one module shares, below them all.
#[cfg(any(feature = "process", feature = "thread"))]
mod pid;
// `Timespec`, which `fs`, `event` and `thread`'s futexes re-export (and a `time` module will).
#[cfg(any(feature = "fs", feature = "event", feature = "thread"))]
mod timespec;
#[cfg(any(feature = "fs", feature = "process"))]
mod ugid;

/// Serializes the unit tests that open or close fds, so that a number one test just closed
/// cannot be reused by another before it checks that it is closed.
#[cfg(test)]
fn test_fd_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
