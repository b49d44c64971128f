//! The port promise for `event`: `port/event.rs` uses rustix 1.x's `poll`, `epoll` and
//! `eventfd`, and is compiled under `use rustix::...` and under `use barecall::...` with no
//! other difference. Compiling proves the names and signatures (`epoll::wait` into a
//! `Buffer<Event>` included); running both and comparing what they observed proves the
//! behaviour.

mod with_rustix {
    use rustix::{buffer, event, io, pipe};
    include!("port/event.rs");
}

mod with_barecall {
    use barecall::{buffer, event, io, pipe};
    include!("port/event.rs");
}

/// Where barecall differs from rustix on purpose: rustix's observation, barecall's, and why.
/// (None: `poll` is `ppoll` everywhere, as rustix's is.)
const DIFFERENCES: &[(&str, &str, &str)] = &[];

#[test]
fn rustix_event_program_runs_the_same_on_barecall() {
    let rustix = with_rustix::run();
    let barecall = with_barecall::run();
    assert!(
        rustix.len() > 30,
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
