//! riscv64
//!
//! - Instruction: `ecall`. Number in `a7`; arguments in `a0`..`a5`.
//! - Result in `a0`, which also carries the first argument.
//! - The kernel clobbers no other integer register; the vector registers and the vector state
//!   (`vtype`, `vl`, `vxsat`, which `preserves_flags` would cover here) it does not preserve:
//!   see [`ecall_clobbering_vector_state`].
//! - The kernel does not touch the user stack.
//! - Trap: `unimp` (SIGILL), after every call that must not return and wherever the
//!   program must end at once: see [`trap_instruction`].
//! - Threads: `clone(flags, stack, parent_tid, tls, child_tid)`; the thread pointer is `tp`,
//!   an ordinary register the ABI reserves; TLS variant I, at `tp` itself.

/// Linux discards the vector registers across a system call
/// (<https://docs.kernel.org/arch/riscv/vector.html>, "Vector Register State Across System
/// Calls"), so every `ecall` declares all 32 clobbered: code built with the `v` extension must
/// not keep a value in them across the call. Without `v` they are never allocated, and the
/// clobbers cost nothing.
macro_rules! ecall_clobbering_vector_state {
    ($($operands:tt)*) => {
        core::arch::asm!(
            "ecall",
            lateout("v0") _,
            lateout("v1") _,
            lateout("v2") _,
            lateout("v3") _,
            lateout("v4") _,
            lateout("v5") _,
            lateout("v6") _,
            lateout("v7") _,
            lateout("v8") _,
            lateout("v9") _,
            lateout("v10") _,
            lateout("v11") _,
            lateout("v12") _,
            lateout("v13") _,
            lateout("v14") _,
            lateout("v15") _,
            lateout("v16") _,
            lateout("v17") _,
            lateout("v18") _,
            lateout("v19") _,
            lateout("v20") _,
            lateout("v21") _,
            lateout("v22") _,
            lateout("v23") _,
            lateout("v24") _,
            lateout("v25") _,
            lateout("v26") _,
            lateout("v27") _,
            lateout("v28") _,
            lateout("v29") _,
            lateout("v30") _,
            lateout("v31") _,
            $($operands)*
        )
    };
}

/// Call numbers for `syscall!`: linux-raw-sys's table for this architecture, with the calls
/// whose 64-bit-offset form has a number of its own renamed to it (none here), and those whose
/// 32-bit-ID form has one (none here either: IDs are 32-bit in every call). `__NR_mmap` is the
/// byte-offset `mmap` itself (32-bit arm's is `mmap2`, in 4096-byte units).
pub(crate) mod nr {
    pub(crate) use linux_raw_sys::general::*;
}

/// `arch_syscall!([extra options], nr, args...)`: one `ecall`, evaluating to `a0`.
macro_rules! arch_syscall {
    ([$($opt:ident),*], $nr:expr) => {{
        let ret: usize;
        ecall_clobbering_vector_state!(
            in("a7") $nr as usize,
            lateout("a0") ret,
            options(nostack $(, $opt)*),
        );
        ret
    }};
    ([$($opt:ident),*], $nr:expr, $a0:expr $(, $a1:expr $(, $a2:expr $(, $a3:expr $(, $a4:expr $(, $a5:expr)?)?)?)?)?) => {{
        let ret: usize;
        ecall_clobbering_vector_state!(
            in("a7") $nr as usize,
            inlateout("a0") $a0 => ret,
            $(in("a1") $a1, $(in("a2") $a2, $(in("a3") $a3, $(in("a4") $a4, $(in("a5") $a5,)?)?)?)?)?
            options(nostack $(, $opt)*),
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
        "unimp"
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
        core::arch::asm!("ecall", trap_instruction!(), in("a7") nr as usize, in("a0") a0, options(nostack, noreturn))
    }
}

/// Starts a thread: `clone(flags, stack, parent_tid, tls, child_tid)` with `flags` asking for a
/// thread (`CLONE_VM | CLONE_THREAD | ...`), after which the child, on `stack`, calls
/// `entry(arg)`, which never returns. Returns the raw result in the parent: the child's
/// thread ID, or `-errno`.
///
/// The child's registers are the parent's at the call, but for the result: `entry` and `arg`
/// travel in registers the kernel keeps (`a5`, `a6`), and the child's whole path (clear the frame
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
    // SAFETY: as this function's contract.
    unsafe {
        core::arch::asm!(
            "ecall",
            "bnez a0, 2f",
            // The child, on its new stack.
            "mv s0, zero",
            "mv ra, zero",
            "mv a0, a6",
            "jalr a5",
            trap_instruction!(),
            "2:",
            in("a7") nr::__NR_clone as usize,
            inlateout("a0") flags => ret,
            in("a1") stack,
            in("a2") parent_tid,
            in("a3") tls,
            in("a4") child_tid,
            in("a5") entry as usize,
            in("a6") arg,
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
            "ecall",
            "mv a7, {exit}",
            "mv a0, zero",
            "ecall",
            trap_instruction!(),
            exit = in(reg) nr::__NR_exit as usize,
            in("a7") nr::__NR_munmap as usize,
            in("a0") addr,
            in("a1") len,
            options(nostack, noreturn),
        )
    }
}

/// This architecture's TLS layout: variant I, the blocks at the thread pointer (`tp`) itself,
/// with no control block between.
#[cfg(feature = "thread")]
pub(crate) const TLS_VARIANT: super::TlsVariant = super::TlsVariant::AboveTp { gap: 0 };

/// Sets the calling thread's thread pointer: `mv tp` (an ordinary register the ABI reserves,
/// no system call). Returns 0, the raw result of a call that cannot fail.
///
/// # Safety
///
/// `tp` is what this architecture's TLS layout (`TLS_VARIANT`) wants the thread pointer to
/// address, live for as long as the thread runs, and nothing the thread runs relies on the
/// thread pointer it had (libc's per-thread state above all).
///
/// # References
///  - [RISC-V psABI, thread-local storage](https://github.com/riscv-non-isa/riscv-elf-psabi-doc/blob/master/riscv-elf.adoc#thread-local-storage)
#[cfg(feature = "thread")]
#[inline]
pub unsafe fn set_thread_pointer(tp: usize) -> usize {
    // SAFETY: as this function's contract; compiled code never allocates `tp`.
    unsafe { core::arch::asm!("mv tp, {}", in(reg) tp, options(nostack, nomem, preserves_flags)) };
    0
}

/// The calling thread's thread pointer: `tp`, what compiled TLS accesses add their offsets to.
///
/// # References
///  - [RISC-V psABI, thread-local storage](https://github.com/riscv-non-isa/riscv-elf-psabi-doc/blob/master/riscv-elf.adoc#thread-local-storage)
#[cfg(feature = "thread")]
#[inline]
pub fn thread_pointer() -> usize {
    let tp: usize;
    // SAFETY: reading a register touches no memory.
    unsafe { core::arch::asm!("mv {}, tp", out(reg) tp, options(nostack, nomem, preserves_flags)) };
    tp
}

// Program entry (feature `rt`). The kernel starts the process here with `sp` pointing at
// `argc`, then `argv`, `envp` and the auxiliary vector, 16-byte aligned as the ABI requires.
// `gp` is loaded first, unrelaxed, because the linker may relax other accesses against it.
#[cfg(feature = "rt")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    ".option push",
    ".option norelax",
    "lla gp, __global_pointer$",
    ".option pop",
    // The outermost frame: no caller for debuggers and unwinders to walk to.
    "mv fp, zero",
    "mv ra, zero",
    "mv a0, sp",
    "andi sp, sp, -16",
    "call {entry}",
    trap_instruction!(),
    entry = sym crate::rt::entry,
);
