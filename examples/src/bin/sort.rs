//! Reads stdin's lines into a `Vec<String>` and writes them to stdout sorted bytewise, as
//! `LC_ALL=C sort` does (a last line without a newline gets one). Input that is not UTF-8 is
//! refused (`sort: line N is not UTF-8`, status 1): `String`'s order is its bytes' order. Options: `--digest` writes, instead of the lines,
//! `LINES lines, BYTES bytes, fnv1a64 HASH` of what it would have written; `--heap-limit
//! BYTES` lets the heap take at most BYTES from the kernel. When memory runs out, the alloc
//! error handler reports it (through the panic handler: exit status 101).
#![no_std]
#![no_main]

extern crate alloc;

#[path = "../heap.rs"]
mod heap;

use alloc::string::String;
use alloc::vec::Vec;
use barecall::io;
use barecall::stdio;

#[global_allocator]
static HEAP: heap::Heap = heap::Heap::new();

barecall::main!(main);

fn main(startup: barecall::rt::Startup) -> i32 {
    let mut digest = false;
    let mut args = startup.args().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_bytes() {
            b"--digest" => digest = true,
            b"--heap-limit" => match args.next().and_then(|n| parse(n.to_bytes())) {
                Some(bytes) => HEAP.limit(bytes),
                None => return usage(),
            },
            _ => return usage(),
        }
    }
    let mut lines = match read_lines() {
        Ok(lines) => lines,
        Err(Input::Read(err)) => {
            barecall::eprintln!("sort: reading stdin: {err}");
            return 1;
        }
        Err(Input::NotUtf8(number)) => {
            barecall::eprintln!("sort: line {number} is not UTF-8");
            return 1;
        }
    };
    lines.sort_unstable();
    let mut out = Output::new(digest);
    for line in &lines {
        if let Err(err) = out.line(line.as_bytes()) {
            barecall::eprintln!("sort: writing stdout: {err}");
            return 1;
        }
    }
    if let Err(err) = out.finish() {
        barecall::eprintln!("sort: writing stdout: {err}");
        return 1;
    }
    0
}

fn usage() -> i32 {
    barecall::eprintln!("usage: sort [--digest] [--heap-limit BYTES] < input");
    2
}

fn parse(digits: &[u8]) -> Option<usize> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0usize, |n, &d| {
        let d = usize::from(d.checked_sub(b'0').filter(|d| *d < 10)?);
        n.checked_mul(10)?.checked_add(d)
    })
}

/// Why stdin could not be read as lines.
enum Input {
    Read(io::Errno),
    NotUtf8(usize),
}

/// All of stdin, one `String` per line, without the newlines.
fn read_lines() -> Result<Vec<String>, Input> {
    let mut lines = Vec::new();
    let mut line = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        let n = io::retry_on_intr(|| io::read(stdio::stdin(), &mut buf)).map_err(Input::Read)?;
        if n == 0 {
            break;
        }
        let mut rest = &buf[..n];
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            line.extend_from_slice(&rest[..end]);
            lines.push(text(core::mem::take(&mut line), lines.len())?);
            rest = &rest[end + 1..];
        }
        line.extend_from_slice(rest);
    }
    if !line.is_empty() {
        lines.push(text(line, lines.len())?);
    }
    Ok(lines)
}

/// Line `index` (from 0) as a `String`, or its 1-based number if it is not UTF-8.
fn text(line: Vec<u8>, index: usize) -> Result<String, Input> {
    String::from_utf8(line).map_err(|_| Input::NotUtf8(index + 1))
}

/// Where the sorted lines go: stdout in 64 KiB writes, or a count and hash of the bytes.
struct Output {
    digest: bool,
    buf: Vec<u8>,
    lines: u64,
    bytes: u64,
    hash: u64,
}

impl Output {
    fn new(digest: bool) -> Self {
        Self {
            digest,
            buf: Vec::with_capacity(64 * 1024),
            lines: 0,
            bytes: 0,
            hash: 0xcbf2_9ce4_8422_2325,
        }
    }

    fn line(&mut self, line: &[u8]) -> io::Result<()> {
        if self.digest {
            for &b in line.iter().chain(b"\n") {
                self.hash = (self.hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            self.lines += 1;
            self.bytes += line.len() as u64 + 1;
            return Ok(());
        }
        if self.buf.len() + line.len() + 1 > self.buf.capacity() {
            self.flush()?;
        }
        if line.len() + 1 > self.buf.capacity() {
            io::write_all(stdio::stdout(), line)?;
            return io::write_all(stdio::stdout(), b"\n");
        }
        self.buf.extend_from_slice(line);
        self.buf.push(b'\n');
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::write_all(stdio::stdout(), &self.buf)?;
        self.buf.clear();
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        if self.digest {
            barecall::println!(
                "{} lines, {} bytes, fnv1a64 {:016x}",
                self.lines,
                self.bytes,
                self.hash
            );
            return Ok(());
        }
        self.flush()
    }
}
