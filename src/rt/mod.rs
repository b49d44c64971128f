//! What a program without libc needs from its runtime: the arguments, environment and
//! auxiliary vector the kernel left on the stack, and (feature `rt`) the entry point, `main!`,
//! `print!`-style macros, and (feature `panic-handler`) a panic handler.
//!
//! [`Startup`] is always available, for custom runtimes that write their own `_start`.
//!
//! A whole program with feature `rt`:
//!
//! ```text
//! #![no_std]
//! #![no_main]
//!
//! barecall::main!(main);
//!
//! fn main(startup: barecall::rt::Startup) -> i32 {
//!     barecall::println!("{} arguments, page size {}", startup.args().len(), startup.page_size());
//!     0
//! }
//! ```

use core::ffi::{c_char, CStr};
use core::fmt;

#[cfg(feature = "rt")]
mod syscalls;

/// `AT_*` keys of the auxiliary vector that barecall names (see `getauxval(3)`).
pub mod aux {
    /// `AT_PAGESZ`: the page size.
    pub const PAGESZ: usize = 6;
    /// `AT_RANDOM`: address of 16 random bytes.
    pub const RANDOM: usize = 25;
    /// `AT_HWCAP`: hardware capabilities.
    pub const HWCAP: usize = 16;
    /// `AT_EXECFN`: address of the executable's path, NUL-terminated.
    pub const EXECFN: usize = 31;
}

/// The process's initial stack: `argc`, `argv`, `envp` and the auxiliary vector.
///
/// The kernel writes these before the program starts and nothing in a Rust program changes
/// them, so the strings and values are `'static`.
#[derive(Clone, Copy)]
pub struct Startup {
    /// The initial stack pointer. Only it is kept, and the rest is found on demand, so that a
    /// program that never looks at its environment carries no code to walk it.
    sp: *const usize,
}

// SAFETY: `Startup` only reads memory that stays unchanged for the life of the process.
unsafe impl Send for Startup {}
// SAFETY: as above.
unsafe impl Sync for Startup {}

impl Startup {
    /// Wraps the layout the kernel builds at process start (see `execve(2)` and the ELF ABI):
    /// `argc`, `argc` pointers and a null, environment pointers and a null, then `(key, value)`
    /// pairs ending with key 0 (`AT_NULL`).
    ///
    /// # Safety
    ///
    /// `sp` must be the stack pointer the kernel handed to the entry point, or point at memory
    /// laid out the same way that lives, unchanged, for the rest of the program.
    pub const unsafe fn from_initial_stack(sp: *const usize) -> Self {
        Self { sp }
    }

    /// `argv` as a slice of its `argc` pointers.
    fn argv(&self) -> &'static [*const c_char] {
        // SAFETY: per `from_initial_stack`, `sp` holds argc and is followed by argc pointers.
        unsafe { core::slice::from_raw_parts(self.sp.add(1).cast(), *self.sp) }
    }

    /// The first environment pointer: just past argv's terminating null.
    fn envp(&self) -> *const *const c_char {
        // SAFETY: per `from_initial_stack`, `sp` holds argc and is followed by argc pointers
        // and their null terminator; envp follows that. Derived from `sp`, not from the `argv`
        // slice, whose pointer may only be used for the slice's own `argc` elements.
        unsafe { self.sp.add(1).cast::<*const c_char>().add(*self.sp + 1) }
    }

    /// The arguments, `argv[0]` (the program name) first.
    pub fn args(&self) -> Args {
        Args {
            argv: self.argv().iter(),
        }
    }

    /// The environment, as `NAME=value` strings.
    pub fn env(&self) -> Env {
        Env { next: self.envp() }
    }

    /// The value of environment variable `name`, if set.
    pub fn var(&self, name: &str) -> Option<&'static CStr> {
        self.env().find_map(|entry| {
            let bytes = entry.to_bytes_with_nul();
            let rest = bytes.strip_prefix(name.as_bytes())?.strip_prefix(b"=")?;
            CStr::from_bytes_with_nul(rest).ok()
        })
    }

    /// The auxiliary vector's `(key, value)` pairs.
    pub fn auxv(&self) -> Auxv {
        let mut env_end = self.envp();
        // SAFETY: the environment ends with a null pointer; the auxiliary vector follows it.
        unsafe {
            while !(*env_end).is_null() {
                env_end = env_end.add(1);
            }
            Auxv {
                next: env_end.add(1).cast(),
            }
        }
    }

    /// The value of auxiliary vector entry `key` (an [`aux`] constant), as `getauxval(3)`.
    pub fn aux(&self, key: usize) -> Option<usize> {
        self.auxv().find(|&(k, _)| k == key).map(|(_, value)| value)
    }

    /// `AT_PAGESZ`, or 4096 if the kernel did not say (it always does).
    pub fn page_size(&self) -> usize {
        self.aux(aux::PAGESZ).unwrap_or(4096)
    }

    /// The 16 random bytes the kernel put at `AT_RANDOM` (used by libcs for stack canaries).
    pub fn random(&self) -> Option<&'static [u8; 16]> {
        let address = self.aux(aux::RANDOM)?;
        // SAFETY: the kernel points AT_RANDOM at 16 bytes on the initial stack, which live and
        // stay unchanged for the life of the process.
        (address != 0).then(|| unsafe { &*(address as *const [u8; 16]) })
    }
}

impl fmt::Debug for Startup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Startup")
            .field("args", &self.args().len())
            .field("env", &self.env().count())
            .finish_non_exhaustive()
    }
}

/// Iterator over the arguments: see [`Startup::args`].
#[derive(Clone)]
pub struct Args {
    argv: core::slice::Iter<'static, *const c_char>,
}

impl Iterator for Args {
    type Item = &'static CStr;

    fn next(&mut self) -> Option<&'static CStr> {
        // SAFETY: each of argv's first argc pointers is a NUL-terminated string that lives for
        // the whole program (see `Startup`).
        self.argv.next().map(|&arg| unsafe { CStr::from_ptr(arg) })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.argv.size_hint()
    }
}

impl ExactSizeIterator for Args {}

/// Iterator over the environment: see [`Startup::env`].
#[derive(Clone)]
pub struct Env {
    next: *const *const c_char,
}

impl Iterator for Env {
    type Item = &'static CStr;

    fn next(&mut self) -> Option<&'static CStr> {
        // SAFETY: `next` walks envp, which ends with a null pointer, and stops there; each
        // entry is a NUL-terminated string that lives for the whole program.
        unsafe {
            let entry = *self.next;
            if entry.is_null() {
                return None;
            }
            self.next = self.next.add(1);
            Some(CStr::from_ptr(entry))
        }
    }
}

/// Iterator over the auxiliary vector: see [`Startup::auxv`].
#[derive(Clone)]
pub struct Auxv {
    next: *const [usize; 2],
}

impl Iterator for Auxv {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        // SAFETY: `next` walks the auxiliary vector, which ends with key 0 (AT_NULL), and
        // stops there.
        unsafe {
            let [key, value] = *self.next;
            if key == 0 {
                return None;
            }
            self.next = self.next.add(1);
            Some((key, value))
        }
    }
}

/// What a `main` named by `barecall::main!` may return, turned into an exit status.
#[cfg(feature = "rt")]
pub trait Termination {
    /// The exit status; may print first.
    fn report(self) -> i32;
}

#[cfg(feature = "rt")]
impl Termination for () {
    fn report(self) -> i32 {
        0
    }
}

#[cfg(feature = "rt")]
impl Termination for i32 {
    fn report(self) -> i32 {
        self
    }
}

#[cfg(feature = "rt")]
/// `Err(e)` prints `Error: <message> (<NAME>, os error <n>)` to stderr and exits with 1.
impl Termination for crate::io::Result<()> {
    fn report(self) -> i32 {
        match self {
            Ok(()) => 0,
            Err(err) => {
                let _ = fmt::Write::write_fmt(
                    &mut crate::io::FdWriter(crate::stdio::stderr()),
                    format_args!("Error: {err}\n"),
                );
                1
            }
        }
    }
}

/// Names the function a freestanding program (feature `rt`) starts in.
///
/// The function takes a [`Startup`] and returns `()`, an `i32` exit status, or
/// `io::Result<()>` (an error is printed and the status is 1).
///
/// ```text
/// barecall::main!(main);
/// fn main(startup: barecall::rt::Startup) -> barecall::io::Result<()> { Ok(()) }
/// ```
#[cfg(feature = "rt")]
#[macro_export]
macro_rules! main {
    ($main:path) => {
        /// The program's entry, called by barecall's `_start`.
        #[unsafe(no_mangle)]
        fn __barecall_main(startup: $crate::rt::Startup) -> i32 {
            $crate::rt::Termination::report($main(startup))
        }
    };
}

/// Called by `_start` (in `arch/`) with the stack pointer the kernel gave the process.
///
/// # Safety
///
/// Only `_start` calls this, once, with the initial stack pointer.
#[cfg(feature = "rt")]
pub(crate) unsafe extern "C" fn entry(sp: *const usize) -> ! {
    extern "Rust" {
        /// Defined by `barecall::main!` in the program.
        fn __barecall_main(startup: Startup) -> i32;
    }
    open_missing_standard_streams();
    // `param` reads its values from the auxiliary vector itself, on first use, rather than
    // through a later `prctl` or `/proc/self/auxv`.
    #[cfg(feature = "param")]
    crate::param::init_from_initial_stack(sp);
    // Every thread's TLS, the main one's first; nothing has touched a thread-local yet. A
    // program whose thread-locals cannot exist cannot run: it ends here, as above.
    #[cfg(feature = "thread")]
    {
        // SAFETY: no libc, nothing ran before this but the kernel, and this is the only call.
        if unsafe { crate::thread::tls::init_main_thread() }.is_err() {
            crate::raw::trap();
        }
    }
    // The proof `thread::spawn` asks for: this process began here, not in libc's start code.
    #[cfg(all(feature = "thread", feature = "alloc"))]
    crate::thread::started_at_barecalls_entry();
    // SAFETY: `sp` is the kernel's initial stack pointer, as `_start` passes it.
    let startup = unsafe { Startup::from_initial_stack(sp) };
    // SAFETY: `main!` defines the symbol with exactly this signature.
    let status = unsafe { __barecall_main(startup) };
    crate::process::exit(status)
}

/// Opens `/dev/null` over each of fds 0, 1 and 2 the process was started without, as std's
/// runtime does, so that no file the program opens later takes a standard stream's number:
/// otherwise the safe `stdio::stdin()` would read, and `eprintln!` write into, whatever file
/// that is. Ends the process at once ([`trap`](crate::raw::trap)) if it cannot: there is no
/// stream left to report on, and running on would break the promise `stdio` makes.
#[cfg(feature = "rt")]
fn open_missing_standard_streams() {
    for fd in 0..3 {
        // The lower numbers are open by now, so a missing `fd` is the lowest free number. A
        // check that cannot tell (a seccomp policy refusing `fcntl`) ends the process too.
        let replaced = match syscalls::fd_is_open(fd) {
            Some(true) => true,
            Some(false) => syscalls::open_dev_null_as(fd),
            None => false,
        };
        if !replaced {
            crate::raw::trap();
        }
    }
}

/// Writes a panic's message to stderr and exits with status 101, as std's default hook and
/// runtime would. A panic while that message is formatted (a `Display` impl that panics) ends
/// the process at once, also with 101, instead of recursing until the stack runs out.
///
/// Feature `panic-handler` turns on `rt`: fd 2 is only known to be the standard error when
/// barecall's entry ran ([`open_missing_standard_streams`]).
#[cfg(feature = "panic-handler")]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    use core::sync::atomic::{AtomicBool, Ordering};
    static PANICKING: AtomicBool = AtomicBool::new(false);
    let stderr = crate::stdio::stderr();
    if PANICKING.swap(true, Ordering::Relaxed) {
        let _ = crate::io::write_all(stderr, b"panicked while processing panic\n");
        crate::process::exit(101)
    }
    let _ = fmt::Write::write_fmt(&mut crate::io::FdWriter(stderr), format_args!("{info}\n"));
    crate::process::exit(101)
}

/// Unwinding is never used (freestanding programs build with `panic = "abort"`), but the
/// precompiled `core` of `*-linux-gnu` targets refers to these symbols in debug builds.
#[cfg(feature = "rt")]
mod unwind_stubs {
    /// The personality routine `core`'s unwind tables name; never called with `panic = "abort"`.
    #[unsafe(no_mangle)]
    extern "C" fn rust_eh_personality() {}

    /// ARM EHABI personality routine 0; never called with `panic = "abort"`.
    #[cfg(target_arch = "arm")]
    #[unsafe(no_mangle)]
    extern "C" fn __aeabi_unwind_cpp_pr0() {}

    /// ARM EHABI personality routine 1; never called with `panic = "abort"`.
    #[cfg(target_arch = "arm")]
    #[unsafe(no_mangle)]
    extern "C" fn __aeabi_unwind_cpp_pr1() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn startup_reads_the_kernel_layout() {
        let (arg0, arg1, env0) = (c"prog", c"--flag", c"HOME=/root");
        let random = [7u8; 16];
        // The kernel's words are pointers and integers alike. Built as pointers, the argument
        // and environment pointers keep their provenance when read back as pointers, and the
        // integers are pointers without one; AT_RANDOM's address is read as an integer and cast
        // back, so its provenance is exposed first. (Miri checks all of this.)
        let int = core::ptr::without_provenance::<u8>;
        let random_ptr = random.as_ptr();
        random_ptr.expose_provenance();
        let stack: [*const u8; 12] = [
            int(2),
            arg0.as_ptr().cast(),
            arg1.as_ptr().cast(),
            core::ptr::null(),
            env0.as_ptr().cast(),
            core::ptr::null(),
            int(aux::PAGESZ),
            int(16384),
            int(aux::RANDOM),
            random_ptr,
            core::ptr::null(),
            core::ptr::null(),
        ];
        // SAFETY: `stack` follows the kernel's layout and outlives every use below (the
        // `'static` lifetimes are not relied on past the end of this test).
        let startup = unsafe { Startup::from_initial_stack(stack.as_ptr().cast()) };
        let args: std::vec::Vec<_> = startup.args().collect();
        assert_eq!(args, [arg0, arg1]);
        assert_eq!(startup.args().len(), 2);
        assert_eq!(startup.env().collect::<std::vec::Vec<_>>(), [env0]);
        assert_eq!(startup.var("HOME"), Some(c"/root"));
        assert_eq!(startup.var("HOM"), None);
        assert_eq!(startup.page_size(), 16384);
        assert_eq!(startup.random(), Some(&[7u8; 16]));
        assert_eq!(startup.aux(aux::HWCAP), None);
        assert_eq!(startup.auxv().count(), 2);
        assert_eq!(
            std::format!("{startup:?}"),
            "Startup { args: 2, env: 1, .. }"
        );
    }
}
