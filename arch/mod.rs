//! Raw system calls: the architecture's syscall instruction and nothing else.
//!
//! `syscallN` passes `N` arguments; `syscallN_readonly` additionally tells the compiler that the
//! kernel writes no memory the program can see (it may read it: `write`'s buffer, `open`'s path),
//! so values cached in registers stay valid across the call. `syscall1_noreturn` is for calls that
//! do not come back (`exit_group`).
//!
//! Every function returns the kernel's raw result: a value in `-4095..=-1`, read as `isize`, is
//! `-errno`; anything else is success. The typed layer in `crate::syscalls` decodes it.
//!
//! Each architecture file defines `arch_syscall!` (the instruction, registers and clobbers) and
//! `syscall1_noreturn`; the functions themselves are generated here once, so the architecture
//! files differ only where the ABIs differ.

/// Expands to one `pub unsafe fn` per arity, plus its `_readonly` twin, over `arch_syscall!`.
macro_rules! raw_syscalls {
    ($($name:ident $readonly:ident ($($arg:ident),*);)*) => {$(
        #[doc = concat!("Makes system call `nr` with arguments `", stringify!($($arg),*), "`.")]
        ///
        /// # Safety
        ///
        /// The call must be sound for its arguments: every pointer valid for what the kernel
        /// reads and writes through it, every fd it consumes owned by the caller.
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

pub use imp::syscall1_noreturn;

raw_syscalls! {
    syscall0 syscall0_readonly();
    syscall1 syscall1_readonly(a0);
    syscall2 syscall2_readonly(a0, a1);
    syscall3 syscall3_readonly(a0, a1, a2);
    syscall4 syscall4_readonly(a0, a1, a2, a3);
    syscall5 syscall5_readonly(a0, a1, a2, a3, a4);
    syscall6 syscall6_readonly(a0, a1, a2, a3, a4, a5);
}
