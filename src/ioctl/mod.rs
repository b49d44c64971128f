//! The generic, unsafe `ioctl`: rustix's `ioctl` module (feature `ioctl`; rustix compiles it
//! always).
//!
//! Every driver defines its own requests, so no safe wrapper can cover them all. A request is
//! described by a type implementing [`Ioctl`] (its opcode, its argument, what it returns), and
//! [`ioctl`] makes the call; [`NoArg`], [`Getter`], [`Setter`], [`IntegerSetter`] and
//! [`Updater`] are the common shapes, and [`opcode`] computes request numbers as C's `_IO`,
//! `_IOR`, `_IOW` and `_IOWR` do.
//!
//! ```
//! use barecall::ioctl::{ioctl, Getter};
//! use linux_raw_sys::ioctl::FIONREAD;
//!
//! # fn main() -> barecall::io::Result<()> {
//! let (reader, writer) = barecall::pipe::pipe()?;
//! barecall::io::write(&writer, b"four")?;
//! // SAFETY: FIONREAD writes one `int`, the count of bytes ready to be read.
//! let ready = unsafe { ioctl(&reader, Getter::<FIONREAD, i32>::new())? };
//! assert_eq!(ready, 4);
//! # Ok(())
//! # }
//! ```

mod call;
pub mod opcode;
mod patterns;
pub(crate) mod syscalls;
mod types;

pub use call::ioctl;
pub use patterns::{Getter, IntegerSetter, NoArg, Setter, Updater};
pub use types::{Direction, Ioctl, IoctlOutput, Opcode};
