//! x86_64
//!
//! - Instruction: `syscall`. Number in `rax`; arguments in `rdi`, `rsi`, `rdx`, `r10`, `r8`, `r9`.
//! - Result in `rax`.
//! - The kernel clobbers `rcx` (return address) and `r11` (saved `rflags`); it restores `rflags`
//!   from `r11` on the way out, so the flags survive.
//! - The kernel does not touch the user stack.
//! - Trap: `ud2` (SIGILL), after every call that must not return and wherever the
//!   program must end at once: see [`trap_instruction`].

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
