//! The process module's typed system calls.

use crate::conv::{by_mut, by_ref, c_int, ret, ret_c_int_infallible, ret_c_uint_infallible, zero};
use crate::errno::Result;
use crate::fd::BorrowedFd;
use crate::process::{Gid, Pid, Resource, Rlimit, Uid};
use core::mem::MaybeUninit;
use linux_raw_sys::general::rlimit64;

#[inline]
pub(crate) fn exit_group(status: i32) -> ! {
    // SAFETY: exit_group ends every thread of the process; it does not return.
    unsafe {
        crate::raw::syscall1_noreturn(crate::raw::nr::__NR_exit_group, c_int(status).into_raw())
    }
}

#[inline]
pub(crate) fn getpid() -> Pid {
    // SAFETY: getpid touches no memory.
    let raw = ret_c_int_infallible(unsafe { syscall_readonly!(__NR_getpid) });
    match Pid::from_raw(raw) {
        Some(pid) => pid,
        None => no_pid(),
    }
}

/// A `getpid` that returned 0, which no kernel does (only a tracer or seccomp filter rewriting
/// the result could): there is no `Pid` to return, and inventing one would be worse.
#[cold]
#[inline(never)]
fn no_pid() -> ! {
    panic!("getpid returned 0")
}

#[inline]
pub(crate) fn getppid() -> Option<Pid> {
    // SAFETY: getppid touches no memory.
    Pid::from_raw(ret_c_int_infallible(unsafe {
        syscall_readonly!(__NR_getppid)
    }))
}

// On 32-bit arm, `raw::nr` names the 32-bit-ID calls (`getuid32`, ...) with these names.

#[inline]
pub(crate) fn getuid() -> Uid {
    // SAFETY: getuid touches no memory.
    Uid::from_raw(ret_c_uint_infallible(unsafe {
        syscall_readonly!(__NR_getuid)
    }))
}

#[inline]
pub(crate) fn geteuid() -> Uid {
    // SAFETY: geteuid touches no memory.
    Uid::from_raw(ret_c_uint_infallible(unsafe {
        syscall_readonly!(__NR_geteuid)
    }))
}

#[inline]
pub(crate) fn getgid() -> Gid {
    // SAFETY: getgid touches no memory.
    Gid::from_raw(ret_c_uint_infallible(unsafe {
        syscall_readonly!(__NR_getgid)
    }))
}

#[inline]
pub(crate) fn getegid() -> Gid {
    // SAFETY: getegid touches no memory.
    Gid::from_raw(ret_c_uint_infallible(unsafe {
        syscall_readonly!(__NR_getegid)
    }))
}

#[inline]
pub(crate) fn getrlimit(resource: Resource) -> Rlimit {
    // Zeros, should the call fail (it cannot for a valid resource and this process, short of a
    // seccomp filter): the result is then "no use allowed", never uninitialized memory.
    let mut old = MaybeUninit::<rlimit64>::zeroed();
    // SAFETY: prlimit64 on this process (pid 0) with no new limits writes one `rlimit64`
    // through the pointer, which is live and writable.
    let _ = unsafe { syscall!(__NR_prlimit64, zero(), resource, zero(), by_mut(&mut old)) };
    // SAFETY: all zeros is a valid `rlimit64`, and so is what the kernel wrote.
    Rlimit::from_kernel(unsafe { old.assume_init() })
}

#[inline]
pub(crate) fn setrlimit(resource: Resource, new: Rlimit) -> Result<()> {
    let new = new.to_kernel();
    // SAFETY: prlimit64 on this process reads one `rlimit64` and, with a null old-limit
    // pointer, writes no user memory.
    unsafe {
        ret(syscall_readonly!(
            __NR_prlimit64,
            zero(),
            resource,
            by_ref(&new),
            zero()
        ))
    }
}

#[inline]
pub(crate) fn prlimit(pid: Option<Pid>, resource: Resource, new: Rlimit) -> Result<Rlimit> {
    let new = new.to_kernel();
    let mut old = MaybeUninit::<rlimit64>::uninit();
    // SAFETY: prlimit64 reads one `rlimit64` from `new` and, on success, writes one to `old`;
    // both are live.
    unsafe {
        ret(syscall!(
            __NR_prlimit64,
            pid,
            resource,
            by_ref(&new),
            by_mut(&mut old)
        ))?;
        Ok(Rlimit::from_kernel(old.assume_init()))
    }
}

#[cfg(feature = "fs")]
#[inline]
pub(crate) fn umask(mask: crate::fs::Mode) -> crate::fs::Mode {
    // SAFETY: umask touches no memory, and cannot fail.
    let old = ret_c_uint_infallible(unsafe { syscall_readonly!(__NR_umask, mask) });
    crate::fs::Mode::from_bits_retain(old)
}

#[cfg(feature = "fs")]
#[inline]
pub(crate) fn chdir(path: &core::ffi::CStr) -> Result<()> {
    // SAFETY: the kernel only reads the NUL-terminated path.
    unsafe { ret(syscall_readonly!(__NR_chdir, path)) }
}

#[inline]
pub(crate) fn fchdir(fd: BorrowedFd<'_>) -> Result<()> {
    // SAFETY: fchdir touches no user memory.
    unsafe { ret(syscall_readonly!(__NR_fchdir, fd)) }
}

/// The working directory, with its NUL, at the start of `buf`; `ERANGE` if it does not fit.
#[cfg(all(feature = "fs", feature = "alloc"))]
#[inline]
pub(crate) fn getcwd(buf: &mut [MaybeUninit<u8>]) -> Result<usize> {
    use crate::conv::{ret_usize, size, slice_mut_addr};
    let len = buf.len();
    // SAFETY: the kernel writes at most `len` bytes into `buf`, which is live and writable.
    unsafe { ret_usize(syscall!(__NR_getcwd, slice_mut_addr(buf), size(len))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_the_kernels() {
        use linux_raw_sys::general as k;
        assert_eq!(Resource::Nofile as u32, k::RLIMIT_NOFILE);
        assert_eq!(Resource::Rttime as u32, k::RLIMIT_RTTIME);
        assert_eq!(
            crate::conv::Arg::from(Resource::Stack).into_raw(),
            k::RLIMIT_STACK as usize
        );
    }

    #[test]
    fn infinity_is_none_both_ways() {
        let limit = Rlimit {
            current: Some(1024),
            maximum: None,
        };
        let kernel = limit.to_kernel();
        assert_eq!((kernel.rlim_cur, kernel.rlim_max), (1024, u64::MAX));
        assert_eq!(Rlimit::from_kernel(kernel), limit);
        let max = Rlimit {
            current: Some(u64::MAX),
            maximum: Some(u64::MAX - 1),
        };
        assert_eq!(
            Rlimit::from_kernel(max.to_kernel()),
            Rlimit {
                current: None,
                maximum: Some(u64::MAX - 1)
            }
        );
    }
}
