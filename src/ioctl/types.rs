//! The ioctl module's types: the [`Ioctl`] trait and the numbers it is made of.

use crate::io::Result;
use core::ffi::c_void;

/// A request number, as the kernel's `ioctl` takes it (`unsigned int`).
pub type Opcode = u32;

/// What a successful `ioctl` returns: a C `int`, usually 0, for some requests a value.
pub type IoctlOutput = i32;

/// Which way an `ioctl`'s argument goes, as seen from the program (bits 30 and 31 of an
/// [`Opcode`] on the supported architectures).
#[derive(Debug, Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// `_IOC_NONE`: no data, or an integer passed by value.
    None,
    /// `_IOC_READ`: the kernel writes the argument, which the program then reads.
    Read,
    /// `_IOC_WRITE`: the program writes the argument, which the kernel then reads.
    Write,
    /// `_IOC_READ | _IOC_WRITE`: both.
    ReadWrite,
}

/// One `ioctl` request: its opcode, the argument register, and how to read the result.
///
/// # Safety
///
/// An implementation promises, for every target it is used on, that:
///  - [`opcode`](Ioctl::opcode) names the request it describes, and the request takes the
///    argument that [`as_ptr`](Ioctl::as_ptr) gives (a pointer to data of the type the driver
///    reads or writes, or an integer);
///  - [`output_from_ptr`](Ioctl::output_from_ptr) can build the output from that pointer once a
///    call has succeeded;
///  - the call is safe to make, side effects included;
///  - when [`IS_MUTATING`](Ioctl::IS_MUTATING) is `false`, the kernel writes no user memory.
pub unsafe trait Ioctl {
    /// What a successful call gives.
    type Output;

    /// Whether the kernel writes user memory during the call. `false` lets the compiler keep
    /// values in registers across it; if in doubt, `true`.
    ///
    /// # Safety
    ///
    /// `false` is undefined behaviour if the call writes memory the program can see.
    const IS_MUTATING: bool;

    /// The request number. See [`opcode`](crate::ioctl::opcode) for computing one.
    fn opcode(&self) -> Opcode;

    /// The argument register: a pointer to the data, or an integer as a pointer.
    fn as_ptr(&mut self) -> *mut c_void;

    /// Turns a successful call's result into the output.
    ///
    /// # Safety
    ///
    /// `out` is what a successful call returned, and `extract_output` the pointer `as_ptr`
    /// gave that call.
    unsafe fn output_from_ptr(
        out: IoctlOutput,
        extract_output: *mut c_void,
    ) -> Result<Self::Output>;
}
