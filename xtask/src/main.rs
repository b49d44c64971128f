//! The project's commands: `cargo xtask <command>`.
//!
//! - `hello`: builds and runs the freestanding `hello` example. See `freestanding.rs`.
//! - `qemu-test`: installs what is missing, then runs the test suite natively and under
//!   qemu-user on every Linux target, and builds the bare-metal targets. See `qemu_test.rs`.
//! - `mutants`: mutation testing in passes over the builds the suite has. See `mutants.rs`.
//! - `bench`: instructions and wall time per call against asm, rustix, libc and std, and
//!   compile time against rustix; prints markdown tables. See `bench.rs`.

mod bench;
mod elf;
#[cfg(test)]
mod examples_test;
mod freestanding;
mod guard;
mod miri;
mod mutants;
mod qemu_test;
mod setup;
mod targets;
mod test_binaries;
mod vm;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  hello [--target TRIPLE]... [--tiny] [--install]
      Build the freestanding `hello` example (examples/, README's recipe) as a static,
      libc-free binary, run it natively or under qemu-user, and print its path and size.
      --tiny uses the linker script recipe (examples/tiny.ld) and drops section headers.
  vm-test [--target TRIPLE]... [--install]
      Boot Debian's kernel of each architecture under qemu-system (downloaded once into
      target/vm/) and run the static test binaries there, with a barecall init.
  qemu-test [--target TRIPLE]... [--list] [--install]
      Run the test suite natively and under qemu-user on every Linux target, and build the
      bare-metal targets; installs missing rustup targets, and Debian packages when running
      as root or with --install. --list shows the targets and whether each is ready.
  bench [--only count|time|echo|compile|sort]... [--calls K] [--time-calls N] [--reps R]
        [--compile-reps C] [--sort-reps S]
      Measure barecall against hand-written asm, rustix, libc and std (instructions per call
      under callgrind, wall time per call), its clean compile time against rustix's, and the
      freestanding `sort` example against the same program with std; print
      markdown tables (x86_64; installs valgrind when running as root).
  mutants [--all] [--base REF] [--pass N]... [--jobs J] [--list]
      Mutation testing (cargo-mutants, installed if missing) in passes: default features,
      no default features, the freestanding examples, and each architecture under qemu-user.
      By default only the files changed since the merge base with REF (main); --all for all
      of src/ and arch/. Prints the survivors and a table of counts. See `mutants.rs`.
  miri
      Run the library's unit tests under Miri (nightly; adds the miri component if missing),
      with default features and without: the code that makes no system call. See `miri.rs`.
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let result = match command.as_deref() {
        Some("qemu-test") => qemu_test::run(&rest),
        Some("bench") => bench::run(&rest),
        Some("hello") => freestanding::hello_command(&rest),
        Some("vm-test") => vm::run(&rest),
        Some("miri") => miri::run(&rest),
        Some("mutants") => mutants::run(&rest),
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

/// The workspace root: the directory above `xtask/`.
fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}
