//! The port promise for `net`: `port/net.rs` uses rustix 1.x's sockets, addresses,
//! `SCM_RIGHTS` and socket options, and is compiled under `use rustix::...` and under
//! `use barecall::...` with no other difference. Compiling proves the names and signatures;
//! running both and comparing what they observed proves the behaviour.

mod with_rustix {
    use rustix::cmsg_space;
    use rustix::{io, net, pipe};
    include!("port/net.rs");
}

mod with_barecall {
    use barecall::cmsg_space;
    use barecall::{io, net, pipe};
    include!("port/net.rs");
}

/// Where barecall differs from rustix on purpose: rustix's observation, barecall's, and why.
const DIFFERENCES: &[(&str, &str, &str)] = &[UNNAMED, UNNAMED_PEER];

/// The address of an unnamed unix socket (the kernel returns the family alone, 2 bytes):
/// rustix 1.1.6 decodes it through `SocketAddrUnix::new("")`, which makes a one-byte
/// `sun_path` of NUL, so it reads as the abstract name `""` and not as unnamed; barecall
/// decodes the length the kernel gave, so `is_unnamed()` is true, as `new_unnamed()`'s is.
const UNNAMED: (&str, &str, &str) = (
    "unnamed: false None Some([])",
    "unnamed: true None None",
    "an unnamed socket's address decodes as unnamed, not as the abstract name \"\"",
);

/// The same, for the address `accept` reports for an unnamed client.
const UNNAMED_PEER: (&str, &str, &str) = (
    "accepted from unnamed: Some(false)",
    "accepted from unnamed: Some(true)",
    "an unnamed socket's address decodes as unnamed, not as the abstract name \"\"",
);

#[test]
fn rustix_net_program_runs_the_same_on_barecall() {
    let rustix = with_rustix::run();
    let barecall = with_barecall::run();
    assert!(
        rustix.len() > 60,
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
