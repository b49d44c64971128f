//! The system as a whole: rustix's `system` module (feature `system`); for now only `uname`.

pub(crate) mod syscalls;
mod types;
mod uname;

pub use types::Uname;
pub use uname::uname;
