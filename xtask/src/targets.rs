//! The targets barecall is tested on, and what each needs.

/// How a target's tests are run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Tests run on this machine's kernel.
    Native,
    /// Tests run under qemu-user (`runner` in `.cargo/config.toml`).
    QemuUser,
    /// No OS to run on: the library is built, without and with `alloc`.
    BareMetal,
}

pub struct Target {
    pub triple: &'static str,
    /// What the table's "mode" column says.
    pub mode: &'static str,
    pub kind: Kind,
    /// The qemu-user that runs its binaries, if it is not the host.
    pub qemu: Option<&'static str>,
    /// Commands that must be on PATH (qemu, the cross linker).
    pub commands: &'static [&'static str],
    /// A file of the cross C library (the linker and qemu's `-L` need it).
    pub sysroot_file: Option<&'static str>,
    /// The Debian packages that provide `commands` and `sysroot_file`.
    pub packages: &'static [&'static str],
}

/// The test sets every Linux target runs, as the cargo arguments that select them; `qemu-test`
/// runs them (`cargo test`), `vm-test` builds them (`cargo test --no-run`) for the real kernels.
pub const TEST_SETS: &[&[&str]] = &[
    // Unit, integration and doc tests with the default features (std).
    &["--package", "barecall"],
    // The library's own no_std fd and IoSlice types, which std builds replace.
    &["--package", "barecall", "--lib", "--no-default-features"],
    // One program written against rustix's io, run on rustix and on barecall.
    &["--package", "barecall-compat"],
];

/// The doctests every Linux target runs (`cargo test --doc`, which builds and runs them in one
/// command): the name they are reported under, and the cargo arguments.
pub const DOC_TEST_SETS: &[(&str, &[&str])] = &[("barecall-doctests", &["--package", "barecall"])];

pub const TARGETS: &[Target] = &[
    Target {
        triple: "x86_64-unknown-linux-gnu",
        mode: "native",
        kind: Kind::Native,
        qemu: None,
        commands: &[],
        sysroot_file: None,
        packages: &[],
    },
    qemu_user(
        "aarch64-unknown-linux-gnu",
        "A64",
        &["qemu-aarch64", "aarch64-linux-gnu-gcc"],
        "/usr/aarch64-linux-gnu/lib/libc.so.6",
        &[
            "qemu-user",
            "gcc-aarch64-linux-gnu",
            "libc6-dev-arm64-cross",
        ],
    ),
    qemu_user(
        "riscv64gc-unknown-linux-gnu",
        "RV64GC",
        &["qemu-riscv64", "riscv64-linux-gnu-gcc"],
        "/usr/riscv64-linux-gnu/lib/libc.so.6",
        &[
            "qemu-user",
            "gcc-riscv64-linux-gnu",
            "libc6-dev-riscv64-cross",
        ],
    ),
    qemu_user(
        "armv7-unknown-linux-gnueabihf",
        "A32",
        ARM_COMMANDS,
        ARM_SYSROOT_FILE,
        ARM_PACKAGES,
    ),
    qemu_user(
        "thumbv7neon-unknown-linux-gnueabihf",
        "Thumb-2",
        ARM_COMMANDS,
        ARM_SYSROOT_FILE,
        ARM_PACKAGES,
    ),
    bare_metal("x86_64-unknown-none"),
    bare_metal("aarch64-unknown-none"),
    bare_metal("riscv64gc-unknown-none-elf"),
    bare_metal("armv7a-none-eabi"),
    bare_metal("thumbv7em-none-eabihf"),
];

/// A32 and Thumb-2 share qemu, toolchain and C library.
const ARM_COMMANDS: &[&str] = &["qemu-arm", "arm-linux-gnueabihf-gcc"];
const ARM_SYSROOT_FILE: &str = "/usr/arm-linux-gnueabihf/lib/libc.so.6";
const ARM_PACKAGES: &[&str] = &[
    "qemu-user",
    "gcc-arm-linux-gnueabihf",
    "libc6-dev-armhf-cross",
];

/// A Linux target run under qemu-user: `commands[0]` is its qemu, `commands[1]` its linker.
const fn qemu_user(
    triple: &'static str,
    mode: &'static str,
    commands: &'static [&'static str],
    sysroot_file: &'static str,
    packages: &'static [&'static str],
) -> Target {
    Target {
        triple,
        mode,
        kind: Kind::QemuUser,
        qemu: Some(commands[0]),
        commands,
        sysroot_file: Some(sysroot_file),
        packages,
    }
}

const fn bare_metal(triple: &'static str) -> Target {
    Target {
        triple,
        mode: "bare metal",
        kind: Kind::BareMetal,
        qemu: None,
        commands: &[],
        sysroot_file: None,
        packages: &[],
    }
}

impl Target {
    /// Whether this is the machine's own target.
    pub fn is_host(&self) -> bool {
        self.kind == Kind::Native
    }

    /// qemu's `-L`, the cross C library's root: `/usr/aarch64-linux-gnu` for
    /// `/usr/aarch64-linux-gnu/lib/libc.so.6`, as `.cargo/config.toml`'s runners say.
    pub fn qemu_sysroot(&self) -> Option<&'static str> {
        let file = self.sysroot_file?;
        let lib = &file[..file.rfind('/')?];
        Some(&lib[..lib.rfind('/')?])
    }
}

/// The targets named by `--target` (all when none is), in table order.
pub fn select(names: &[String]) -> Result<Vec<&'static Target>, String> {
    if let Some(unknown) = names
        .iter()
        .find(|name| !TARGETS.iter().any(|t| t.triple == name.as_str()))
    {
        let known: Vec<_> = TARGETS.iter().map(|t| t.triple).collect();
        return Err(format!(
            "unknown target {unknown}; known: {}",
            known.join(", ")
        ));
    }
    Ok(TARGETS
        .iter()
        .filter(|t| names.is_empty() || names.iter().any(|n| n == t.triple))
        .collect())
}
