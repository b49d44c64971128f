//! arm (EABI), A32 and Thumb-2
//!
//! - Instruction: `svc 0`. Number in `r7`; arguments in `r0`..`r5`.
//! - Result in `r0`, which also carries the first argument.
//! - The kernel clobbers no other register and restores the condition flags.
//! - The kernel does not touch the user stack.
//! - A 64-bit argument takes an even/odd register pair, low word first: callers insert a pad
//!   argument where needed (`pread64`) and split offsets into words.
//! - Thumb-2: r7 is the frame pointer, which rustc refuses as an asm operand; see
//!   [`svc_with_nr_in_r7`].

/// Thumb-2 keeps its frame pointer in r7 and rustc will not hand r7 to inline asm, yet the kernel
/// reads the syscall number from r7. So the number travels in a scratch register, and r7 is
/// parked in another one across the `svc` and put back before anything can use it as a frame
/// pointer again.
#[cfg(barecall_thumb)]
macro_rules! svc_with_nr_in_r7 {
    ($nr:expr, $($operands:tt)*) => {
        core::arch::asm!(
            "mov {saved_r7}, r7",
            "mov r7, {nr}",
            "svc 0",
            "mov r7, {saved_r7}",
            nr = in(reg) $nr,
            saved_r7 = out(reg) _,
            $($operands)*
        )
    };
}

/// A32 code uses r11 as its frame pointer, so r7 is an ordinary operand.
#[cfg(not(barecall_thumb))]
macro_rules! svc_with_nr_in_r7 {
    ($nr:expr, $($operands:tt)*) => {
        core::arch::asm!("svc 0", in("r7") $nr, $($operands)*)
    };
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

/// Makes system call `nr`, which does not return, with argument `a0`.
///
/// # Safety
///
/// `nr` must be a call that never returns (`exit`, `exit_group`).
#[inline(always)]
pub unsafe fn syscall1_noreturn(nr: u32, a0: usize) -> ! {
    // SAFETY: the caller guarantees the call does not return, so r7 need not be given back.
    unsafe {
        core::arch::asm!("mov r7, {nr}", "svc 0", nr = in(reg) nr as usize, in("r0") a0, options(nostack, noreturn))
    }
}
