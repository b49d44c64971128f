//! The common shapes of `ioctl` requests, as [`Ioctl`] implementations.
//!
//! Each takes its opcode as a const generic argument (see [`opcode`](crate::ioctl::opcode)),
//! and each constructor is `unsafe`: by calling it, the caller vouches that the opcode and the
//! data type match what the driver expects.

use crate::io::Result;
use crate::ioctl::{Ioctl, IoctlOutput, Opcode};
use core::ffi::c_void;
use core::fmt;
use core::mem::MaybeUninit;

/// A request with no argument (the register holds 0).
pub struct NoArg<const OPCODE: Opcode> {}

impl<const OPCODE: Opcode> NoArg<OPCODE> {
    /// Describes the request `OPCODE`.
    ///
    /// # Safety
    ///
    /// `OPCODE` is a request that takes no argument and writes no user memory.
    #[inline]
    pub const unsafe fn new() -> Self {
        Self {}
    }
}

impl<const OPCODE: Opcode> fmt::Debug for NoArg<OPCODE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("NoArg").field(&OPCODE).finish()
    }
}

// SAFETY: no argument, no user memory written; the constructor's caller vouched for OPCODE.
unsafe impl<const OPCODE: Opcode> Ioctl for NoArg<OPCODE> {
    type Output = ();

    const IS_MUTATING: bool = false;

    #[inline]
    fn opcode(&self) -> Opcode {
        OPCODE
    }

    #[inline]
    fn as_ptr(&mut self) -> *mut c_void {
        core::ptr::null_mut()
    }

    #[inline]
    unsafe fn output_from_ptr(_: IoctlOutput, _: *mut c_void) -> Result<()> {
        Ok(())
    }
}

/// A request in which the kernel writes one `Output`, which the call returns.
pub struct Getter<const OPCODE: Opcode, Output> {
    output: MaybeUninit<Output>,
}

impl<const OPCODE: Opcode, Output> Getter<OPCODE, Output> {
    /// Describes the request `OPCODE`, with room for its output.
    ///
    /// # Safety
    ///
    /// `OPCODE` is a request that, on success, writes exactly one whole `Output` (a valid one)
    /// through its pointer argument, and writes no other user memory.
    #[inline]
    pub const unsafe fn new() -> Self {
        Self {
            output: MaybeUninit::uninit(),
        }
    }
}

impl<const OPCODE: Opcode, Output> fmt::Debug for Getter<OPCODE, Output> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Getter").field(&OPCODE).finish()
    }
}

// SAFETY: the pointer is to storage for one `Output`, which the kernel writes (so the call is
// mutating); the constructor's caller vouched that a successful call leaves a valid value there.
unsafe impl<const OPCODE: Opcode, Output> Ioctl for Getter<OPCODE, Output> {
    type Output = Output;

    const IS_MUTATING: bool = true;

    #[inline]
    fn opcode(&self) -> Opcode {
        OPCODE
    }

    #[inline]
    fn as_ptr(&mut self) -> *mut c_void {
        self.output.as_mut_ptr().cast()
    }

    #[inline]
    unsafe fn output_from_ptr(_: IoctlOutput, ptr: *mut c_void) -> Result<Output> {
        // SAFETY: per the trait's contract `ptr` is this getter's storage after a successful
        // call, which wrote a valid `Output` there; it is aligned, being a `MaybeUninit<Output>`.
        Ok(unsafe { ptr.cast::<Output>().read() })
    }
}

/// A request in which the kernel reads one `Input`, passed by pointer.
pub struct Setter<const OPCODE: Opcode, Input> {
    input: Input,
}

impl<const OPCODE: Opcode, Input> Setter<OPCODE, Input> {
    /// Describes the request `OPCODE`, with its input.
    ///
    /// # Safety
    ///
    /// `OPCODE` is a request that reads one `Input` through its pointer argument and writes no
    /// user memory.
    #[inline]
    pub const unsafe fn new(input: Input) -> Self {
        Self { input }
    }
}

impl<const OPCODE: Opcode, Input: fmt::Debug> fmt::Debug for Setter<OPCODE, Input> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Setter")
            .field(&OPCODE)
            .field(&self.input)
            .finish()
    }
}

// SAFETY: the pointer is to the live input, which the kernel only reads; the constructor's
// caller vouched for OPCODE and the type.
unsafe impl<const OPCODE: Opcode, Input> Ioctl for Setter<OPCODE, Input> {
    type Output = ();

    const IS_MUTATING: bool = false;

    #[inline]
    fn opcode(&self) -> Opcode {
        OPCODE
    }

    #[inline]
    fn as_ptr(&mut self) -> *mut c_void {
        core::ptr::addr_of_mut!(self.input).cast()
    }

    #[inline]
    unsafe fn output_from_ptr(_: IoctlOutput, _: *mut c_void) -> Result<()> {
        Ok(())
    }
}

/// A request in which the kernel reads a `Value` and writes one back in its place.
pub struct Updater<'a, const OPCODE: Opcode, Value> {
    value: &'a mut Value,
}

impl<'a, const OPCODE: Opcode, Value> Updater<'a, OPCODE, Value> {
    /// Describes the request `OPCODE`, on `value`.
    ///
    /// # Safety
    ///
    /// `OPCODE` is a request that reads one `Value` through its pointer argument, may write a
    /// valid `Value` back there, and writes no other user memory.
    #[inline]
    pub unsafe fn new(value: &'a mut Value) -> Self {
        Self { value }
    }
}

// SAFETY: the pointer is to the borrowed value, which the kernel reads and may write (so the
// call is mutating); the constructor's caller vouched for OPCODE and the type.
unsafe impl<const OPCODE: Opcode, Value> Ioctl for Updater<'_, OPCODE, Value> {
    type Output = ();

    const IS_MUTATING: bool = true;

    #[inline]
    fn opcode(&self) -> Opcode {
        OPCODE
    }

    #[inline]
    fn as_ptr(&mut self) -> *mut c_void {
        (self.value as *mut Value).cast()
    }

    #[inline]
    unsafe fn output_from_ptr(_: IoctlOutput, _: *mut c_void) -> Result<()> {
        Ok(())
    }
}

/// A request that takes an integer (or a pointer the caller vouches for) in the argument
/// register itself.
pub struct IntegerSetter<const OPCODE: Opcode> {
    // A pointer rather than a `usize`, so that `new_pointer` keeps the pointer's provenance.
    value: *mut c_void,
}

impl<const OPCODE: Opcode> IntegerSetter<OPCODE> {
    /// Describes the request `OPCODE`, with the integer `value`.
    ///
    /// # Safety
    ///
    /// `OPCODE` is a request that takes an integer argument, `value` is in its range, and the
    /// request writes no user memory.
    #[inline]
    pub const unsafe fn new_usize(value: usize) -> Self {
        Self {
            value: core::ptr::without_provenance_mut(value),
        }
    }

    /// Describes the request `OPCODE`, with the pointer `value` as its argument.
    ///
    /// # Safety
    ///
    /// `OPCODE` is a request that takes this pointer as its argument, the pointer is valid for
    /// what the kernel reads through it, and the request writes no user memory.
    #[inline]
    pub const unsafe fn new_pointer(value: *mut c_void) -> Self {
        Self { value }
    }
}

impl<const OPCODE: Opcode> fmt::Debug for IntegerSetter<OPCODE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IntegerSetter")
            .field(&OPCODE)
            .field(&self.value)
            .finish()
    }
}

// SAFETY: the register holds the caller's integer or pointer, which the constructor's caller
// vouched for, along with the request writing no user memory.
unsafe impl<const OPCODE: Opcode> Ioctl for IntegerSetter<OPCODE> {
    type Output = ();

    const IS_MUTATING: bool = false;

    #[inline]
    fn opcode(&self) -> Opcode {
        OPCODE
    }

    #[inline]
    fn as_ptr(&mut self) -> *mut c_void {
        self.value
    }

    #[inline]
    unsafe fn output_from_ptr(_: IoctlOutput, _: *mut c_void) -> Result<()> {
        Ok(())
    }
}
