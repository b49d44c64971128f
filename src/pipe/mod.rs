//! Pipes: rustix's `pipe` module (feature `pipe`).

mod create;
mod fcntl;
mod splice;
pub(crate) mod syscalls;
mod types;

pub use create::{pipe, pipe_with};
pub use fcntl::{fcntl_getpipe_size, fcntl_setpipe_size};
pub use splice::{splice, tee, vmsplice};
pub use types::{IoSliceRaw, PipeFlags, SpliceFlags, PIPE_BUF};
