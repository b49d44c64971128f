//! Tells `arch/arm.rs` whether it is compiled as Thumb code, where r7 is the frame pointer.
//!
//! `target_feature = "thumb-mode"` is not visible to `cfg` on stable Rust, so the target name
//! (`thumbv7neon-*`, `thumbv7em-*`) and an explicit `-C target-feature=+thumb-mode` decide.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(barecall_thumb)");
    println!("cargo::rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    let target = std::env::var("TARGET").unwrap_or_default();
    let rustflags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if target.starts_with("thumb") || rustflags.contains("+thumb-mode") {
        println!("cargo::rustc-cfg=barecall_thumb");
    }
}
