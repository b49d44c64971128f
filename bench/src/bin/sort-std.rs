//! The `sort` example (`examples/src/bin/sort.rs`) written with std, for `cargo xtask bench
//! --only sort`: the same reading, `Vec<String>`, `sort_unstable` and 64 KiB writes, over
//! glibc's malloc instead of dlmalloc on barecall's `mm`.

use std::io::{self, BufRead, Read, Write};

fn main() -> std::process::ExitCode {
    match sort() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sort-std: {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn sort() -> io::Result<()> {
    let mut input = io::BufReader::with_capacity(64 * 1024, io::stdin().lock());
    let mut lines = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        let text = String::from_utf8(std::mem::take(&mut line))
            .map_err(|_| io::Error::other(format!("line {} is not UTF-8", lines.len() + 1)))?;
        lines.push(text);
    }
    debug_assert_eq!(input.read(&mut [0])?, 0);
    lines.sort_unstable();
    let mut out = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    for line in &lines {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
