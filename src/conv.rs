//! The conversion core: Rust values into syscall argument registers, raw results back into
//! `Result`s. Exactly one place for each; every module's `syscalls.rs` builds on it.
//!
//! A typed call reads as one line: the `syscall!` (or `syscall_readonly!`) macro takes the
//! call's `__NR_` name and its arguments, turns each into an [`Arg`] with `Arg::from` (fds,
//! C strings and flag types convert themselves; the named functions below cover the rest), and
//! calls the arity's raw function in [`crate::raw`]; a decoder (`ret`, `ret_usize`, ...) reads
//! the result:
//!
//! ```ignore
//! // SAFETY: dup3 reads no user memory; `new` is owned mutably, so no borrow of its file survives.
//! unsafe { ret(syscall_readonly!(__NR_dup3, fd, raw_fd(new.as_raw_fd()), flags)) }
//! ```
//!
//! Numbers resolve in `raw::nr`: linux-raw-sys's table for the architecture, where the arch file
//! may rename a call whose 64-bit form has its own number (`__NR_fcntl` is `fcntl64` on arm).
//!
//! [`Arg`] carries the lifetime of what it borrows (an fd, a path, a buffer) and is neither
//! `Copy` nor `Clone`, so a register value made from a borrow cannot outlive it; it is a plain
//! word at run time. Slots are typed by kind (fd, pointer, length, flags) rather than by
//! position: the per-module tests against libc are what catch two swapped arguments.

// Each module uses the conversions and decoders its calls need; a build with few modules
// leaves some unused.
#![allow(dead_code)]

use crate::errno::{Errno, Result};
use crate::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use core::ffi::CStr;
use core::marker::PhantomData;
use core::mem::MaybeUninit;
use linux_raw_sys::ctypes::c_int;

/// One syscall argument register, borrowing what it points into (or names) for `'a`.
#[must_use]
#[repr(transparent)]
pub(crate) struct Arg<'a> {
    raw: usize,
    _borrow: PhantomData<&'a ()>,
}

impl Arg<'_> {
    #[inline(always)]
    const fn new(raw: usize) -> Self {
        Self {
            raw,
            _borrow: PhantomData,
        }
    }

    /// The register's value, for the raw call.
    #[inline(always)]
    pub(crate) const fn into_raw(self) -> usize {
        self.raw
    }
}

/// An fd. Sign extension keeps `AT_FDCWD` (-100) what the kernel reads from the low 32 bits.
impl<'a> From<BorrowedFd<'a>> for Arg<'a> {
    #[inline(always)]
    fn from(fd: BorrowedFd<'a>) -> Self {
        Self::new(fd.as_raw_fd() as usize)
    }
}

/// A NUL-terminated string (a path, a name), which the kernel reads.
impl<'a> From<&'a CStr> for Arg<'a> {
    #[inline(always)]
    fn from(c_str: &'a CStr) -> Self {
        Self::new(c_str.as_ptr() as usize)
    }
}

/// A number that names an fd without borrowing one: a target that `dup2` replaces, an fd that
/// `close` consumes, a number to test. The caller's `unsafe` block answers for what it means.
#[inline(always)]
pub(crate) fn raw_fd(fd: RawFd) -> Arg<'static> {
    c_int(fd)
}

/// A C `int`; the kernel reads the low 32 bits (sign-extended here, as C would).
#[inline(always)]
pub(crate) fn c_int(value: c_int) -> Arg<'static> {
    Arg::new(value as usize)
}

/// A C `unsigned int` (a request number, a count).
#[inline(always)]
pub(crate) fn c_uint(value: u32) -> Arg<'static> {
    Arg::new(value as usize)
}

/// A length or other `size_t`/`unsigned long`.
#[inline(always)]
pub(crate) fn size(value: usize) -> Arg<'static> {
    Arg::new(value)
}

/// A null pointer, or a zero the call requires.
#[inline(always)]
pub(crate) fn zero() -> Arg<'static> {
    Arg::new(0)
}

/// A pointer to one value the kernel reads.
#[inline(always)]
pub(crate) fn by_ref<T>(value: &T) -> Arg<'_> {
    Arg::new(value as *const T as usize)
}

/// A pointer to storage the kernel writes one value into.
#[inline(always)]
pub(crate) fn by_mut<T>(value: &mut MaybeUninit<T>) -> Arg<'_> {
    Arg::new(value.as_mut_ptr() as usize)
}

/// A pointer to one value the kernel reads (a timeout), or null for `None`.
#[inline(always)]
pub(crate) fn opt_by_ref<T>(value: Option<&T>) -> Arg<'_> {
    Arg::new(value.map_or(0, |value| value as *const T as usize))
}

/// A pointer to one value the kernel reads and may update in place (`copy_file_range`'s and
/// `splice`'s offsets), or null for `None`.
#[inline(always)]
pub(crate) fn opt_by_mut<T>(value: Option<&mut T>) -> Arg<'_> {
    Arg::new(value.map_or(0, |value| value as *mut T as usize))
}

/// The address of a slice the kernel reads (its length goes in another register).
#[inline(always)]
pub(crate) fn slice_addr<T>(slice: &[T]) -> Arg<'_> {
    Arg::new(slice.as_ptr() as usize)
}

/// The address of a slice the kernel writes.
#[inline(always)]
pub(crate) fn slice_mut_addr<T>(slice: &mut [T]) -> Arg<'_> {
    Arg::new(slice.as_mut_ptr() as usize)
}

/// A raw pointer, for buffers the public layer vouches for (`Buffer::parts_mut`).
#[inline(always)]
pub(crate) fn raw_ptr<T>(ptr: *const T) -> Arg<'static> {
    Arg::new(ptr as usize)
}

/// A `u64` offset or length as the kernel's signed `loff_t`, bit for bit. 2^63 and more become
/// negative, which the calls that take one this way (`pread64` and the other positioned I/O,
/// `ftruncate`, `fallocate`) refuse with `EINVAL` themselves, after the checks that come first
/// (a bad fd is `EBADF`, as with libc); `preadv2` and `pwritev2` read -1 (`u64::MAX`) as "the
/// current offset", as documented. The tests check this on every target, real kernels
/// included, so no check is spent here.
#[inline(always)]
pub(crate) fn loff_of_u64(value: u64) -> i64 {
    value as i64
}

/// A `u64` offset as `loff_t`, for the calls whose kernel side would take a negative one and
/// mean something else (`lseek` on `/dev/mem`, `fadvise`): 2^63 and more is `EINVAL` here.
#[inline(always)]
pub(crate) fn loff_checked(value: u64) -> Result<i64> {
    i64::try_from(value).map_err(|_| Errno::INVAL)
}

/// A 64-bit file offset (`loff_t`) in the one register of a 64-bit ABI.
#[cfg(target_pointer_width = "64")]
#[inline(always)]
pub(crate) fn loff(offset: i64) -> Arg<'static> {
    Arg::new(offset as usize)
}

/// A 64-bit value as two words, low first: the `(low, high)` pair that `preadv`-family calls
/// take on every architecture, and that 32-bit arm's EABI puts in an even register pair for a
/// 64-bit argument. A 64-bit kernel takes the whole value from the low word and ignores the
/// high one. `_llseek`, which wants high first, swaps them at its call.
#[inline(always)]
pub(crate) fn loff_words(offset: i64) -> (Arg<'static>, Arg<'static>) {
    #[cfg(target_pointer_width = "64")]
    {
        (Arg::new(offset as usize), zero())
    }
    #[cfg(target_pointer_width = "32")]
    {
        (
            Arg::new(offset as u32 as usize),
            Arg::new(((offset as u64) >> 32) as usize),
        )
    }
}

/// Expands to the raw call of the arity of its arguments: `arity_call!(f0 .. f6; nr, args...)`.
macro_rules! arity_call {
    ($f0:ident $f1:ident $f2:ident $f3:ident $f4:ident $f5:ident $f6:ident; $nr:ident $(,)?) => {
        $crate::raw::$f0($crate::raw::nr::$nr)
    };
    ($f0:ident $f1:ident $f2:ident $f3:ident $f4:ident $f5:ident $f6:ident; $nr:ident, $a0:expr $(,)?) => {
        $crate::raw::$f1(
            $crate::raw::nr::$nr,
            $crate::conv::Arg::from($a0).into_raw(),
        )
    };
    ($f0:ident $f1:ident $f2:ident $f3:ident $f4:ident $f5:ident $f6:ident; $nr:ident, $a0:expr, $a1:expr $(,)?) => {
        $crate::raw::$f2(
            $crate::raw::nr::$nr,
            $crate::conv::Arg::from($a0).into_raw(),
            $crate::conv::Arg::from($a1).into_raw(),
        )
    };
    ($f0:ident $f1:ident $f2:ident $f3:ident $f4:ident $f5:ident $f6:ident; $nr:ident, $a0:expr, $a1:expr, $a2:expr $(,)?) => {
        $crate::raw::$f3(
            $crate::raw::nr::$nr,
            $crate::conv::Arg::from($a0).into_raw(),
            $crate::conv::Arg::from($a1).into_raw(),
            $crate::conv::Arg::from($a2).into_raw(),
        )
    };
    ($f0:ident $f1:ident $f2:ident $f3:ident $f4:ident $f5:ident $f6:ident; $nr:ident, $a0:expr, $a1:expr, $a2:expr, $a3:expr $(,)?) => {
        $crate::raw::$f4(
            $crate::raw::nr::$nr,
            $crate::conv::Arg::from($a0).into_raw(),
            $crate::conv::Arg::from($a1).into_raw(),
            $crate::conv::Arg::from($a2).into_raw(),
            $crate::conv::Arg::from($a3).into_raw(),
        )
    };
    ($f0:ident $f1:ident $f2:ident $f3:ident $f4:ident $f5:ident $f6:ident; $nr:ident, $a0:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr $(,)?) => {
        $crate::raw::$f5(
            $crate::raw::nr::$nr,
            $crate::conv::Arg::from($a0).into_raw(),
            $crate::conv::Arg::from($a1).into_raw(),
            $crate::conv::Arg::from($a2).into_raw(),
            $crate::conv::Arg::from($a3).into_raw(),
            $crate::conv::Arg::from($a4).into_raw(),
        )
    };
    ($f0:ident $f1:ident $f2:ident $f3:ident $f4:ident $f5:ident $f6:ident; $nr:ident, $a0:expr, $a1:expr, $a2:expr, $a3:expr, $a4:expr, $a5:expr $(,)?) => {
        $crate::raw::$f6(
            $crate::raw::nr::$nr,
            $crate::conv::Arg::from($a0).into_raw(),
            $crate::conv::Arg::from($a1).into_raw(),
            $crate::conv::Arg::from($a2).into_raw(),
            $crate::conv::Arg::from($a3).into_raw(),
            $crate::conv::Arg::from($a4).into_raw(),
            $crate::conv::Arg::from($a5).into_raw(),
        )
    };
}

/// `syscall!(__NR_name, args...)`: the raw result of the call, which may write user memory.
/// Unsafe to expand: the enclosing `unsafe` block's SAFETY comment answers for the call.
macro_rules! syscall {
    ($($args:tt)*) => {
        arity_call!(syscall0 syscall1 syscall2 syscall3 syscall4 syscall5 syscall6; $($args)*)
    };
}

/// `syscall_readonly!(__NR_name, args...)`: as `syscall!`, for calls that write no memory the
/// program can see (values cached in registers stay valid across it).
macro_rules! syscall_readonly {
    ($($args:tt)*) => {
        arity_call!(
            syscall0_readonly syscall1_readonly syscall2_readonly syscall3_readonly
            syscall4_readonly syscall5_readonly syscall6_readonly; $($args)*
        )
    };
}

// ---- Results ---------------------------------------------------------------------------------

/// Decodes a raw result: `-4095..=-1` is `-errno`. One unsigned compare.
#[inline(always)]
pub(crate) fn ret_usize(raw: usize) -> Result<usize> {
    if raw > -4096_isize as usize {
        Err(errno_of(raw))
    } else {
        Ok(raw)
    }
}

/// The error of a failed call, out of line and cold: inlined, LLVM merges both arms of
/// `ret_usize` into a branch-free select that costs every call eight more instructions
/// (measured by `cargo xtask bench` on `fcntl_getfd`).
#[cold]
#[inline(never)]
fn errno_of(raw: usize) -> Errno {
    Errno::from_kernel(raw.wrapping_neg() as u32)
}

/// Decodes a result that carries no value.
#[inline(always)]
pub(crate) fn ret(raw: usize) -> Result<()> {
    ret_usize(raw).map(drop)
}

/// Decodes a result that carries a C `int`.
#[inline(always)]
pub(crate) fn ret_c_int(raw: usize) -> Result<c_int> {
    ret_usize(raw).map(|value| value as c_int)
}

/// Decodes a result that carries a C `unsigned int` (flags, a mode, a size).
#[inline(always)]
pub(crate) fn ret_c_uint(raw: usize) -> Result<u32> {
    ret_usize(raw).map(|value| value as u32)
}

/// Decodes a result that is a new fd.
///
/// # Safety
///
/// `raw` must come from a call that, on success, returns a new fd the caller now owns.
#[inline(always)]
pub(crate) unsafe fn ret_owned_fd(raw: usize) -> Result<OwnedFd> {
    let fd = ret_c_int(raw)?;
    // SAFETY: per this function's contract the fd is new and nobody else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Decodes the result of a call that fails or does not return (`execve`): always an error.
#[inline(always)]
pub(crate) fn ret_error(raw: usize) -> Errno {
    match ret_usize(raw) {
        Err(errno) => errno,
        // No such call returns a value; were one to, "invalid" is the honest answer.
        Ok(_) => Errno::INVAL,
    }
}

/// Decodes the result of a call that cannot fail (`getuid`, `umask`): the low 32 bits as a C
/// `unsigned int`, with no error decoding, since every value is a valid answer (a uid of
/// `0xffff_ffff` reads as `-1` on 32-bit arm).
#[inline(always)]
pub(crate) fn ret_c_uint_infallible(raw: usize) -> u32 {
    raw as u32
}

/// Decodes the result of a call that cannot fail (`getpid`, `getppid`): the low 32 bits as a
/// C `int`, with no error decoding.
#[inline(always)]
pub(crate) fn ret_c_int_infallible(raw: usize) -> c_int {
    raw as c_int
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_is_one_compare_at_the_errno_boundary() {
        assert_eq!(ret_usize(0), Ok(0));
        assert_eq!(ret_usize(isize::MAX as usize), Ok(isize::MAX as usize));
        // -4096 is a valid result (an address or count); -4095..=-1 are errors.
        assert_eq!(ret_usize(-4096_isize as usize), Ok(-4096_isize as usize));
        assert_eq!(
            ret_usize(-4095_isize as usize),
            Err(Errno::from_raw_os_error(4095))
        );
        assert_eq!(ret_usize(-9_isize as usize), Err(Errno::BADF));
        assert_eq!(ret_usize(usize::MAX), Err(Errno::PERM));
        assert_eq!(ret_c_uint(0x7FFF_FFFF), Ok(0x7FFF_FFFF));
        // A 64-bit register holds every `unsigned int`; a 32-bit one has the errors at the top.
        #[cfg(target_pointer_width = "64")]
        assert_eq!(ret_c_uint(0xFFFF_FFFF), Ok(u32::MAX));
        assert_eq!(ret_error(-2_isize as usize), Errno::NOENT);
        assert_eq!(ret_error(0), Errno::INVAL);
    }

    #[test]
    fn every_error_result_decodes_to_its_errno() {
        for code in 1..=4095_u16 {
            let raw = (-isize::from(code as i16)) as usize;
            let errno = Errno::from_raw_os_error(i32::from(code));
            assert_eq!(ret_usize(raw), Err(errno));
            assert_eq!(ret(raw), Err(errno));
            assert_eq!(ret_c_int(raw), Err(errno));
            assert_eq!(ret_c_uint(raw), Err(errno));
            assert_eq!(errno.raw_os_error(), i32::from(code));
            assert_eq!(Errno::from_kernel(code.into()), errno);
        }
        assert_eq!(Errno::from_kernel(0), Errno::INVAL);
        assert_eq!(ret_c_int(7), Ok(7));
        assert_eq!(ret(0), Ok(()));
        // SAFETY: an error result makes no fd; no `OwnedFd` is created.
        let error = unsafe { ret_owned_fd(-9_isize as usize) }.err();
        assert_eq!(error, Some(Errno::BADF));
        // SAFETY: 1000 is owned by nothing else here; `into_raw_fd` takes it back unclosed.
        let fd = unsafe { ret_owned_fd(1000) }.map(crate::fd::IntoRawFd::into_raw_fd);
        assert_eq!(fd, Ok(1000));
    }

    #[test]
    fn arguments_keep_their_meaning() {
        // Sign extension keeps AT_FDCWD (and any int) what the kernel reads from the low bits.
        // SAFETY: AT_FDCWD is never closed.
        let cwd = unsafe { BorrowedFd::borrow_raw(linux_raw_sys::general::AT_FDCWD) };
        assert_eq!(Arg::from(cwd).into_raw(), -100_isize as usize);
        assert_eq!(c_int(-1).into_raw(), usize::MAX);
        assert_eq!(c_int(i32::MIN).into_raw() as u32, 0x8000_0000);
        assert_eq!(c_uint(u32::MAX).into_raw(), u32::MAX as usize);
        assert_eq!(raw_fd(5).into_raw(), 5);
        let byte = 7u8;
        assert_eq!(by_ref(&byte).into_raw(), &byte as *const u8 as usize);
        let path = c"/";
        assert_eq!(Arg::from(path).into_raw(), path.as_ptr() as usize);
        let words = [1u32, 2];
        assert_eq!(slice_addr(&words).into_raw(), words.as_ptr() as usize);
    }

    #[test]
    fn offsets_of_2_pow_63_and_more_are_negative_or_refused() {
        assert_eq!(loff_of_u64(0), 0);
        assert_eq!(loff_of_u64(i64::MAX as u64), i64::MAX);
        assert!(loff_of_u64(1 << 63) < 0);
        assert_eq!(loff_of_u64(u64::MAX), -1);
        assert_eq!(loff_checked(i64::MAX as u64), Ok(i64::MAX));
        assert_eq!(loff_checked(1 << 63), Err(Errno::INVAL));
        assert_eq!(loff_checked(u64::MAX), Err(Errno::INVAL));
    }

    #[test]
    fn offset_words_split_low_word_first() {
        let split = |offset| {
            let (lo, hi) = loff_words(offset);
            (lo.into_raw(), hi.into_raw())
        };
        let five_gib = 5_i64 << 30;
        #[cfg(target_pointer_width = "64")]
        assert_eq!(split(five_gib), (five_gib as usize, 0));
        #[cfg(target_pointer_width = "64")]
        assert_eq!(loff(-1).into_raw(), usize::MAX);
        #[cfg(target_pointer_width = "32")]
        assert_eq!(split(five_gib), (1 << 30, 1));
        #[cfg(target_pointer_width = "32")]
        assert_eq!(split(-1), (usize::MAX, usize::MAX));
    }

    #[test]
    fn optional_in_out_pointers_are_null_or_the_address() {
        let mut offset = 5u64;
        let addr = &mut offset as *mut u64 as usize;
        assert_eq!(opt_by_mut(Some(&mut offset)).into_raw(), addr);
        assert_eq!(opt_by_mut(None::<&mut u64>).into_raw(), 0);
    }

    #[test]
    fn infallible_results_are_values_minus_one_included() {
        assert_eq!(ret_c_uint_infallible(u32::MAX as usize), u32::MAX);
        assert_eq!(ret_c_uint_infallible(usize::MAX), u32::MAX);
        assert_eq!(ret_c_uint_infallible(0o022), 0o022);
        assert_eq!(ret_c_int_infallible(1234), 1234);
        assert_eq!(ret_c_int_infallible(usize::MAX), -1);
    }
}
