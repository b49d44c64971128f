//! Copies stdin, or each file named as an argument, to stdout. On an error prints
//! `cat: NAME: <message>` to stderr, goes on with the next file, and exits 1 at the end.
#![no_std]
#![no_main]

use barecall::fd::{AsFd, BorrowedFd};
use barecall::fs::{self, Mode, OFlags};
use barecall::io::{self, Errno};
use barecall::stdio;

barecall::main!(main);

fn main(startup: barecall::rt::Startup) -> i32 {
    let mut status = 0;
    let mut report = |name: &[u8], err: Errno| {
        let _ = io::write_all(stdio::stderr(), b"cat: ");
        let _ = io::write_all(stdio::stderr(), name);
        barecall::eprintln!(": {}", err.description());
        status = 1;
    };
    let files = startup.args().skip(1);
    if files.len() == 0 {
        if let Err(err) = copy(stdio::stdin()) {
            report(b"-", err);
        }
    }
    for name in files {
        let result = match name.to_bytes() {
            b"-" => copy(stdio::stdin()),
            _ => fs::open(name, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
                .and_then(|file| copy(file.as_fd())),
        };
        if let Err(err) = result {
            report(name.to_bytes(), err);
        }
    }
    status
}

/// Copies `from` to stdout until end of file.
fn copy(from: BorrowedFd<'_>) -> io::Result<()> {
    let mut buf = [0u8; 64 * 1024];
    loop {
        let n = io::retry_on_intr(|| io::read(from, &mut buf))?;
        if n == 0 {
            return Ok(());
        }
        io::write_all(stdio::stdout(), &buf[..n])?;
    }
}
