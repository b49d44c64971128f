//! The port promise for the modules beyond `io`: `port/small.rs` uses rustix 1.x's `pipe`
//! extras, `ioctl`, `rand`, `stdio::dup2_*`, `process` information calls, `system::uname` and
//! `thread::sched_yield`, and is compiled under `use rustix::...` and under `use barecall::...`
//! with no other difference. Compiling proves the names and signatures; running both and
//! comparing what they observed proves the behaviour.

mod with_rustix {
    use rustix::{fs, io, ioctl, pipe, process, rand, stdio, system, thread};
    include!("port/small.rs");
}

mod with_barecall {
    use barecall::{fs, io, ioctl, pipe, process, rand, stdio, system, thread};
    include!("port/small.rs");
}

/// Where barecall differs from rustix on purpose: rustix's observation, barecall's, and why.
/// None in these modules today (an offset of 2^63 or more on a pipe end was one, until splice
/// left it to the kernel, which says ESPIPE first, as for rustix).
const DIFFERENCES: &[(&str, &str, &str)] = &[];

#[test]
fn rustix_small_modules_program_runs_the_same_on_barecall() {
    let rustix = with_rustix::run();
    let barecall = with_barecall::run();
    assert!(
        rustix.len() > 40,
        "the program observed too little: {rustix:?}"
    );
    assert_eq!(rustix.len(), barecall.len());
    let mut differences_seen = 0;
    for (line, (theirs, ours)) in rustix.iter().zip(&barecall).enumerate() {
        if theirs == ours {
            continue;
        }
        match DIFFERENCES
            .iter()
            .find(|(r, b, _)| r == theirs && b == ours)
        {
            Some((_, _, why)) => {
                eprintln!("barecall-compat: differs on purpose: rustix {theirs:?}, barecall {ours:?}: {why}");
                differences_seen += 1;
            }
            None => panic!("observation {line} differs\n  rustix:   {theirs}\n  barecall: {ours}"),
        }
    }
    // A listed difference that no longer shows is a list to update, not a pass.
    assert_eq!(
        differences_seen,
        DIFFERENCES.len(),
        "a listed difference did not occur"
    );
}
