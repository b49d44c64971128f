//! barecall promises that code written against rustix ports by changing a `use`. This test
//! holds it to that: `port/program.rs` uses every item of rustix's `io` module and every item
//! barecall offers of `fs`, `pipe`, `ioctl`, `rand`, `stdio`, `process`, `thread` and `system`,
//! and is compiled twice, under `use rustix::...` and under `use barecall::...`, with no other
//! difference. Compiling proves the names and signatures; running both and comparing what
//! they observed (values, errno numbers, file contents, fd flags) proves the behaviour.

mod with_rustix {
    use rustix::{buffer, fs, io, ioctl, pipe, process, rand, stdio, system, thread};
    include!("port/program.rs");
}

mod with_barecall {
    use barecall::{buffer, fs, io, ioctl, pipe, process, rand, stdio, system, thread};
    include!("port/program.rs");
}

/// Where barecall differs from rustix on purpose: rustix's observation, barecall's, and why.
const DIFFERENCES: &[(&str, &str, &str)] =
    if cfg!(any(target_arch = "aarch64", target_arch = "riscv64")) {
        &[DUP2_ONTO_ITSELF, FADVISE_PAST_I64]
    } else {
        &[FADVISE_PAST_I64]
    };

/// aarch64 and riscv64 have no `dup2` system call. rustix makes `dup2` a plain `dup3` there,
/// which refuses `fd == new` with `EINVAL`, so its `dup2` means different things on different
/// architectures; barecall's `dup2` is POSIX `dup2` everywhere (`fd == new` is `Ok` if `fd` is
/// open), as on x86_64 and arm where the kernel has `dup2`.
const DUP2_ONTO_ITSELF: (&str, &str, &str) = (
    "dup2 onto itself: errno 22",
    "dup2 onto itself: ok ()",
    "rustix's dup2 is dup3 here, which refuses fd == new; barecall's keeps dup2's meaning",
);

/// `fadvise` at an offset of 2^63 or more: rustix passes the `u64` on, which the kernel reads
/// as a negative `loff_t` and accepts; barecall refuses offsets that do not fit the kernel's
/// type with `EINVAL`, as it does for every offset (its docs say so).
const FADVISE_PAST_I64: (&str, &str, &str) = (
    "fadvise offset 2^63: ok ()",
    "fadvise offset 2^63: errno 22",
    "barecall refuses an offset past i64::MAX; rustix passes it on as a negative loff_t",
);

#[test]
fn rustix_program_runs_the_same_on_barecall() {
    let rustix = with_rustix::run();
    let barecall = with_barecall::run();
    assert!(
        rustix.len() > 450,
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
