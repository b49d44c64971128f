//! Panics, to show feature `panic-handler`: the message goes to stderr and the status is 101.
#![no_std]
#![no_main]

barecall::main!(main);

fn main(startup: barecall::rt::Startup) -> i32 {
    let args = startup.args().len();
    panic!("deliberately, with {args} argument(s)");
}
