//! Waiting for events: rustix's `event` module (feature `event`): `poll`, `epoll` and
//! `eventfd`.

pub mod epoll;
mod eventfd;
mod poll;
pub(crate) mod syscalls;
mod types;

pub use crate::timespec::{Nsecs, Secs, Timespec};
pub use eventfd::eventfd;
pub use poll::poll;
pub use types::{EventfdFlags, PollFd, PollFlags};
