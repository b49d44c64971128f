//! The port promise for `thread`: `port/thread.rs` uses rustix 1.x's thread IDs, CPU affinity
//! and futex calls, and is compiled under `use rustix::...` and under `use barecall::...` with
//! no other difference. Compiling proves the names and signatures; running both and comparing
//! what they observed proves the behaviour.

mod with_rustix {
    use rustix::{io, thread};
    include!("port/thread.rs");
}

mod with_barecall {
    use barecall::{io, thread};
    include!("port/thread.rs");
}

#[test]
fn rustix_thread_program_runs_the_same_on_barecall() {
    let rustix = with_rustix::run();
    let barecall = with_barecall::run();
    assert!(
        rustix.len() > 60,
        "the program observed too little: {rustix:?}"
    );
    assert_eq!(rustix.len(), barecall.len());
    for (line, (theirs, ours)) in rustix.iter().zip(&barecall).enumerate() {
        assert_eq!(theirs, ours, "observation {line} differs");
    }
}
