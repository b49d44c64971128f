//! The process module's types.

use linux_raw_sys::general as k;

/// A resource whose use [`getrlimit`](crate::process::getrlimit),
/// [`setrlimit`](crate::process::setrlimit) and [`prlimit`](crate::process::prlimit) limit.
#[derive(Copy, Clone, Debug, Eq, PartialEq)]
#[repr(u32)]
#[non_exhaustive]
pub enum Resource {
    /// `RLIMIT_CPU`: CPU time, in seconds.
    Cpu = k::RLIMIT_CPU,
    /// `RLIMIT_FSIZE`: the size of files the process writes, in bytes.
    Fsize = k::RLIMIT_FSIZE,
    /// `RLIMIT_DATA`: the size of the data segment and heap, in bytes.
    Data = k::RLIMIT_DATA,
    /// `RLIMIT_STACK`: the size of the main thread's stack, in bytes.
    Stack = k::RLIMIT_STACK,
    /// `RLIMIT_CORE`: the size of core dumps, in bytes.
    Core = k::RLIMIT_CORE,
    /// `RLIMIT_RSS`: resident set size (not enforced).
    Rss = k::RLIMIT_RSS,
    /// `RLIMIT_NPROC`: the number of processes of the real user ID.
    Nproc = k::RLIMIT_NPROC,
    /// `RLIMIT_NOFILE`: one more than the highest fd number the process may open.
    Nofile = k::RLIMIT_NOFILE,
    /// `RLIMIT_MEMLOCK`: bytes of memory locked in RAM.
    Memlock = k::RLIMIT_MEMLOCK,
    /// `RLIMIT_AS`: the size of the address space, in bytes.
    As = k::RLIMIT_AS,
    /// `RLIMIT_LOCKS`: the number of file locks (not enforced).
    Locks = k::RLIMIT_LOCKS,
    /// `RLIMIT_SIGPENDING`: the number of signals queued for the real user ID.
    Sigpending = k::RLIMIT_SIGPENDING,
    /// `RLIMIT_MSGQUEUE`: bytes in POSIX message queues of the real user ID.
    Msgqueue = k::RLIMIT_MSGQUEUE,
    /// `RLIMIT_NICE`: the ceiling of the nice value, as `20 - limit`.
    Nice = k::RLIMIT_NICE,
    /// `RLIMIT_RTPRIO`: the ceiling of the real-time priority.
    Rtprio = k::RLIMIT_RTPRIO,
    /// `RLIMIT_RTTIME`: CPU time under real-time scheduling without blocking, in microseconds.
    Rttime = k::RLIMIT_RTTIME,
}

/// The resource number, as the register of a syscall argument.
impl From<Resource> for crate::conv::Arg<'static> {
    #[inline(always)]
    fn from(resource: Resource) -> Self {
        crate::conv::c_uint(resource as u32)
    }
}

/// `struct rlimit`—The limits of one resource, `None` meaning unlimited (`RLIM_INFINITY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rlimit {
    /// The current, "soft", limit, which the kernel enforces.
    pub current: Option<u64>,
    /// The maximum, "hard", limit, up to which the process may raise the current one.
    pub maximum: Option<u64>,
}

/// `RLIM64_INFINITY`, which linux-raw-sys spells as the `int` -1.
const INFINITY: u64 = k::RLIM64_INFINITY as i64 as u64;

impl Rlimit {
    /// As the kernel's `struct rlimit64`. `Some(u64::MAX)` is `RLIM64_INFINITY`, as `None` is.
    #[inline]
    pub(crate) fn to_kernel(self) -> k::rlimit64 {
        k::rlimit64 {
            rlim_cur: self.current.unwrap_or(INFINITY),
            rlim_max: self.maximum.unwrap_or(INFINITY),
        }
    }

    /// From the kernel's `struct rlimit64`.
    #[inline]
    pub(crate) fn from_kernel(limit: k::rlimit64) -> Self {
        let limit_of = |value| if value == INFINITY { None } else { Some(value) };
        Self {
            current: limit_of(limit.rlim_cur),
            maximum: limit_of(limit.rlim_max),
        }
    }
}
