//! The freestanding examples' checks (`freestanding::check`) for the host, as a test that
//! `cargo test --package xtask` runs: the examples exercise `rt`, `panic-handler` and `mem`,
//! which no test of the library itself compiles, so this is what lets a mutation of them be
//! caught (`cargo xtask mutants` runs it for those files). `qemu-test` runs the same checks
//! on every Linux target.

use crate::freestanding;
use crate::targets::TARGETS;

#[test]
fn the_examples_pass_their_checks_natively() {
    let root = crate::workspace_root();
    let host = TARGETS
        .iter()
        .find(|target| target.is_host())
        .expect("the host is a target");
    let scratch = root.join("target/xtask-examples-test");
    std::fs::create_dir_all(&scratch).expect("scratch directory");
    let report = freestanding::check(&root, &scratch, host);
    assert!(
        report.problems.is_empty(),
        "{} checks passed; problems:\n{}",
        report.checks_passed,
        report.problems.join("\n")
    );
    assert!(
        report.checks_passed >= 20,
        "only {} checks ran",
        report.checks_passed
    );
}

#[test]
fn readme_carries_the_recipes_word_for_word() {
    let root = crate::workspace_root();
    freestanding::check_readme_recipe(&root).expect("README's recipes match examples/");
}
