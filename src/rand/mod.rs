//! Random bytes from the kernel: rustix's `rand` module (feature `rand`).

mod getrandom;
pub(crate) mod syscalls;
mod types;

pub use getrandom::getrandom;
pub use types::GetRandomFlags;
