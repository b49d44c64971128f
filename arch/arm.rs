//! arm (EABI), A32 and Thumb-2
//!
//! - Instruction: `svc 0`. Number in `r7`; arguments in `r0`..`r5`.
//! - Result in `r0`, which also carries the first argument.
//! - The kernel clobbers no other register and restores the condition flags.
//! - The kernel does not touch the user stack.
//! - Trap: `udf #0` (SIGILL), after every call that must not return and wherever the
//!   program must end at once: see [`trap_instruction`].
//! - Threads: `clone(flags, stack, parent_tid, tls, child_tid)`; the thread pointer is
//!   `TPIDRURO`, set with `__ARM_NR_set_tls` (0xf0005) and read with `mrc p15`; TLS variant I,
//!   past an 8-byte control block; `__aeabi_read_tp` is provided for code that calls it.
//! - A 64-bit argument takes an even/odd register pair, low word first: callers insert a pad
//!   argument where needed (`pread64`) and split offsets into words.
//! - Thumb-2: r7 is the frame pointer, which rustc refuses as an asm operand; see
//!   [`svc_with_nr_in_r7`] (`build.rs` asks the compiler whether it does).
//! - `_start` is A32 code in A32 and Thumb-2 builds alike.

/// Thumb-2 keeps its frame pointer in r7 and rustc will not hand r7 to inline asm (`build.rs`
/// found that it would not), yet the kernel reads the syscall number from r7. So the number
/// travels in a scratch register, and r7 is parked in another one across the `svc` and put back
/// before anything can use it as a frame pointer again.
#[cfg(barecall_thumb)]
macro_rules! svc_with_nr_in_r7 {
    ($nr:expr, [$($after:literal),*], $($operands:tt)*) => {
        core::arch::asm!(
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            $($after,)*
            nr = in(reg) $nr,
            saved_r7 = out(reg) _,
            $($operands)*
        )
    };
    ($nr:expr, $($operands:tt)*) => {
        svc_with_nr_in_r7!($nr, [], $($operands)*)
    };
}

/// A32 code uses r11 as its frame pointer, so r7 is an ordinary operand.
#[cfg(not(barecall_thumb))]
macro_rules! svc_with_nr_in_r7 {
    ($nr:expr, [$($after:literal),*], $($operands:tt)*) => {
        core::arch::asm!("svc 0", $($after,)* in("r7") $nr, $($operands)*)
    };
    ($nr:expr, $($operands:tt)*) => {
        svc_with_nr_in_r7!($nr, [], $($operands)*)
    };
}

/// Call numbers for `syscall!`: linux-raw-sys's table for this architecture, with the calls
/// whose 64-bit-offset form has a number of its own renamed to it, and those whose 32-bit-ID
/// form has one.
// A build with few modules uses few of the renames.
#[allow(unused_imports)]
pub(crate) mod nr {
    pub(crate) use linux_raw_sys::general::*;
    // 32-bit arm has only the 64-bit-offset form for programs with a 64-bit `off_t`.
    pub(crate) use linux_raw_sys::general::__NR_fcntl64 as __NR_fcntl;
    // EABI maps only through mmap2, whose offset counts 4096-byte units (mm converts it).
    pub(crate) use linux_raw_sys::general::__NR_mmap2 as __NR_mmap;
    // The plain ID calls of 32-bit arm give 16-bit IDs; the `*32` forms give the real ones.
    pub(crate) use linux_raw_sys::general::__NR_getegid32 as __NR_getegid;
    pub(crate) use linux_raw_sys::general::__NR_geteuid32 as __NR_geteuid;
    pub(crate) use linux_raw_sys::general::__NR_getgid32 as __NR_getgid;
    pub(crate) use linux_raw_sys::general::__NR_getuid32 as __NR_getuid;
}

/// `arch_syscall!([extra options], nr, args...)`: one `svc 0`, evaluating to `r0`.
macro_rules! arch_syscall {
    ([$($opt:ident),*], $nr:expr) => {{
        let ret: usize;
        svc_with_nr_in_r7!(
            $nr as usize,
            lateout("r0") ret,
            options(nostack, preserves_flags $(, $opt)*),
        );
        ret
    }};
    ([$($opt:ident),*], $nr:expr, $a0:expr $(, $a1:expr $(, $a2:expr $(, $a3:expr $(, $a4:expr $(, $a5:expr)?)?)?)?)?) => {{
        let ret: usize;
        svc_with_nr_in_r7!(
            $nr as usize,
            inlateout("r0") $a0 => ret,
            $(in("r1") $a1, $(in("r2") $a2, $(in("r3") $a3, $(in("r4") $a4, $(in("r5") $a5,)?)?)?)?)?
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
        "udf #0"
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
    // SAFETY: the caller guarantees the call does not return, so r7 need not be given back;
    // should it return anyway, the trap ends the process first.
    unsafe {
        core::arch::asm!("mov r7, {nr}", "svc 0", trap_instruction!(), nr = in(reg) nr as usize, in("r0") a0, options(nostack, noreturn))
    }
}

/// Starts a thread: `clone(flags, stack, parent_tid, tls, child_tid)` with `flags` asking for a
/// thread (`CLONE_VM | CLONE_THREAD | ...`), after which the child, on `stack`, calls
/// `entry(arg)`, which never returns. Returns the raw result in the parent: the child's
/// thread ID, or `-errno`.
///
/// The child's registers are the parent's at the call, but for the result: `entry` and `arg`
/// travel in registers the kernel keeps (`r5`, `r8`: r6 is LLVM's), and the child's whole path (clear the frame
/// pointer and return address, call `entry`) is in this block, since it has no frames to
/// return into. The parent's side is a call into the kernel that returns, and clobbers only
/// r0 and the flags.
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
    // SAFETY: as this function's contract. r7 is parked around the `svc` in the parent as
    // everywhere (see `svc_with_nr_in_r7`); the child clears both frame pointers (r11 in A32
    // code, r7 in Thumb-2), as it has no frames, and `blx` enters `entry` in its own mode.
    unsafe {
        svc_with_nr_in_r7!(
            nr::__NR_clone as usize,
            [
                "cmp r0, #0",
                "bne 2f",
                "mov r7, #0",
                "mov r11, #0",
                "mov lr, #0",
                "mov r0, r8",
                "blx r5",
                "udf #0",
                "2:"
            ],
            inlateout("r0") flags => ret,
            in("r1") stack,
            in("r2") parent_tid,
            in("r3") tls,
            in("r4") child_tid,
            in("r5") entry as usize,
            in("r8") arg,
            // No `clobber_abi`: the kernel keeps every register but r0 (and the VFP state); the
            // child's writes happen on its own path only. Not `preserves_flags`: `cmp` sets them.
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
    // SAFETY: as this function's contract; the numbers and the status live in registers, and
    // r7 need not be given back.
    unsafe {
        core::arch::asm!(
            "mov r7, r2",
            "svc 0",
            "mov r7, r3",
            "mov r0, #0",
            "svc 0",
            trap_instruction!(),
            // Fixed registers: one of the compiler's choice could be r7 in A32 code, which the
            // first `mov` overwrites.
            in("r2") nr::__NR_munmap as usize,
            in("r3") nr::__NR_exit as usize,
            in("r0") addr,
            in("r1") len,
            options(nostack, noreturn),
        )
    }
}

/// This architecture's TLS layout: variant I, the blocks above the thread pointer
/// (`TPIDRURO`), past an 8-byte control block.
#[cfg(feature = "thread")]
pub(crate) const TLS_VARIANT: super::TlsVariant = super::TlsVariant::AboveTp { gap: 8 };

/// Sets the calling thread's thread pointer, `TPIDRURO` (read-only to user code):
/// `__ARM_NR_set_tls`, an ARM-private call numbered outside the table. Returns the raw result.
///
/// # Safety
///
/// `tp` is what this architecture's TLS layout (`TLS_VARIANT`) wants the thread pointer to
/// address, live for as long as the thread runs, and nothing the thread runs relies on the
/// thread pointer it had (libc's per-thread state above all).
///
/// # References
///  - [Linux `set_tls` (`arch/arm/kernel/traps.c`)](https://github.com/torvalds/linux/blob/master/arch/arm/kernel/traps.c)
#[cfg(feature = "thread")]
#[inline]
pub unsafe fn set_thread_pointer(tp: usize) -> usize {
    // SAFETY: as this function's contract; the call writes no user memory.
    unsafe { arch_syscall!([], linux_raw_sys::general::__ARM_NR_set_tls, tp) }
}

/// The calling thread's thread pointer: `mrc p15, 0, rX, c13, c0, 3` (`TPIDRURO`), what
/// compiled TLS accesses read (directly, or through `__aeabi_read_tp`).
///
/// # References
///  - [Arm `TPIDRURO`](https://developer.arm.com/documentation/ddi0601/latest/AArch32-Registers/TPIDRURO--PL0-Read-Only-Thread-ID-Register)
#[cfg(feature = "thread")]
#[inline]
pub fn thread_pointer() -> usize {
    let tp: usize;
    // SAFETY: user code may read TPIDRURO on every ARMv6K and later core; no memory is touched.
    unsafe {
        core::arch::asm!("mrc p15, 0, {}, c13, c0, 3", out(reg) tp, options(nostack, nomem, preserves_flags))
    };
    tp
}

// `__aeabi_read_tp` (feature `rt`): the run-time ABI's thread-pointer function, which LLVM's
// TLS accesses call on this target (it reads `TPIDRURO` itself only when told it may). It
// returns in r0 and may change nothing else. Weak, so that a libc linked in keeps its own.
#[cfg(all(feature = "rt", feature = "thread"))]
core::arch::global_asm!(
    ".weak __aeabi_read_tp",
    ".type __aeabi_read_tp, %function",
    ".arm",
    "__aeabi_read_tp:",
    "mrc p15, 0, r0, c13, c0, 3",
    "bx lr",
    ".size __aeabi_read_tp, . - __aeabi_read_tp",
);

// Program entry (feature `rt`). The kernel starts the process here with `sp` pointing at
// `argc`, then `argv`, `envp` and the auxiliary vector; EABI calls want 8-byte alignment, and
// 16 is kept for vector code. `_start` is A32 code whatever the crate is compiled as, so its
// symbol needs no Thumb marking that a wrong guess of the mode would get wrong (the kernel
// enters an even address in A32 state); the linker turns the `bl` into a `blx` if `entry` is
// Thumb code, and LLVM restores the crate's mode after the block.
#[cfg(feature = "rt")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, %function",
    ".arm",
    "_start:",
    // The outermost frame: no caller for debuggers and unwinders to walk to (the frame pointer
    // is r11 in A32 code and r7 in Thumb-2 code).
    "mov r11, #0",
    "mov r7, #0",
    "mov lr, #0",
    "mov r0, sp",
    "bic r1, r0, #15",
    "mov sp, r1",
    "bl {entry}",
    trap_instruction!(),
    entry = sym crate::rt::entry,
);
