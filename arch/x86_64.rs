//! x86_64
//!
//! - Instruction: `syscall`. Number in `rax`; arguments in `rdi`, `rsi`, `rdx`, `r10`, `r8`, `r9`.
//! - Result in `rax`.
//! - The kernel clobbers `rcx` (return address) and `r11` (saved `rflags`); it restores `rflags`
//!   from `r11` on the way out, so the flags survive.
//! - The kernel does not touch the user stack.
//! - Trap: `ud2` (SIGILL), after every call that must not return and wherever the
//!   program must end at once: see [`trap_instruction`].
//! - Threads: `clone(flags, stack, parent_tid, child_tid, tls)` (child before tls); the
//!   thread pointer is `fs`'s base, set and read with `arch_prctl(ARCH_SET_FS/ARCH_GET_FS)`;
//!   TLS variant II, below a control block whose first word points to itself.

/// Call numbers for `syscall!`: linux-raw-sys's table for this architecture, with the calls
/// whose 64-bit-offset form has a number of its own renamed to it (none here), and those whose
/// 32-bit-ID form has one (none here either: IDs are 32-bit in every call). `__NR_mmap` is the
/// byte-offset `mmap` itself (32-bit arm's is `mmap2`, in 4096-byte units).
pub(crate) mod nr {
    pub(crate) use linux_raw_sys::general::*;
}

/// `arch_syscall!([extra options], nr, args...)`: one `syscall`, evaluating to `rax`.
macro_rules! arch_syscall {
    ([$($opt:ident),*], $nr:expr $(, $a0:expr $(, $a1:expr $(, $a2:expr $(, $a3:expr $(, $a4:expr $(, $a5:expr)?)?)?)?)?)?) => {{
        let ret: usize;
        core::arch::asm!(
            "syscall",
            inlateout("rax") $nr as usize => ret,
            $(in("rdi") $a0, $(in("rsi") $a1, $(in("rdx") $a2, $(in("r10") $a3, $(in("r8") $a4, $(in("r9") $a5,)?)?)?)?)?)?
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags $(, $opt)*),
        );
        ret
    }};
}

/// The instruction that ends the process with SIGILL, unless a handler for that signal takes
/// over. It follows every syscall that must not return: if a seccomp filter or a tracer makes
/// one return anyway, the program stops there instead of running off the end of a `noreturn`
/// asm block (rustc's `TrapUnreachable` usually adds one too; this one does not depend on it).
macro_rules! trap_instruction {
    () => {
        "ud2"
    };
}

/// Makes system call `nr`, which does not return, with argument `a0`.
///
/// # Safety
///
/// `nr` must be a call that never returns (`exit`, `exit_group`).
///
/// # References
///  - [Linux `syscall(2)`](https://man7.org/linux/man-pages/man2/syscall.2.html)
#[inline(always)]
pub unsafe fn syscall1_noreturn(nr: u32, a0: usize) -> ! {
    // SAFETY: the caller guarantees the call does not return; should it return anyway, the
    // trap ends the process before any state after it matters.
    unsafe {
        core::arch::asm!("syscall", trap_instruction!(), in("rax") nr as usize, in("rdi") a0, options(nostack, noreturn))
    }
}

/// Starts a thread: `clone(flags, stack, parent_tid, child_tid, tls)` with `flags` asking for a
/// thread (`CLONE_VM | CLONE_THREAD | ...`), after which the child, on `stack`, calls
/// `entry(arg)`, which never returns. Returns the raw result in the parent: the child's
/// thread ID, or `-errno`.
///
/// The child's registers are the parent's at the call, but for the result: `entry` and `arg`
/// travel in registers the kernel keeps (`r9`, `r12`), and the child's whole path (clear the frame
/// pointer and return address, call `entry`) is in this block, since it has no frames to
/// return into. `clobber_abi("C")`: the parent's side is a call into the kernel that returns,
/// and over-declaring a rare call's clobbers costs nothing.
///
/// # Safety
///
/// `flags` create a thread sharing this address space (or a process, with its own copy) and
/// do not ask for the kernel to write where `parent_tid`, `child_tid` or `tls` do not point to
/// memory the caller owns; `stack` is the 16-byte aligned top of a mapped stack that nothing
/// else uses; `entry` is an `extern "C"` function that never returns (it ends its thread with
/// `exit`) and may run in a thread with no thread pointer of its own, with `arg`.
///
/// # References
///  - [Linux `clone(2)`](https://man7.org/linux/man-pages/man2/clone.2.html)
#[cfg(feature = "thread")]
#[inline]
pub unsafe fn clone_thread(
    flags: usize,
    stack: usize,
    parent_tid: usize,
    tls: usize,
    child_tid: usize,
    entry: unsafe extern "C" fn(usize) -> !,
    arg: usize,
) -> usize {
    let ret: usize;
    // SAFETY: as this function's contract; x86_64 takes `child_tid` before `tls`.
    unsafe {
        core::arch::asm!(
            "syscall",
            "test rax, rax",
            "jnz 2f",
            // The child, on its new stack (16-byte aligned: `call` leaves the ABI's offset).
            "xor ebp, ebp",
            "mov rdi, r12",
            "call r9",
            trap_instruction!(),
            "2:",
            inlateout("rax") nr::__NR_clone as usize => ret,
            in("rdi") flags,
            in("rsi") stack,
            in("rdx") parent_tid,
            in("r10") child_tid,
            in("r8") tls,
            in("r9") entry as usize,
            in("r12") arg,
            clobber_abi("C"),
            options(nostack),
        );
    }
    ret
}

/// Unmaps `len` bytes at `addr` (the calling thread's own stack) and ends the thread, in one
/// sequence that touches no stack between the two calls.
///
/// # Safety
///
/// `addr` and `len` name a mapping this thread may give back, and nothing (not the kernel's
/// `clear_child_tid`, not a signal handler: block them first) uses it afterwards. Should
/// `munmap` fail, the thread still ends.
///
/// # References
///  - [Linux `munmap(2)`](https://man7.org/linux/man-pages/man2/munmap.2.html)
///  - [Linux `exit(2)`](https://man7.org/linux/man-pages/man2/exit.2.html)
#[cfg(feature = "thread")]
#[inline]
pub unsafe fn munmap_and_exit(addr: usize, len: usize) -> ! {
    // SAFETY: as this function's contract; the numbers and the status live in registers.
    unsafe {
        core::arch::asm!(
            "syscall",
            "mov eax, edx",
            "xor edi, edi",
            "syscall",
            trap_instruction!(),
            // Not a register of the compiler's choice: the first `syscall` clobbers rcx and r11.
            in("rdx") nr::__NR_exit as usize,
            in("rax") nr::__NR_munmap as usize,
            in("rdi") addr,
            in("rsi") len,
            options(nostack, noreturn),
        )
    }
}

/// This architecture's TLS layout: variant II, the blocks below a control block that the
/// thread pointer (`fs`'s base) addresses and whose first word points to itself. 64 bytes of
/// it, zeroed, cover the fields C code compiled for glibc may read (the stack guard at
/// `fs:0x28`).
#[cfg(feature = "thread")]
pub(crate) const TLS_VARIANT: super::TlsVariant = super::TlsVariant::BelowTp { tcb: 64 };

/// `ARCH_GET_FS` (`asm/prctl.h`), which linux-raw-sys lacks.
#[cfg(feature = "thread")]
const ARCH_GET_FS: usize = 0x1003;

/// Sets the calling thread's thread pointer, `fs`'s base: `arch_prctl(ARCH_SET_FS, tp)`.
/// Returns the raw result.
///
/// # Safety
///
/// `tp` is what this architecture's TLS layout (`TLS_VARIANT`) wants the thread pointer to
/// address, live for as long as the thread runs, and nothing the thread runs relies on the
/// thread pointer it had (libc's per-thread state above all).
///
/// # References
///  - [Linux `arch_prctl(2)`](https://man7.org/linux/man-pages/man2/arch_prctl.2.html)
#[cfg(feature = "thread")]
#[inline]
pub unsafe fn set_thread_pointer(tp: usize) -> usize {
    // SAFETY: as this function's contract; the call writes no user memory.
    unsafe {
        arch_syscall!(
            [],
            nr::__NR_arch_prctl,
            linux_raw_sys::general::ARCH_SET_FS as usize,
            tp
        )
    }
}

/// The calling thread's thread pointer, `fs`'s base: `arch_prctl(ARCH_GET_FS)`. Reading the
/// control block's self pointer (`fs:0`) would be one instruction, but faults in a thread
/// whose base was never set; `rdfsbase` needs a kernel and CPU that allow it.
///
/// # References
///  - [Linux `arch_prctl(2)`](https://man7.org/linux/man-pages/man2/arch_prctl.2.html)
#[cfg(feature = "thread")]
#[inline]
pub fn thread_pointer() -> usize {
    let mut tp = 0usize;
    // SAFETY: the kernel writes one word, into `tp`; it cannot fail for a valid pointer.
    unsafe {
        arch_syscall!(
            [],
            nr::__NR_arch_prctl,
            ARCH_GET_FS,
            core::ptr::addr_of_mut!(tp) as usize
        )
    };
    tp
}

// Program entry (feature `rt`). The kernel starts the process here with `rsp` pointing at
// `argc`, then `argv`, `envp` and the auxiliary vector, and `rsp` 16-byte aligned; `rdx` may
// hold a dynamic linker's exit hook, which a static program has none of.
#[cfg(feature = "rt")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    // The outermost frame: no caller for debuggers and unwinders to walk to.
    "xor ebp, ebp",
    "mov rdi, rsp",
    // The ABI wants 16-byte alignment at a call; the kernel gives it, this keeps it certain.
    "and rsp, -16",
    "call {entry}",
    trap_instruction!(),
    entry = sym crate::rt::entry,
);
