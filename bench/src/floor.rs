//! The floor: each benchmarked system call written by hand as inline asm at the call site.
//!
//! Nothing but the argument registers, the `syscall` instruction and one unsigned compare of
//! the result against `-4096` (`-4095..=-1` is `-errno`), in either of the ways a caller takes
//! a result ([`Pattern::raw`]). Every block carries the most
//! permissive options the call allows (`nostack`, `preserves_flags`, and `readonly` where the
//! kernel writes no user memory), so no implementation can beat it by asking the compiler for
//! less. x86_64 only: the numbers below are the ones of `arch/x86_64.rs`'s ABI.

use crate::pattern::Pattern;
use core::arch::asm;
use core::mem::MaybeUninit;
use std::os::fd::RawFd;

const SYS_READ: usize = 0;
const SYS_WRITE: usize = 1;
const SYS_CLOSE: usize = 3;
const SYS_FSTAT: usize = 5;
const SYS_MMAP: usize = 9;
const SYS_MUNMAP: usize = 11;
const SYS_IOCTL: usize = 16;
const SYS_PREAD64: usize = 17;
const SYS_PWRITE64: usize = 18;
const SYS_READV: usize = 19;
const SYS_WRITEV: usize = 20;
const SYS_FCNTL: usize = 72;
const SYS_SENDTO: usize = 44;
const SYS_RECVFROM: usize = 45;
const SYS_EPOLL_WAIT: usize = 232;
const SYS_DUP3: usize = 292;
const SYS_GETRANDOM: usize = 318;
const SYS_FUTEX: usize = 202;
/// `FUTEX_WAKE | FUTEX_PRIVATE_FLAG`.
const FUTEX_WAKE_PRIVATE: usize = 1 | 128;
const F_GETFD: usize = 1;
const F_GETFL: usize = 3;
const FIONREAD: usize = 0x541b;
const PROT_READ_WRITE: usize = 3;
const MAP_PRIVATE_ANONYMOUS: usize = 0x22;
/// The length `mmap_munmap` maps: one page on every x86_64 kernel.
pub const PAGE: usize = 4096;

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
pub unsafe fn write<P: Pattern>(fd: RawFd, buf: *const u8, len: usize) -> u64 {
    // SAFETY: the caller vouches for the buffer; write only reads user memory.
    P::raw(
        unsafe { syscall3!(SYS_WRITE, fd, buf, len, readonly) },
        |raw| raw,
    )
}

/// `read(fd, buf, len)`.
///
/// # Safety
///
/// `buf` is valid for writes of `len` bytes.
#[inline(always)]
pub unsafe fn read<P: Pattern>(fd: RawFd, buf: *mut u8, len: usize) -> u64 {
    // SAFETY: the caller vouches for the buffer, the only memory read writes.
    P::raw(unsafe { syscall3!(SYS_READ, fd, buf, len) }, |raw| raw)
}

/// `pread64(fd, buf, len, offset)`.
///
/// # Safety
///
/// `buf` is valid for writes of `len` bytes.
#[inline(always)]
pub unsafe fn pread<P: Pattern>(fd: RawFd, buf: *mut u8, len: usize, offset: i64) -> u64 {
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
    P::raw(ret, |raw| raw)
}

/// `pwrite64(fd, buf, len, offset)`.
///
/// # Safety
///
/// `buf` is valid for reads of `len` bytes.
#[inline(always)]
pub unsafe fn pwrite<P: Pattern>(fd: RawFd, buf: *const u8, len: usize, offset: i64) -> u64 {
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
    P::raw(ret, |raw| raw)
}

/// `readv(fd, iov, count)`.
///
/// # Safety
///
/// `iov` points to `count` iovecs, each over writable memory.
#[inline(always)]
pub unsafe fn readv<P: Pattern>(fd: RawFd, iov: *const libc::iovec, count: usize) -> u64 {
    // SAFETY: the caller vouches for the iovecs and their buffers.
    P::raw(unsafe { syscall3!(SYS_READV, fd, iov, count) }, |raw| raw)
}

/// `writev(fd, iov, count)`.
///
/// # Safety
///
/// `iov` points to `count` iovecs, each over readable memory.
#[inline(always)]
pub unsafe fn writev<P: Pattern>(fd: RawFd, iov: *const libc::iovec, count: usize) -> u64 {
    // SAFETY: the caller vouches for the iovecs; writev only reads user memory.
    P::raw(
        unsafe { syscall3!(SYS_WRITEV, fd, iov, count, readonly) },
        |raw| raw,
    )
}

/// `dup3(fd, new, 0)` then `close(new)`, whose result is ignored (as barecall and rustix do).
///
/// # Safety
///
/// The fd number `new` belongs to the caller, and nothing else uses it.
#[inline(always)]
pub unsafe fn dup3_close<P: Pattern>(fd: RawFd, new: RawFd) -> u64 {
    let ret: usize;
    let value;
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
        value = P::raw(ret, drop);
        asm!(
            "syscall",
            inlateout("rax") SYS_CLOSE => _,
            in("rdi") new,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags, readonly),
        );
    }
    value
}

/// `futex(word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1)`: how many it woke (none wait). The
/// operation reads no more arguments, so none are set.
#[inline(always)]
pub fn futex_wake<P: Pattern>(word: &core::sync::atomic::AtomicU32) -> u64 {
    let ret: usize;
    // SAFETY: a wake reads and writes no user memory; the word is live.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_FUTEX => ret,
            in("rdi") word.as_ptr(),
            in("rsi") FUTEX_WAKE_PRIVATE,
            in("rdx") 1,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    P::raw(ret, |raw| raw as u64)
}

/// `fcntl(fd, F_GETFD)`, as the 32-bit flags word every typed API returns.
#[inline(always)]
pub fn fcntl_getfd<P: Pattern>(fd: RawFd) -> u64 {
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
    P::raw(ret, |raw| raw as u32)
}

/// `ioctl(fd, FIONREAD, &count)`, returning `count`.
#[inline(always)]
pub fn ioctl_fionread<P: Pattern>(fd: RawFd) -> u64 {
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
    // SAFETY: `ok` runs only when the call succeeded, so the kernel wrote the count.
    P::raw(ret, |_| unsafe { count.assume_init() as u64 })
}

/// `fstat(fd, &stat)`, returning `st_size`.
#[inline(always)]
pub fn fstat<P: Pattern>(fd: RawFd) -> u64 {
    // glibc's `struct stat` on x86_64 is the kernel's.
    let mut stat = MaybeUninit::<libc::stat>::uninit();
    let ret: usize;
    // SAFETY: fstat writes one `struct stat` through the pointer, which is live and writable.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_FSTAT => ret,
            in("rdi") fd,
            in("rsi") stat.as_mut_ptr(),
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    // SAFETY: `ok` runs only when the call succeeded, so the kernel wrote the struct.
    P::raw(ret, |_| unsafe { stat.assume_init_ref().st_size })
}

/// `fcntl(fd, F_GETFL)`, as the 32-bit flags word every typed API returns.
#[inline(always)]
pub fn fcntl_getfl<P: Pattern>(fd: RawFd) -> u64 {
    let ret: usize;
    // SAFETY: F_GETFL touches no user memory; on a bad fd it only fails.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_FCNTL => ret,
            in("rdi") fd,
            in("rsi") F_GETFL,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags, readonly),
        );
    }
    P::raw(ret, |raw| raw as u32)
}

/// `getrandom(buf, len, 0)`.
///
/// # Safety
///
/// `buf` is valid for writes of `len` bytes.
#[inline(always)]
pub unsafe fn getrandom<P: Pattern>(buf: *mut u8, len: usize) -> u64 {
    // SAFETY: the caller vouches for the buffer, the only memory getrandom writes.
    P::raw(
        unsafe { syscall3!(SYS_GETRANDOM, buf, len, 0usize) },
        |raw| raw,
    )
}

/// `epoll_wait(epfd, events, max, 0)`: no wait.
///
/// # Safety
///
/// `events` is valid for writes of `max` events.
#[inline(always)]
pub unsafe fn epoll_wait<P: Pattern>(
    epfd: RawFd,
    events: *mut libc::epoll_event,
    max: usize,
) -> u64 {
    let ret: usize;
    // SAFETY: the caller vouches for the buffer, the only memory epoll_wait writes.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_EPOLL_WAIT => ret,
            in("rdi") epfd,
            in("rsi") events,
            in("rdx") max,
            in("r10") 0usize,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    P::raw(ret, |raw| raw)
}

/// `sendto(fd, buf, len, 0, NULL, 0)`: x86_64's `send`.
///
/// # Safety
///
/// `buf` is valid for reads of `len` bytes.
#[inline(always)]
pub unsafe fn send<P: Pattern>(fd: RawFd, buf: *const u8, len: usize) -> u64 {
    let ret: usize;
    // SAFETY: the caller vouches for the buffer; sendto without an address only reads it.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_SENDTO => ret,
            in("rdi") fd,
            in("rsi") buf,
            in("rdx") len,
            in("r10") 0usize,
            in("r8") 0usize,
            in("r9") 0usize,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags, readonly),
        );
    }
    P::raw(ret, |raw| raw)
}

/// `recvfrom(fd, buf, len, 0, NULL, NULL)`: x86_64's `recv`.
///
/// # Safety
///
/// `buf` is valid for writes of `len` bytes.
#[inline(always)]
pub unsafe fn recv<P: Pattern>(fd: RawFd, buf: *mut u8, len: usize) -> u64 {
    let ret: usize;
    // SAFETY: the caller vouches for the buffer; without an address it is all recvfrom writes.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_RECVFROM => ret,
            in("rdi") fd,
            in("rsi") buf,
            in("rdx") len,
            in("r10") 0usize,
            in("r8") 0usize,
            in("r9") 0usize,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    P::raw(ret, |raw| raw)
}

/// `mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)`, then
/// `munmap` of what it returned, whose result is kept.
#[inline(always)]
pub fn mmap_munmap<P: Pattern>() -> u64 {
    let addr: usize;
    // SAFETY: a mapping the kernel places where it likes replaces nothing, and the kernel
    // writes no user memory making it.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_MMAP => addr,
            in("rdi") 0,
            in("rsi") PAGE,
            in("rdx") PROT_READ_WRITE,
            in("r10") MAP_PRIVATE_ANONYMOUS,
            in("r8") -1,
            in("r9") 0,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags, readonly),
        );
    }
    if addr > -4096isize as usize {
        return P::raw(addr, drop);
    }
    let ret: usize;
    // SAFETY: the range is the mapping just made, which nothing else knows of.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") SYS_MUNMAP => ret,
            in("rdi") addr,
            in("rsi") PAGE,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    P::raw(ret, drop)
}
