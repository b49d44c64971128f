//! riscv64
//!
//! - Instruction: `ecall`. Number in `a7`; arguments in `a0`..`a5`.
//! - Result in `a0`, which also carries the first argument.
//! - The kernel clobbers no other integer register, but may discard vector state, so
//!   `preserves_flags` (which covers `vtype`, `vl` and `vxsat` here) is not claimed.
//! - The kernel does not touch the user stack.

/// `arch_syscall!([extra options], nr, args...)`: one `ecall`, evaluating to `a0`.
macro_rules! arch_syscall {
    ([$($opt:ident),*], $nr:expr) => {{
        let ret: usize;
        core::arch::asm!(
            "ecall",
            in("a7") $nr as usize,
            lateout("a0") ret,
            options(nostack $(, $opt)*),
        );
        ret
    }};
    ([$($opt:ident),*], $nr:expr, $a0:expr $(, $a1:expr $(, $a2:expr $(, $a3:expr $(, $a4:expr $(, $a5:expr)?)?)?)?)?) => {{
        let ret: usize;
        core::arch::asm!(
            "ecall",
            in("a7") $nr as usize,
            inlateout("a0") $a0 => ret,
            $(in("a1") $a1, $(in("a2") $a2, $(in("a3") $a3, $(in("a4") $a4, $(in("a5") $a5,)?)?)?)?)?
            options(nostack $(, $opt)*),
        );
        ret
    }};
}

/// Makes system call `nr`, which does not return, with argument `a0`.
///
/// # Safety
///
/// `nr` must be a call that never returns (`exit`, `exit_group`).
#[inline(always)]
pub unsafe fn syscall1_noreturn(nr: u32, a0: usize) -> ! {
    // SAFETY: the caller guarantees the call does not return, so no state after it matters.
    unsafe {
        core::arch::asm!("ecall", in("a7") nr as usize, in("a0") a0, options(nostack, noreturn))
    }
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
    "unimp",
    entry = sym crate::rt::entry,
);
