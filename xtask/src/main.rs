//! The project's commands: `cargo xtask <command>`.
//!
//! - `qemu-test`: installs what is missing, then runs the test suite natively and under
//!   qemu-user on every Linux target, and builds the bare-metal targets. See `qemu_test.rs`.

mod qemu_test;
mod setup;
mod targets;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  qemu-test [--target TRIPLE]... [--list] [--install]
      Run the test suite natively and under qemu-user on every Linux target, and build the
      bare-metal targets; installs missing rustup targets, and Debian packages when running
      as root or with --install. --list shows the targets and whether each is ready.
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let result = match command.as_deref() {
        Some("qemu-test") => qemu_test::run(&rest),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(true)
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::from(2)
        }
    }
}
