//! Raw system calls: the architecture's syscall instruction and nothing else.
//!
//! `syscallN` passes `N` arguments; `syscallN_readonly` additionally tells the compiler that the
//! kernel writes no memory the program can see (it may read it: `write`'s buffer, `open`'s path),
//! so values cached in registers stay valid across the call. `syscall1_noreturn` is for calls that
//! do not come back (`exit_group`), and traps should one come back all the same; [`trap`] ends
//! the process with that same instruction.
//!
//! Every function returns the kernel's raw result: a value in `-4095..=-1`, read as `isize`, is
//! `-errno`; anything else is success. The conversion core (`src/conv.rs`) decodes it.
//!
//! Each architecture file defines `arch_syscall!` (the instruction, registers and clobbers) and
//! `syscall1_noreturn`; the functions themselves are generated here once, so the architecture
//! files differ only where the ABIs differ.
//!
//! # References
//!  - [Linux `syscall(2)`](https://man7.org/linux/man-pages/man2/syscall.2.html): each
//!    architecture's instruction, number register, argument registers and result register.

/// Expands to one `pub unsafe fn` per arity, plus its `_readonly` twin, over `arch_syscall!`.
macro_rules! raw_syscalls {
    ($($name:ident $readonly:ident ($($arg:ident),*);)*) => {$(
        #[doc = concat!("Makes system call `nr` with arguments `", stringify!($($arg),*), "`.")]
        ///
        /// # Safety
        ///
        /// The call must be sound for its arguments: every pointer valid for what the kernel
        /// reads and writes through it, every fd it consumes owned by the caller.
        ///
        /// # References
        ///  - [Linux `syscall(2)`](https://man7.org/linux/man-pages/man2/syscall.2.html)
        #[inline(always)]
        pub unsafe fn $name(nr: u32, $($arg: usize),*) -> usize {
            // SAFETY: the caller vouches for the call's effects; the asm only follows the ABI.
            unsafe { arch_syscall!([], nr $(, $arg)*) }
        }

        #[doc = concat!("Like [`", stringify!($name), "`], for calls that write no user memory.")]
        ///
        /// # Safety
        ///
        /// As for the non-readonly form, and the call must write no memory the program can see.
        ///
        /// # References
        ///  - [Linux `syscall(2)`](https://man7.org/linux/man-pages/man2/syscall.2.html)
        #[inline(always)]
        pub unsafe fn $readonly(nr: u32, $($arg: usize),*) -> usize {
            // SAFETY: as above; the caller also promises the kernel only reads user memory.
            unsafe { arch_syscall!([readonly], nr $(, $arg)*) }
        }
    )*};
}

#[cfg(target_arch = "aarch64")]
#[macro_use]
#[path = "aarch64.rs"]
mod imp;
#[cfg(target_arch = "arm")]
#[macro_use]
#[path = "arm.rs"]
mod imp;
#[cfg(target_arch = "riscv64")]
#[macro_use]
#[path = "riscv64.rs"]
mod imp;
#[cfg(target_arch = "x86_64")]
#[macro_use]
#[path = "x86_64.rs"]
mod imp;

pub(crate) use imp::nr;
pub use imp::syscall1_noreturn;
#[cfg(feature = "thread")]
pub(crate) use imp::TLS_VARIANT;
#[cfg(feature = "thread")]
pub use imp::{clone_thread, munmap_and_exit, set_thread_pointer, thread_pointer};

/// Where an architecture's ELF TLS blocks lie relative to the thread pointer (Drepper's "ELF
/// Handling For Thread-Local Storage", section 3.4).
#[cfg(feature = "thread")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// Each architecture lays out one of the two (the tests, both).
#[allow(dead_code)]
pub(crate) enum TlsVariant {
    /// Variant I: the program's block lies above the thread pointer, `gap` bytes (a control
    /// block of the ABI's) or more past it.
    AboveTp { gap: usize },
    /// Variant II: the program's block lies just below the thread pointer, which addresses a
    /// control block of `tcb` bytes whose first word points to itself.
    BelowTp { tcb: usize },
}

/// Ends the process at once with the architecture's trap instruction (SIGILL; SIGTRAP on
/// aarch64), running nothing else: for states no program can continue from, as `abort(3)` is
/// for C (barecall's runtime uses it when it cannot give the process its standard streams).
#[inline(always)]
pub fn trap() -> ! {
    // SAFETY: the trap instruction touches no memory and does not come back.
    unsafe { core::arch::asm!(trap_instruction!(), options(nomem, nostack, noreturn)) }
}

raw_syscalls! {
    syscall0 syscall0_readonly();
    syscall1 syscall1_readonly(a0);
    syscall2 syscall2_readonly(a0, a1);
    syscall3 syscall3_readonly(a0, a1, a2);
    syscall4 syscall4_readonly(a0, a1, a2, a3);
    syscall5 syscall5_readonly(a0, a1, a2, a3, a4);
    syscall6 syscall6_readonly(a0, a1, a2, a3, a4, a5);
}

#[cfg(test)]
mod tests {
    //! One real call per arity, through both variants, checked against what the kernel did.
    use super::*;
    use linux_raw_sys::errno as e;
    use linux_raw_sys::general as k;

    /// The raw encoding of `-errno`.
    fn neg(errno: u32) -> usize {
        (errno as usize).wrapping_neg()
    }

    /// A pipe made through libc: `[reader, writer]`.
    fn libc_pipe() -> [i32; 2] {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two ints pipe writes.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        fds
    }

    fn libc_close(fds: &[i32]) {
        for &fd in fds {
            // SAFETY: the test owns `fd` and does not use it again.
            assert_eq!(unsafe { libc::close(fd) }, 0);
        }
    }

    #[test]
    fn arity_0_getpid() {
        // SAFETY: getpid has no arguments and touches no memory.
        let (pid, raw, raw_readonly) = unsafe {
            (
                libc::getpid() as usize,
                syscall0(k::__NR_getpid),
                syscall0_readonly(k::__NR_getpid),
            )
        };
        assert_eq!((raw, raw_readonly), (pid, pid));
    }

    #[test]
    fn arity_1_close_and_2_fcntl() {
        #[cfg(target_arch = "arm")]
        let nr_fcntl = k::__NR_fcntl64;
        #[cfg(not(target_arch = "arm"))]
        let nr_fcntl = k::__NR_fcntl;
        let _lock = crate::test_fd_lock();
        let [fd, other] = libc_pipe();
        libc_close(&[other]);
        // SAFETY: F_GETFD and close touch no memory; the test owns `fd` and closes it once,
        // and the lock keeps its number from being reused before the second close.
        let (flags, libc_flags, closed, closed_again) = unsafe {
            (
                syscall2_readonly(nr_fcntl, fd as usize, k::F_GETFD as usize),
                libc::fcntl(fd, libc::F_GETFD) as usize,
                syscall1_readonly(k::__NR_close, fd as usize),
                syscall1(k::__NR_close, fd as usize),
            )
        };
        assert_eq!(flags, libc_flags);
        assert_eq!((closed, closed_again), (0, neg(e::EBADF)));
    }

    #[test]
    fn arity_3_write_and_read() {
        let _lock = crate::test_fd_lock();
        let [reader, writer] = libc_pipe();
        let msg = b"raw";
        let mut buf = [0u8; 8];
        // SAFETY: write reads 3 bytes of `msg`; read writes at most 8 bytes into `buf`.
        let (wrote, read) = unsafe {
            (
                syscall3_readonly(k::__NR_write, writer as usize, msg.as_ptr() as usize, 3),
                syscall3(k::__NR_read, reader as usize, buf.as_mut_ptr() as usize, 8),
            )
        };
        assert_eq!((wrote, read, &buf[..3]), (3, 3, &msg[..]));
        libc_close(&[reader, writer]);
    }

    #[test]
    fn arity_4_openat() {
        let path = b"/barecall-no-such-file\0";
        // SAFETY: openat reads the NUL-terminated path; it does not exist, so no fd comes back.
        let raw = unsafe {
            syscall4_readonly(
                k::__NR_openat,
                k::AT_FDCWD as usize,
                path.as_ptr() as usize,
                0,
                0,
            )
        };
        assert_eq!(raw, neg(e::ENOENT));
    }

    #[test]
    fn arity_5_preadv() {
        let _lock = crate::test_fd_lock();
        let [reader, writer] = libc_pipe();
        let mut buf = [0u8; 4];
        let iov = k::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: 4,
        };
        // SAFETY: `iov` describes `buf`, live and writable. A pipe has no offsets: ESPIPE.
        let raw = unsafe {
            syscall5(
                k::__NR_preadv,
                reader as usize,
                &iov as *const _ as usize,
                1,
                0,
                0,
            )
        };
        assert_eq!(raw, neg(e::ESPIPE));
        libc_close(&[reader, writer]);
    }

    #[test]
    fn arity_6_mmap() {
        #[cfg(target_pointer_width = "64")]
        let nr = k::__NR_mmap;
        #[cfg(target_arch = "arm")]
        let nr = k::__NR_mmap2;
        let len = 4096;
        let prot = (k::PROT_READ | k::PROT_WRITE) as usize;
        let flags = (k::MAP_PRIVATE | k::MAP_ANONYMOUS) as usize;
        // SAFETY: a fresh anonymous mapping aliases nothing; it is written and read inside its
        // bounds, then unmapped, and not used again.
        unsafe {
            let addr = syscall6(nr, 0, len, prot, flags, usize::MAX, 0);
            assert!(addr < (-4095_isize) as usize, "mmap failed: {addr:#x}");
            let byte = (addr as *mut u8).add(100);
            byte.write(7);
            assert_eq!(byte.read(), 7);
            assert_eq!(syscall2(k::__NR_munmap, addr, len), 0);
        }
    }

    /// Thumb-2 builds must execute Thumb code on the syscall path: the address of a Thumb
    /// function has bit 0 set (the interworking bit), an A32 one has it clear, and so do the
    /// other architectures' (which have one instruction set, and must not think they are
    /// Thumb). The call through the pointer checks the r7 dance end to end.
    #[test]
    fn instruction_set_of_the_syscall_path() {
        let f: unsafe fn(u32) -> usize = syscall0;
        let thumb = cfg!(target_arch = "arm") && f as usize & 1 == 1;
        assert_eq!(thumb, cfg!(barecall_thumb), "syscall0 at {:#x}", f as usize);
        // SAFETY: getpid has no arguments and touches no memory.
        let (raw, pid) = unsafe { (f(k::__NR_getpid), libc::getpid() as usize) };
        assert_eq!(raw, pid);
    }
}
