//! Tells `arch/arm.rs` whether it is compiled as Thumb code, where r7 is the frame pointer.
//!
//! `target_feature = "thumb-mode"` is not visible to `cfg` on stable Rust, so the target name
//! (`thumbv7neon-*`, `thumbv7em-*`) decides, unless the rustflags turn the feature on or off
//! (`-C target-feature=+thumb-mode` or `-thumb-mode`; the last one counts, as with rustc).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(barecall_thumb)");
    println!("cargo::rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    let target = std::env::var("TARGET").unwrap_or_default();
    let rustflags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let last_setting = rustflags
        .match_indices("thumb-mode")
        .filter_map(|(at, _)| rustflags[..at].chars().next_back())
        .filter(|sign| matches!(sign, '+' | '-'))
        .last();
    let thumb = match last_setting {
        Some(sign) => sign == '+',
        None => target.starts_with("thumb"),
    };
    if thumb {
        println!("cargo::rustc-cfg=barecall_thumb");
    }
}
