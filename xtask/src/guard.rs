//! The target guard (`src/lib.rs`'s `compile_error!`), checked against rustc's own description
//! of targets: every tested target must pass it, and targets the `arch/` files are wrong for
//! (big-endian arm, 32-bit-pointer ABIs of 64-bit architectures) must be refused.
//!
//! Building for the refused targets would need their `core`, which rustup does not offer for
//! most of them, so the guard's condition is read out of `src/lib.rs` and evaluated against
//! `rustc --print cfg --target T`, which knows every built-in target.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Targets whose ABI an `arch/` file would get wrong without failing to compile.
const REFUSED: &[&str] = &[
    "armebv7r-none-eabi",
    "armeb-unknown-linux-gnueabi",
    "x86_64-unknown-linux-gnux32",
    "aarch64-unknown-linux-gnu_ilp32",
    "aarch64_be-unknown-linux-gnu",
    "aarch64_be-unknown-linux-gnu_ilp32",
    "i686-unknown-linux-gnu",
    "x86_64-apple-darwin",
];

/// Checks the guard against every tested target and every refused one; returns a summary line.
pub fn check(root: &Path) -> Result<String, String> {
    let lib =
        std::fs::read_to_string(root.join("src/lib.rs")).map_err(|e| format!("src/lib.rs: {e}"))?;
    let condition = guard_condition(&lib)?;
    let mut problems = Vec::new();
    let tested = crate::targets::TARGETS.iter().map(|t| t.triple);
    for triple in tested.clone() {
        if refuses(&condition, &target_cfg(triple)?)? {
            problems.push(format!("refuses {triple}, a tested target"));
        }
    }
    for triple in REFUSED {
        if !refuses(&condition, &target_cfg(triple)?)? {
            problems.push(format!("lets {triple} through"));
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "target guard: admits the {} tested targets, refuses {}",
            tested.count(),
            REFUSED.join(", ")
        ))
    } else {
        Err(format!("the target guard {}", problems.join("; ")))
    }
}

/// The guard's `cfg(...)` predicate: the one on the item that is the `compile_error!`.
fn guard_condition(lib: &str) -> Result<String, String> {
    let error_at = lib
        .find("\ncompile_error!(")
        .ok_or("src/lib.rs has no compile_error! guard")?;
    let cfg_at = lib[..error_at]
        .rfind("#[cfg(")
        .ok_or("the compile_error! guard has no #[cfg]")?;
    let attribute = &lib[cfg_at + "#[cfg(".len()..error_at];
    let end = attribute
        .rfind(")]")
        .ok_or("the guard's #[cfg] does not end")?;
    Ok(attribute[..end].to_owned())
}

/// `rustc --print cfg` for `triple`: lines such as `target_arch="arm"` and `unix`.
fn target_cfg(triple: &str) -> Result<BTreeSet<String>, String> {
    let cfg = crate::setup::run_output(
        Command::new("rustc").args(["--print", "cfg", "--target", triple]),
    )?;
    Ok(cfg.lines().map(str::to_owned).collect())
}

/// Whether the guard fires (its condition holds) for a target with `cfg`.
fn refuses(condition: &str, cfg: &BTreeSet<String>) -> Result<bool, String> {
    let tokens = tokenize(condition)?;
    let mut at = 0;
    let value = eval(&tokens, &mut at, cfg)?;
    if at != tokens.len() {
        return Err(format!("the guard's cfg has trailing tokens: {condition}"));
    }
    Ok(value)
}

#[derive(Debug, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Punct(char),
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | ',' | '=' => {
                tokens.push(Token::Punct(c));
                chars.next();
            }
            '"' => {
                chars.next();
                let value: String = chars.by_ref().take_while(|&c| c != '"').collect();
                tokens.push(Token::Str(value));
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut ident = String::new();
                while let Some(&c) = chars.peek().filter(|c| c.is_alphanumeric() || **c == '_') {
                    ident.push(c);
                    chars.next();
                }
                tokens.push(Token::Ident(ident));
            }
            other => return Err(format!("unexpected {other:?} in the guard's cfg")),
        }
    }
    Ok(tokens)
}

/// Evaluates the predicate at `tokens[*at..]`: `name`, `name = "value"`, `all(..)`, `any(..)`,
/// `not(..)`.
fn eval(tokens: &[Token], at: &mut usize, cfg: &BTreeSet<String>) -> Result<bool, String> {
    let Some(Token::Ident(name)) = tokens.get(*at) else {
        return Err(format!("expected a cfg name at token {at}"));
    };
    *at += 1;
    match tokens.get(*at) {
        Some(Token::Punct('=')) => {
            let Some(Token::Str(value)) = tokens.get(*at + 1) else {
                return Err(format!("expected a string after {name} ="));
            };
            *at += 2;
            Ok(cfg.contains(&format!("{name}=\"{value}\"")))
        }
        Some(Token::Punct('(')) => {
            *at += 1;
            let mut values = Vec::new();
            while tokens.get(*at) != Some(&Token::Punct(')')) {
                values.push(eval(tokens, at, cfg)?);
                if tokens.get(*at) == Some(&Token::Punct(',')) {
                    *at += 1;
                }
            }
            *at += 1;
            match name.as_str() {
                "all" => Ok(values.iter().all(|&v| v)),
                "any" => Ok(values.iter().any(|&v| v)),
                "not" if values.len() == 1 => Ok(!values[0]),
                other => Err(format!("unknown cfg predicate {other}")),
            }
        }
        _ => Ok(cfg.contains(name.as_str())),
    }
}
