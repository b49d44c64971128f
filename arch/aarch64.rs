//! aarch64
//!
//! - Instruction: `svc 0`. Number in `x8`; arguments in `x0`..`x5`.
//! - Result in `x0`, which also carries the first argument.
//! - The kernel clobbers no other register and restores the condition flags.
//! - The kernel does not touch the user stack.
//! - Trap: `brk #1` (SIGTRAP), after every call that must not return and wherever the
//!   program must end at once: see [`trap_instruction`].

/// `arch_syscall!([extra options], nr, args...)`: one `svc 0`, evaluating to `x0`.
macro_rules! arch_syscall {
    ([$($opt:ident),*], $nr:expr) => {{
        let ret: usize;
        core::arch::asm!(
            "svc 0",
            in("x8") $nr as usize,
            lateout("x0") ret,
            options(nostack, preserves_flags $(, $opt)*),
        );
        ret
    }};
    ([$($opt:ident),*], $nr:expr, $a0:expr $(, $a1:expr $(, $a2:expr $(, $a3:expr $(, $a4:expr $(, $a5:expr)?)?)?)?)?) => {{
        let ret: usize;
        core::arch::asm!(
            "svc 0",
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
/// asm block.
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
