//! Formatted output without std: `write!` to an fd, and the buffer behind `print!`.

use crate::fd::AsFd;
use crate::io::{write_all, Errno};
use core::fmt;

/// A `core::fmt::Write` over an fd: `write!(FdWriter(stdout()), ...)` works in `no_std`.
///
/// Each piece is written with [`write_all`] as it comes; for one write per message, use
/// [`BufferedWriter`]. A failed write is only `fmt::Error`, which carries no detail; where the
/// `Errno` matters, use [`BufferedWriter`], whose [`flush`](BufferedWriter::flush) returns it.
#[derive(Debug)]
pub struct FdWriter<Fd: AsFd>(pub Fd);

impl<Fd: AsFd> fmt::Write for FdWriter<Fd> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        write_all(&self.0, s.as_bytes()).map_err(|_| fmt::Error)
    }
}

/// A `core::fmt::Write` that collects up to `N` bytes on the stack and writes them to an fd
/// when the next piece does not fit and on [`flush`](Self::flush), so a message of up to `N`
/// bytes reaches the fd in one write. A piece of `N` bytes or more is written straight through.
#[derive(Debug)]
pub struct BufferedWriter<Fd: AsFd, const N: usize> {
    fd: Fd,
    buf: [u8; N],
    len: usize,
    error: Option<Errno>,
}

impl<Fd: AsFd, const N: usize> BufferedWriter<Fd, N> {
    /// An empty buffer in front of `fd`.
    pub fn new(fd: Fd) -> Self {
        Self {
            fd,
            buf: [0; N],
            len: 0,
            error: None,
        }
    }

    /// Writes out what is buffered; returns the first error any write met.
    pub fn flush(&mut self) -> Result<(), Errno> {
        let pending = core::mem::take(&mut self.len);
        if let Err(err) = write_all(&self.fd, &self.buf[..pending]) {
            self.error.get_or_insert(err);
        }
        self.error.map_or(Ok(()), Err)
    }
}

impl<Fd: AsFd, const N: usize> fmt::Write for BufferedWriter<Fd, N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let bytes = s.as_bytes();
        if bytes.len() > N - self.len {
            self.flush().map_err(|_| fmt::Error)?;
        }
        if bytes.len() >= N {
            // Buffering would only split it (and with `N == 0` never finish).
            return write_all(&self.fd, bytes).map_err(|err| {
                self.error.get_or_insert(err);
                fmt::Error
            });
        }
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
        Ok(())
    }
}

/// Formats to `fd` through a 256-byte [`BufferedWriter`]; what `print!` and friends expand to.
#[doc(hidden)]
pub fn _print<Fd: AsFd>(fd: Fd, args: fmt::Arguments<'_>) {
    let mut out = BufferedWriter::<_, 256>::new(fd);
    let _ = fmt::Write::write_fmt(&mut out, args);
    let _ = out.flush();
}

/// Prints to stdout, like std's `print!` (errors are ignored, as std's would panic instead).
#[cfg(feature = "rt")]
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::io::_print($crate::stdio::stdout(), format_args!($($arg)*))
    };
}

/// Prints a line to stdout, like std's `println!`.
#[cfg(feature = "rt")]
#[macro_export]
macro_rules! println {
    () => {
        $crate::print!("\n")
    };
    ($($arg:tt)*) => {
        $crate::print!("{}\n", format_args!($($arg)*))
    };
}

/// Prints to stderr, like std's `eprint!`.
#[cfg(feature = "rt")]
#[macro_export]
macro_rules! eprint {
    ($($arg:tt)*) => {
        $crate::io::_print($crate::stdio::stderr(), format_args!($($arg)*))
    };
}

/// Prints a line to stderr, like std's `eprintln!`.
#[cfg(feature = "rt")]
#[macro_export]
macro_rules! eprintln {
    () => {
        $crate::eprint!("\n")
    };
    ($($arg:tt)*) => {
        $crate::eprint!("{}\n", format_args!($($arg)*))
    };
}
