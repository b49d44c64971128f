//! Opens a pipe and a directory and prints the fds they got. Started with fd 0, 1 or 2 closed,
//! it must still get numbers from 3 up: `rt` opens `/dev/null` over a missing standard stream
//! before `main`, so no file the program opens can take a standard stream's number. Exits 0 if
//! every number is 3 or more, 1 if one is not, 2 if a call failed.
#![no_std]
#![no_main]

use barecall::fd::AsRawFd;
use barecall::fs::{self, Mode, OFlags};

barecall::main!(main);

fn main(_: barecall::rt::Startup) -> i32 {
    let Ok((reader, writer)) = barecall::pipe::pipe() else {
        return 2;
    };
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let Ok(dir) = fs::open(c"/", flags, Mode::empty()) else {
        return 2;
    };
    let fds = [reader.as_raw_fd(), writer.as_raw_fd(), dir.as_raw_fd()];
    barecall::println!("pipe {} {}, open {}", fds[0], fds[1], fds[2]);
    if fds.iter().all(|&fd| fd >= 3) {
        0
    } else {
        1
    }
}
