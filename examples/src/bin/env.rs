//! Prints its arguments, its environment and the page size from the auxiliary vector.
#![no_std]
#![no_main]

use barecall::io;
use barecall::stdio::stdout;

barecall::main!(main);

fn main(startup: barecall::rt::Startup) -> io::Result<()> {
    for (i, arg) in startup.args().enumerate() {
        barecall::print!("arg[{i}] = ");
        print_line(arg.to_bytes())?;
    }
    for var in startup.env() {
        barecall::print!("env: ");
        print_line(var.to_bytes())?;
    }
    barecall::println!("AT_PAGESZ = {}", startup.page_size());
    Ok(())
}

/// Arguments and variables are bytes, not necessarily UTF-8: written as they are.
fn print_line(bytes: &[u8]) -> io::Result<()> {
    io::write_all(stdout(), bytes)?;
    io::write_all(stdout(), b"\n")
}
