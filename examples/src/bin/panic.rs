//! Panics, to show feature `panic-handler`: the message goes to stderr and the status is 101.
//! `panic recursive` panics with a message whose formatting panics again: the handler must see
//! that it is re-entered and end the process (status 101) instead of recursing until the stack
//! overflows.
#![no_std]
#![no_main]

use core::fmt;

barecall::main!(main);

fn main(startup: barecall::rt::Startup) -> i32 {
    if startup.args().nth(1).map(|arg| arg.to_bytes()) == Some(b"recursive") {
        panic!("{}", PanicsWhenShown);
    }
    let args = startup.args().len();
    panic!("deliberately, with {args} argument(s)");
}

/// A value whose `Display` panics every time it is formatted.
struct PanicsWhenShown;

impl fmt::Display for PanicsWhenShown {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        panic!("while formatting the panic message");
    }
}
