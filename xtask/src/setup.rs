//! Installing what the targets need: rustup targets always, Debian packages when allowed.

use crate::targets::Target;
use std::path::Path;
use std::process::Command;

/// Whether `command` is on PATH.
pub fn have_command(command: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(command).is_file()))
}

/// The rustup targets installed for the active toolchain.
pub fn installed_rust_targets() -> Result<Vec<String>, String> {
    let output = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    if !output.status.success() {
        return Err("`rustup target list --installed` failed".into());
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// The Debian packages `target` still needs.
pub fn missing_packages(target: &Target) -> Vec<&'static str> {
    let ready = target.commands.iter().all(|c| have_command(c))
        && target.sysroot_file.is_none_or(|f| Path::new(f).exists());
    if ready {
        Vec::new()
    } else {
        target.packages.to_vec()
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// A cargo command in `dir`: the cargo that runs the xtask, so `+toolchain` choices hold.
pub fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(dir);
    command
}

/// Runs `command` and returns its standard output; fails (with its stderr) unless it succeeds.
pub fn run_output(command: &mut Command) -> Result<String, String> {
    let output = command
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed with {}:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Runs `command`, letting its output through; fails unless it succeeds.
pub fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed with {status}"))
    }
}

/// Adds missing rustup targets and installs missing Debian packages (as root or with
/// `install`); otherwise names the one command to run and fails before anything is built.
pub fn ensure(targets: &[&Target], install: bool) -> Result<(), String> {
    let installed = installed_rust_targets()?;
    let missing_targets: Vec<&str> = targets
        .iter()
        .map(|t| t.triple)
        .filter(|triple| !installed.iter().any(|i| i == triple))
        .collect();
    if !missing_targets.is_empty() {
        println!("setup: rustup target add {}", missing_targets.join(" "));
        run(Command::new("rustup")
            .args(["target", "add"])
            .args(&missing_targets))?;
    }

    let packages: Vec<&str> = targets.iter().flat_map(|t| missing_packages(t)).collect();
    install_packages(&packages, install)
}

/// Installs Debian `packages` (none if empty) as root, or with `install` through sudo;
/// otherwise names the one command to run and fails.
pub fn install_packages(packages: &[&str], install: bool) -> Result<(), String> {
    let mut packages = packages.to_vec();
    packages.sort_unstable();
    packages.dedup();
    if packages.is_empty() {
        return Ok(());
    }
    let apt = format!(
        "apt-get update && apt-get install -y --no-install-recommends {}",
        packages.join(" ")
    );
    if !(install || is_root()) {
        return Err(format!(
            "missing Debian packages; run as root:\n    {apt}\nor rerun with --install (uses sudo)"
        ));
    }
    println!("setup: {apt}");
    let sudo = if is_root() { None } else { Some("sudo") };
    let apt_get = |args: &[&str]| {
        let mut command = Command::new(sudo.unwrap_or("apt-get"));
        if sudo.is_some() {
            command.arg("apt-get");
        }
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut apt_get(&["-qq", "update"]))?;
    let mut install_args = vec!["-qq", "install", "-y", "--no-install-recommends"];
    install_args.extend(&packages);
    run(&mut apt_get(&install_args))
}
