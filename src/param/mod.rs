//! Process parameters from the auxiliary vector: rustix's `param` module (feature `param`).

mod auxv;
pub(crate) mod syscalls;

#[cfg(feature = "rt")]
pub(crate) use auxv::init_from_initial_stack;
#[cfg(feature = "thread")]
pub(crate) use auxv::program_headers;
pub use auxv::{clock_ticks_per_second, linux_execfn, linux_hwcap, page_size};
