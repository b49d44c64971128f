//! The floor: each benchmarked system call written by hand as inline asm at the call site.
//!
//! Nothing but the argument registers, the `syscall` instruction and one unsigned compare of
//! the result against `-4096` (`-4095..=-1` is `-errno`). Every block carries the most
//! permissive options the call allows (`nostack`, `preserves_flags`, and `readonly` where the
//! kernel writes no user memory), so no implementation can beat it by asking the compiler for
//! less. x86_64 only: the numbers below are the ones of `arch/x86_64.rs`'s ABI.

use crate::fail;
use core::arch::asm;
use core::mem::MaybeUninit;
use std::os::fd::RawFd;

const SYS_READ: usize = 0;
const SYS_WRITE: usize = 1;
const SYS_CLOSE: usize = 3;
const SYS_IOCTL: usize = 16;
const SYS_PREAD64: usize = 17;
const SYS_PWRITE64: usize = 18;
const SYS_READV: usize = 19;
const SYS_WRITEV: usize = 20;
const SYS_FCNTL: usize = 72;
const SYS_DUP3: usize = 292;
const F_GETFD: usize = 1;
const FIONREAD: usize = 0x541b;

/// The one compare: a raw result in `-4095..=-1` is an error, which ends the run.
#[inline(always)]
fn check(raw: usize) -> u64 {
    if raw > -4096_isize as usize {
        fail()
    }
    raw as u64
}

/// `syscall` with three arguments, for calls that may write user memory.
macro_rules! syscall3 {
    ($nr:expr, $a0:expr, $a1:expr, $a2:expr $(, $opt:ident)?) => {{
        let ret: usize;
        asm!(
            "syscall",
            inlateout("rax") $nr => ret,
            in("rdi") $a0,
            in("rsi") $a1,
            in("rdx") $a2,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags $(, $opt)?),
        );
        ret
    }};
}

/// `write(fd, buf, len)`.
///
/// # Safety
///
/// `buf` is valid for reads of `len` bytes.
#[inline(always)]
pub unsafe fn write(fd: RawFd, buf: *const u8, len: usize) -> u64 {
    // SAFETY: the caller vouches for the buffer; write only reads user memory.
    check(unsafe { syscall3!(SYS_WRITE, fd, buf, len, readonly) })
}

/// `read(fd, buf, len)`.
///
/// # Safety
///
/// `buf` is valid for writes of `len` bytes.
#[inline(always)]
pub unsafe fn read(fd: RawFd, buf: *mut u8, len: usize) -> u64 {
    // SAFETY: the caller vouches for the buffer, the only memory read writes.
    check(unsafe { syscall3!(SYS_READ, fd, buf, len) })
}

/// `pread64(fd, buf, len, offset)`.
///
/// # Safety
///
/// `buf` is valid for writes of `len` bytes.
#[inline(always)]
pub unsafe fn pread(fd: RawFd, buf: *mut u8, len: usize, offset: i64) -> u64 {
    let ret: usize;
    // SAFETY: the caller vouches for the buffer, the only memory pread writes.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_PREAD64 => ret,
            in("rdi") fd,
            in("rsi") buf,
            in("rdx") len,
            in("r10") offset,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    check(ret)
}

/// `pwrite64(fd, buf, len, offset)`.
///
/// # Safety
///
/// `buf` is valid for reads of `len` bytes.
#[inline(always)]
pub unsafe fn pwrite(fd: RawFd, buf: *const u8, len: usize, offset: i64) -> u64 {
    let ret: usize;
    // SAFETY: the caller vouches for the buffer; pwrite only reads user memory.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_PWRITE64 => ret,
            in("rdi") fd,
            in("rsi") buf,
            in("rdx") len,
            in("r10") offset,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags, readonly),
        );
    }
    check(ret)
}

/// `readv(fd, iov, count)`.
///
/// # Safety
///
/// `iov` points to `count` iovecs, each over writable memory.
#[inline(always)]
pub unsafe fn readv(fd: RawFd, iov: *const libc::iovec, count: usize) -> u64 {
    // SAFETY: the caller vouches for the iovecs and their buffers.
    check(unsafe { syscall3!(SYS_READV, fd, iov, count) })
}

/// `writev(fd, iov, count)`.
///
/// # Safety
///
/// `iov` points to `count` iovecs, each over readable memory.
#[inline(always)]
pub unsafe fn writev(fd: RawFd, iov: *const libc::iovec, count: usize) -> u64 {
    // SAFETY: the caller vouches for the iovecs; writev only reads user memory.
    check(unsafe { syscall3!(SYS_WRITEV, fd, iov, count, readonly) })
}

/// `dup3(fd, new, 0)` then `close(new)`, whose result is ignored (as barecall and rustix do).
///
/// # Safety
///
/// The fd number `new` belongs to the caller, and nothing else uses it.
#[inline(always)]
pub unsafe fn dup3_close(fd: RawFd, new: RawFd) -> u64 {
    let ret: usize;
    // SAFETY: dup3 touches no user memory and puts a new open file at `new`, which the caller
    // owns; close releases it again.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_DUP3 => ret,
            in("rdi") fd,
            in("rsi") new,
            in("rdx") 0,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags, readonly),
        );
        check(ret);
        asm!(
            "syscall",
            inlateout("rax") SYS_CLOSE => _,
            in("rdi") new,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags, readonly),
        );
    }
    0
}

/// `fcntl(fd, F_GETFD)`, as the 32-bit flags word every typed API returns.
#[inline(always)]
pub fn fcntl_getfd(fd: RawFd) -> u64 {
    let ret: usize;
    // SAFETY: F_GETFD touches no user memory; on a bad fd it only fails.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_FCNTL => ret,
            in("rdi") fd,
            in("rsi") F_GETFD,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags, readonly),
        );
    }
    check(ret) as u32 as u64
}

/// `ioctl(fd, FIONREAD, &count)`, returning `count`.
#[inline(always)]
pub fn ioctl_fionread(fd: RawFd) -> u64 {
    let mut count = MaybeUninit::<i32>::uninit();
    let ret: usize;
    // SAFETY: FIONREAD writes one `int` through the pointer, which is live and writable.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_IOCTL => ret,
            in("rdi") fd,
            in("rsi") FIONREAD,
            in("rdx") count.as_mut_ptr(),
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    check(ret);
    // SAFETY: the call succeeded, so the kernel wrote the count.
    unsafe { count.assume_init() as u64 }
}
