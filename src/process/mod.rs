//! Processes: rustix's `process` module (feature `process`): `exit`, IDs, resource limits, the
//! working directory and the file creation mask.

mod chdir;
mod exit;
mod id;
mod rlimit;
pub(crate) mod syscalls;
mod types;
#[cfg(feature = "fs")]
mod umask;

pub use crate::pid::{Pid, RawPid};
pub use crate::ugid::{Gid, RawGid, RawUid, Uid};
#[cfg(feature = "fs")]
pub use chdir::chdir;
pub use chdir::fchdir;
#[cfg(all(feature = "fs", feature = "alloc"))]
pub use chdir::getcwd;
pub use exit::exit;
pub use id::{getegid, geteuid, getgid, getpid, getppid, getuid};
pub use rlimit::{getrlimit, prlimit, setrlimit};
pub use types::{Resource, Rlimit};
#[cfg(feature = "fs")]
pub use umask::umask;
