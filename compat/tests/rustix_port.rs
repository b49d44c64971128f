//! barecall promises that code written against `rustix::io` ports by changing a `use`. This
//! test holds it to that: `port/program.rs` uses every item of rustix's `io` module, and is
//! compiled twice, under `use rustix::...` and under `use barecall::...`, with no other
//! difference. Compiling proves the names and signatures; running both and comparing what
//! they observed (values, errno numbers, file contents, fd flags) proves the behaviour.

mod with_rustix {
    use rustix::{buffer, io, pipe};
    include!("port/program.rs");
}

mod with_barecall {
    use barecall::{buffer, io, pipe};
    include!("port/program.rs");
}

#[test]
fn rustix_program_runs_the_same_on_barecall() {
    let rustix = with_rustix::run();
    let barecall = with_barecall::run();
    assert!(
        rustix.len() > 60,
        "the program observed too little: {rustix:?}"
    );
    for (line, (theirs, ours)) in rustix.iter().zip(&barecall).enumerate() {
        assert_eq!(theirs, ours, "observation {line} differs");
    }
    assert_eq!(rustix.len(), barecall.len());
}
