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
    Target {
        triple: "aarch64-unknown-linux-gnu",
        mode: "A64",
        kind: Kind::QemuUser,
        qemu: Some("qemu-aarch64"),
        commands: &["qemu-aarch64", "aarch64-linux-gnu-gcc"],
        sysroot_file: Some("/usr/aarch64-linux-gnu/lib/libc.so.6"),
        packages: &[
            "qemu-user",
            "gcc-aarch64-linux-gnu",
            "libc6-dev-arm64-cross",
        ],
    },
    Target {
        triple: "riscv64gc-unknown-linux-gnu",
        mode: "RV64GC",
        kind: Kind::QemuUser,
        qemu: Some("qemu-riscv64"),
        commands: &["qemu-riscv64", "riscv64-linux-gnu-gcc"],
        sysroot_file: Some("/usr/riscv64-linux-gnu/lib/libc.so.6"),
        packages: &[
            "qemu-user",
            "gcc-riscv64-linux-gnu",
            "libc6-dev-riscv64-cross",
        ],
    },
    Target {
        triple: "armv7-unknown-linux-gnueabihf",
        mode: "A32",
        kind: Kind::QemuUser,
        qemu: Some("qemu-arm"),
        commands: &["qemu-arm", "arm-linux-gnueabihf-gcc"],
        sysroot_file: Some("/usr/arm-linux-gnueabihf/lib/libc.so.6"),
        packages: &[
            "qemu-user",
            "gcc-arm-linux-gnueabihf",
            "libc6-dev-armhf-cross",
        ],
    },
    Target {
        triple: "thumbv7neon-unknown-linux-gnueabihf",
        mode: "Thumb-2",
        kind: Kind::QemuUser,
        qemu: Some("qemu-arm"),
        commands: &["qemu-arm", "arm-linux-gnueabihf-gcc"],
        sysroot_file: Some("/usr/arm-linux-gnueabihf/lib/libc.so.6"),
        packages: &[
            "qemu-user",
            "gcc-arm-linux-gnueabihf",
            "libc6-dev-armhf-cross",
        ],
    },
    bare_metal("x86_64-unknown-none"),
    bare_metal("aarch64-unknown-none"),
    bare_metal("riscv64gc-unknown-none-elf"),
    bare_metal("armv7a-none-eabi"),
    bare_metal("thumbv7em-none-eabihf"),
];

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
