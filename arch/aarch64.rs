//! aarch64
//!
//! - Instruction: `svc 0`. Number in `x8`; arguments in `x0`..`x5`.
//! - Result in `x0`, which also carries the first argument.
//! - The kernel clobbers no other general-purpose register, keeps V0..V31 (the low 128 bits of
//!   SVE's Z registers) and restores the condition flags. With SVE it discards the rest of the
//!   SVE state (P0..P15, FFR, the Z registers' upper bits): see [`svc_clobbering_sve_state`].
//! - The kernel does not touch the user stack.
//! - Trap: `brk #1` (SIGTRAP), after every call that must not return and wherever the
//!   program must end at once: see [`trap_instruction`].
//! - Threads: `clone(flags, stack, parent_tid, tls, child_tid)`; the thread pointer is
//!   `tpidr_el0`, written with `msr` (no system call); TLS variant I, past a 16-byte control
//!   block.

/// Linux discards the SVE state at every syscall: P0..P15 and FFR, and each Z register above its
/// low 128 bits (`Documentation/arch/arm64/sve.rst`, "System call behaviour"). With the `sve`
/// target feature every `svc` declares P0..P15 clobbered. FFR is reserved by LLVM, so it never
/// holds a compiler's value across an asm block (and LLVM warns if it is listed). The Z
/// registers' upper bits cannot be declared: Rust's asm has no operand for them. Stable Rust
/// has no scalable vector types, and LLVM does not vectorise a loop across an asm block with
/// side effects, so only code of the program's own could keep an SVE vector live in a register
/// across a syscall: it must not.
#[cfg(target_feature = "sve")]
macro_rules! svc_clobbering_sve_state {
    ($($operands:tt)*) => {
        core::arch::asm!(
            "svc 0",
            lateout("p0") _,
            lateout("p1") _,
            lateout("p2") _,
            lateout("p3") _,
            lateout("p4") _,
            lateout("p5") _,
            lateout("p6") _,
            lateout("p7") _,
            lateout("p8") _,
            lateout("p9") _,
            lateout("p10") _,
            lateout("p11") _,
            lateout("p12") _,
            lateout("p13") _,
            lateout("p14") _,
            lateout("p15") _,
            $($operands)*
        )
    };
}

/// Without SVE there is no SVE state to lose.
#[cfg(not(target_feature = "sve"))]
macro_rules! svc_clobbering_sve_state {
    ($($operands:tt)*) => {
        core::arch::asm!("svc 0", $($operands)*)
    };
}

/// Call numbers for `syscall!`: linux-raw-sys's table for this architecture, with the calls
/// whose 64-bit-offset form has a number of its own renamed to it (none here), and those whose
/// 32-bit-ID form has one (none here either: IDs are 32-bit in every call). `__NR_mmap` is the
/// byte-offset `mmap` itself (32-bit arm's is `mmap2`, in 4096-byte units).
pub(crate) mod nr {
    pub(crate) use linux_raw_sys::general::*;
}

/// `arch_syscall!([extra options], nr, args...)`: one `svc 0`, evaluating to `x0`.
macro_rules! arch_syscall {
    ([$($opt:ident),*], $nr:expr) => {{
        let ret: usize;
        svc_clobbering_sve_state!(
            in("x8") $nr as usize,
            lateout("x0") ret,
            options(nostack, preserves_flags $(, $opt)*),
        );
        ret
    }};
    ([$($opt:ident),*], $nr:expr, $a0:expr $(, $a1:expr $(, $a2:expr $(, $a3:expr $(, $a4:expr $(, $a5:expr)?)?)?)?)?) => {{
        let ret: usize;
        svc_clobbering_sve_state!(
            in("x8") $nr as usize,
            inlateout("x0") $a0 => ret,
            $(in("x1") $a1, $(in("x2") $a2, $(in("x3") $a3, $(in("x4") $a4, $(in("x5") $a5,)?)?)?)?)?
            options(nostack, preserves_flags $(, $opt)*),
        );
        ret
    }};
}

/// The instruction that ends the process with SIGTRAP, unless a handler for that signal takes
/// over. It follows every syscall that must not return: if a seccomp filter or a tracer makes
/// one return anyway, the program stops there instead of running off the end of a `noreturn`
/// asm block (rustc's `TrapUnreachable` usually adds one too; this one does not depend on it).
macro_rules! trap_instruction {
    () => {
        "brk #1"
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
        core::arch::asm!("svc 0", trap_instruction!(), in("x8") nr as usize, in("x0") a0, options(nostack, noreturn))
    }
}

/// Starts a thread: `clone(flags, stack, parent_tid, tls, child_tid)` with `flags` asking for a
/// thread (`CLONE_VM | CLONE_THREAD | ...`), after which the child, on `stack`, calls
/// `entry(arg)`, which never returns. Returns the raw result in the parent: the child's
/// thread ID, or `-errno`.
///
/// The child's registers are the parent's at the call, but for the result: `entry` and `arg`
/// travel in registers the kernel keeps (`x5`, `x6`), and the child's whole path (clear the frame
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
            "svc 0",
            "cbnz x0, 2f",
            // The child, on its new stack.
            "mov x29, xzr",
            "mov x30, xzr",
            "mov x0, x6",
            "blr x5",
            trap_instruction!(),
            "2:",
            in("x8") nr::__NR_clone as usize,
            inlateout("x0") flags => ret,
            in("x1") stack,
            in("x2") parent_tid,
            in("x3") tls,
            in("x4") child_tid,
            in("x5") entry as usize,
            in("x6") arg,
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
            "svc 0",
            "mov x8, {exit}",
            "mov x0, xzr",
            "svc 0",
            trap_instruction!(),
            exit = in(reg) nr::__NR_exit as usize,
            in("x8") nr::__NR_munmap as usize,
            in("x0") addr,
            in("x1") len,
            options(nostack, noreturn),
        )
    }
}

/// This architecture's TLS layout: variant I, the blocks above the thread pointer
/// (`tpidr_el0`), past a 16-byte control block.
#[cfg(feature = "thread")]
pub(crate) const TLS_VARIANT: super::TlsVariant = super::TlsVariant::AboveTp { gap: 16 };

/// Sets the calling thread's thread pointer: `msr tpidr_el0` (user-writable, no system call).
/// Returns 0, the raw result of a call that cannot fail.
///
/// # Safety
///
/// `tp` is what this architecture's TLS layout (`TLS_VARIANT`) wants the thread pointer to
/// address, live for as long as the thread runs, and nothing the thread runs relies on the
/// thread pointer it had (libc's per-thread state above all).
///
/// # References
///  - [Arm `TPIDR_EL0`](https://developer.arm.com/documentation/ddi0601/latest/AArch64-Registers/TPIDR-EL0--EL0-Read-Write-Software-Thread-ID-Register)
#[cfg(feature = "thread")]
#[inline]
pub unsafe fn set_thread_pointer(tp: usize) -> usize {
    // SAFETY: as this function's contract; the register is the thread's own.
    unsafe { core::arch::asm!("msr tpidr_el0, {}", in(reg) tp, options(nostack, preserves_flags)) };
    0
}

/// The calling thread's thread pointer: `mrs tpidr_el0`, what compiled TLS accesses read.
///
/// # References
///  - [Arm `TPIDR_EL0`](https://developer.arm.com/documentation/ddi0601/latest/AArch64-Registers/TPIDR-EL0--EL0-Read-Write-Software-Thread-ID-Register)
#[cfg(feature = "thread")]
#[inline]
pub fn thread_pointer() -> usize {
    let tp: usize;
    // SAFETY: reading the register touches no memory.
    unsafe {
        core::arch::asm!("mrs {}, tpidr_el0", out(reg) tp, options(nostack, nomem, preserves_flags))
    };
    tp
}

// Program entry (feature `rt`). The kernel starts the process here with `sp` pointing at
// `argc`, then `argv`, `envp` and the auxiliary vector, 16-byte aligned as the ABI requires.
#[cfg(feature = "rt")]
core::arch::global_asm!(
    ".globl _start",
    ".type _start, %function",
    "_start:",
    // The outermost frame: no caller for debuggers and unwinders to walk to.
    "mov x29, xzr",
    "mov x30, xzr",
    "mov x0, sp",
    "and sp, x0, #-16",
    "bl {entry}",
    trap_instruction!(),
    entry = sym crate::rt::entry,
);
