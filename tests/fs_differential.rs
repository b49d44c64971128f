//! Differential tests: barecall's `fs` functions (and `io`'s reads and writes on files) against
//! the target's libc, as `tests/differential.rs` does for `io`.
//!
//! Two "worlds" hold twin trees: two scratch directories whose paths have the same length
//! (`barecall-fs-differential-<pid>-<n>-b` and `-l`), each with an fd to its root and fd slots.
//! Each operation runs in the barecall world through barecall and in the libc world through
//! libc. Relative paths go from a directory fd of the world's own (its root, or a slot), and
//! absolute paths (those of the non-`at` forms, and of the `*at` forms from `CWD`) start with the
//! world's root, so nothing uses the working directory the worlds share. After each operation
//! the return value and errno are compared, with what the call hands back (bytes read, the
//! `stat` and `statx` fields, directory listings as sets of names and file types, symlink
//! targets, offsets), and then the state of both worlds, read through libc: every entry of the
//! tree (its name, the file type its directory lists, and its file type, mode, size, nlink, uid
//! and gid, a symlink's target; after an operation that may write, a regular file's whole
//! contents as a hash), and every slot (`F_GETFD`, `F_GETFL`, offset, the same `fstat` fields,
//! the contents of its file).
//!
//! inode numbers, devices and times differ between the trees, so they are not compared across
//! the worlds. Instead every `Stat` and `Statx` that barecall returns is compared, every field
//! of it, with libc's `statx` of the same file just after, in the same world (a `Stat` time is
//! compared where it is below 2^31 on 32-bit targets, where the kernel's `stat64` has 32-bit
//! times); and the times that `utimensat` and `futimens` set explicitly (not `UTIME_NOW` or
//! `UTIME_OMIT`) are read back through libc and compared across the worlds.
//!
//! `random_sequences_match_libc` runs seeded random sequences of `openat`/`open` (with mixes of
//! `O_CREAT`, `O_EXCL`, `O_TRUNC`, `O_APPEND`, `O_DIRECTORY`, `O_NOFOLLOW`, `O_PATH`,
//! `O_TMPFILE`, access modes, unknown bits and random modes), `close`, `read`, `pread`, `write`,
//! `pwrite`, `seek`, `tell`, `ftruncate` (past 4 GiB, sparse), `fallocate`, `fsync`,
//! `fdatasync`, `fstat`, `statat`, `stat`, `lstat`, `statx`, `mkdirat`, `mkdir`, `unlinkat`,
//! `rmdir`, `renameat`, `renameat_with`, `rename`, `symlinkat`, `readlinkat`, `linkat`,
//! `accessat`, `access`, `chmodat`, `fchmod`, `fchown` (to the process's own ids, and root's),
//! `utimensat`, `futimens`, `fcntl_getfl`, `fcntl_setfl`, `Dir` listings, `memfd_create` and
//! `copy_file_range`, invalid input included: fds that were closed or never opened, fds of the
//! wrong kind (a directory to read or write, a file as a directory fd), names that do not
//! exist, names of 256 bytes, paths of `PATH_MAX` bytes and more, unknown flag bits, and paths
//! with an interior NUL. libc cannot express such a path: there barecall's answer is compared
//! with `EINVAL`, which barecall documents and returns before any system call.
//! `invalid_input_matches_libc` runs fixed cases of the same kinds, with barecall's expected
//! answers.
//!
//! The seed is printed (`barecall-fs-differential-seed:`); `BARECALL_SEED=<seed>` repeats a
//! run. A mismatch is shrunk by dropping operations while it still fails, and the shortest
//! failing sequence is printed. It compares at least 10,000 operations natively and 2,000 under
//! qemu-user, or `BARECALL_FS_DIFFERENTIAL_OPS`; the count is the last line on stderr,
//! `barecall-fs-differential-ops: N`, and `--nocapture` shows it per function.
//!
//! No path leaves a world's tree: names never start with `..`, symlink targets are relative
//! and have no `..`, and the absolute forms never name the root itself.
//!
//! Where barecall (as rustix) and glibc differ on purpose, libc's side is made to say what
//! barecall documents, and the function that does it says what differs and why:
//! [`libc_chmodat`] (`AT_SYMLINK_NOFOLLOW`), [`libc_dir_read_from`] (`Dir::read_from` opens `.`
//! with the fd's own flags), [`lc_futimens`] (glibc refuses a negative fd before the call);
//! [`lc_stat`] is why libc's `stat` is `statx` on 32-bit targets. When a path is `PATH_MAX`
//! bytes or longer, [`too_long_args`] keeps the other arguments valid, because barecall refuses
//! such a path before the call (`NAMETOOLONG`) and the kernel checks some arguments before the
//! path. `accessat` never gets `AT_EMPTY_PATH`, which rustix's refuses and the kernel takes.

mod common;

use barecall::fs::{
    self, Access, AtFlags, Dir, FallocateFlags, FileType, Gid, MemfdFlags, Mode, OFlags,
    RenameFlags, SeekFrom, StatxFlags, Timespec, Timestamps, Uid,
};
use barecall::io;
use libc::c_int;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{CStr, CString};
use std::fmt::Write as _;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Operations compared per run, natively and under qemu-user.
const OPS_NATIVE: usize = 10_000;
const OPS_QEMU: usize = 2_000;
/// Random operations per episode, after the fixed start; each episode starts from fresh worlds.
const EPISODE_LEN: usize = 60;
/// fd slots per world.
const SLOTS: usize = 6;
/// What read buffers hold before the call.
const FILL: u8 = 0xA5;
const FIVE_GIB: u64 = 5 << 30;
/// fd numbers that are never open here. Not `-1` (std's `BorrowedFd` cannot hold it), and not
/// `AT_FDCWD` (-100): as a directory fd that is the working directory, shared by both worlds.
const NOT_OPEN: [RawFd; 6] = [-2, i32::MIN, 900, 1000, 4096, i32::MAX];
/// The kernel's `UTIME_NOW` and `UTIME_OMIT` (`tv_nsec` values), as `i64`.
const UTIME_NOW: i64 = (1 << 30) - 1;
const UTIME_OMIT: i64 = (1 << 30) - 2;
/// `PATH_MAX`: paths this long or longer (the NUL not counted) are `ENAMETOOLONG`.
const PATH_MAX: usize = libc::PATH_MAX as usize;

// ---- Random numbers --------------------------------------------------------------------------

/// splitmix64: small, fast, and good enough to pick operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// The seed of this run: `BARECALL_SEED` (decimal or `0x` hex), else the clock and the pid.
fn run_seed() -> u64 {
    if let Ok(text) = std::env::var("BARECALL_SEED") {
        let text = text.trim();
        let parsed = match text.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => text.parse(),
        };
        return parsed.unwrap_or_else(|_| panic!("BARECALL_SEED={text:?} is not a u64"));
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    Rng(nanos ^ (u64::from(std::process::id()) << 32)).next()
}

// ---- Paths -----------------------------------------------------------------------------------

/// Names in the trees, more than once for the likelier ones. None starts with `..`, so none
/// leaves the tree from any of its directories; `.` and `d/..` name the directory itself.
const NAMES: &[&str] = &[
    "a",
    "a",
    "a",
    "b",
    "b",
    "c",
    "d",
    "d",
    "d",
    "e",
    "d/x",
    "d/x",
    "d/y",
    "d/e",
    "e/f",
    "e/f/z",
    "s",
    "s",
    "d/s",
    "t",
    "h",
    "d/h",
    "a/x",
    "s/x",
    ".",
    "d/..",
    "nonexistent/a",
    "a/",
    "d/",
    "s/",
    "",
];

/// Symlink targets: relative and without `..`, so that no symlink points out of the tree
/// wherever it is moved to.
const TARGETS: &[&str] = &["a", "a", "d", "d/x", "x", "nonexistent", "s", "e/f", "b/"];

/// A path (or a symlink target, or a memfd name).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Path {
    /// One of [`NAMES`] or [`TARGETS`].
    Name(&'static str),
    /// One component of this many bytes: 255 is the longest name, 256 is `ENAMETOOLONG`.
    Component(usize),
    /// `./` repeated, then `a`, this many bytes long, the root's path included in the absolute
    /// forms: `PATH_MAX` - 1 bytes is the longest path the kernel takes.
    Long(usize),
    /// Bytes with a NUL inside: `EINVAL` from barecall, before any system call.
    Nul(&'static str),
}

/// The `path::Arg` form a path is passed to barecall in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Str,
    Bytes,
    CStr,
}

/// A path, and the form barecall gets it in.
#[derive(Clone, Copy, PartialEq, Eq)]
struct PathArg {
    path: Path,
    form: Form,
}

impl std::fmt::Debug for PathArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let form = match self.form {
            Form::Str => "",
            Form::Bytes => "b",
            Form::CStr => "c",
        };
        match self.path {
            Path::Name(name) => write!(f, "{form}{name:?}"),
            Path::Component(len) => write!(f, "{form}\"n\" * {len}"),
            Path::Long(len) => write!(f, "{form}\"././...a\" ({len} bytes)"),
            Path::Nul(bytes) => write!(f, "{form}{bytes:?}"),
        }
    }
}

impl PathArg {
    fn name(name: &'static str) -> Self {
        PathArg {
            path: Path::Name(name),
            form: Form::Str,
        }
    }

    /// The bytes of this path; absolute ones start with `root` and a `/`.
    fn bytes(&self, root: Option<&[u8]>) -> Vec<u8> {
        let mut out = Vec::new();
        if let Some(root) = root {
            out.extend_from_slice(root);
            out.push(b'/');
        }
        match self.path {
            Path::Name(name) | Path::Nul(name) => out.extend_from_slice(name.as_bytes()),
            Path::Component(len) => out.resize(out.len() + len, b'n'),
            Path::Long(len) => {
                while out.len() + 3 <= len {
                    out.extend_from_slice(b"./");
                }
                if out.len() + 2 == len {
                    out.push(b'/');
                }
                out.push(b'a');
                assert_eq!(out.len(), len);
            }
        }
        out
    }

    /// Whether barecall refuses this path before the call (`PATH_MAX` bytes or more).
    fn too_long(&self) -> bool {
        matches!(self.path, Path::Long(len) if len >= PATH_MAX)
    }

    fn special(&self) -> bool {
        matches!(self.path, Path::Long(_) | Path::Nul(_))
    }
}

/// Passes `bytes` to `$body` as `$p` in `$arg`'s form.
macro_rules! with_path {
    ($arg:expr, $bytes:expr, |$p:ident| $body:expr) => {{
        let bytes: &[u8] = &$bytes;
        match $arg.form {
            Form::Str => {
                let $p: &str = std::str::from_utf8(bytes).expect("paths here are ASCII");
                $body
            }
            Form::Bytes => {
                let $p: &[u8] = bytes;
                $body
            }
            Form::CStr => {
                let owned = CString::new(bytes).expect("a &CStr path has no NUL inside");
                let $p: &CStr = &owned;
                $body
            }
        }
    }};
}

// ---- Operations ------------------------------------------------------------------------------

/// The fd an fd operation works on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fd {
    /// A slot; if it is empty, a number that was just closed.
    Slot(usize),
    /// The world's root directory (opened `O_RDONLY | O_DIRECTORY`).
    Root,
    NotOpen(RawFd),
}

/// Where the path of a `*at` operation starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Base {
    Root,
    Slot(usize),
    NotOpen(RawFd),
    /// `CWD`, with the path made absolute: the world's root, `/`, the path.
    Cwd,
}

/// The ids `fchown` sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Id {
    /// `None`: unchanged.
    Keep,
    /// The process's own id.
    Own,
    Root,
    /// 4242: only root may.
    Other,
}

impl Id {
    fn raw(self, own: u32) -> Option<u32> {
        match self {
            Id::Keep => None,
            Id::Own => Some(own),
            Id::Root => Some(0),
            Id::Other => Some(4242),
        }
    }
}

/// `(seconds, nanoseconds)` for the access time and the modification time.
type Times = [(i64, i64); 2];

#[derive(Clone, Debug, PartialEq, Eq)]
enum Op {
    OpenAt {
        dir: Base,
        path: PathArg,
        flags: OFlags,
        mode: Mode,
        slot: usize,
    },
    Open {
        path: PathArg,
        flags: OFlags,
        mode: Mode,
        slot: usize,
    },
    Close(usize),
    Read {
        fd: Fd,
        len: usize,
    },
    Pread {
        fd: Fd,
        len: usize,
        offset: u64,
    },
    Write {
        fd: Fd,
        len: usize,
        seed: u32,
    },
    Pwrite {
        fd: Fd,
        len: usize,
        seed: u32,
        offset: u64,
    },
    Seek {
        fd: Fd,
        pos: SeekFrom,
    },
    Tell(Fd),
    Ftruncate {
        fd: Fd,
        len: u64,
    },
    Fallocate {
        fd: Fd,
        mode: FallocateFlags,
        offset: u64,
        len: u64,
    },
    Fsync(Fd),
    Fdatasync(Fd),
    Fstat(Fd),
    StatAt {
        dir: Base,
        path: PathArg,
        flags: AtFlags,
    },
    Stat(PathArg),
    Lstat(PathArg),
    Statx {
        dir: Base,
        path: PathArg,
        flags: AtFlags,
        mask: StatxFlags,
    },
    MkdirAt {
        dir: Base,
        path: PathArg,
        mode: Mode,
    },
    Mkdir {
        path: PathArg,
        mode: Mode,
    },
    UnlinkAt {
        dir: Base,
        path: PathArg,
        flags: AtFlags,
    },
    Rmdir(PathArg),
    RenameAt {
        old_dir: Base,
        old: PathArg,
        new_dir: Base,
        new: PathArg,
    },
    RenameAtWith {
        old_dir: Base,
        old: PathArg,
        new_dir: Base,
        new: PathArg,
        flags: RenameFlags,
    },
    Rename {
        old: PathArg,
        new: PathArg,
    },
    SymlinkAt {
        target: PathArg,
        dir: Base,
        path: PathArg,
    },
    ReadlinkAt {
        dir: Base,
        path: PathArg,
    },
    LinkAt {
        old_dir: Base,
        old: PathArg,
        new_dir: Base,
        new: PathArg,
        flags: AtFlags,
    },
    AccessAt {
        dir: Base,
        path: PathArg,
        access: Access,
        flags: AtFlags,
    },
    Access {
        path: PathArg,
        access: Access,
    },
    ChmodAt {
        dir: Base,
        path: PathArg,
        mode: Mode,
        flags: AtFlags,
    },
    Fchmod {
        fd: Fd,
        mode: Mode,
    },
    Fchown {
        fd: Fd,
        owner: Id,
        group: Id,
    },
    UtimensAt {
        dir: Base,
        path: PathArg,
        times: Times,
        flags: AtFlags,
    },
    Futimens {
        fd: Fd,
        times: Times,
    },
    GetFl(Fd),
    SetFl(Fd, OFlags),
    ReadDir(Fd),
    MemfdCreate {
        name: PathArg,
        flags: MemfdFlags,
        slot: usize,
    },
    CopyFileRange {
        fd_in: Fd,
        off_in: Option<u64>,
        fd_out: Fd,
        off_out: Option<u64>,
        len: usize,
    },
}

/// The functions compared, by the names `Op::function` gives them.
const FUNCTIONS: [&str; 40] = [
    "openat",
    "open",
    "close",
    "read",
    "pread",
    "write",
    "pwrite",
    "seek",
    "tell",
    "ftruncate",
    "fallocate",
    "fsync",
    "fdatasync",
    "fstat",
    "statat",
    "stat",
    "lstat",
    "statx",
    "mkdirat",
    "mkdir",
    "unlinkat",
    "rmdir",
    "renameat",
    "renameat_with",
    "rename",
    "symlinkat",
    "readlinkat",
    "linkat",
    "accessat",
    "access",
    "chmodat",
    "fchmod",
    "fchown",
    "utimensat",
    "futimens",
    "fcntl_getfl",
    "fcntl_setfl",
    "Dir",
    "memfd_create",
    "copy_file_range",
];

impl Op {
    /// The function this operation calls.
    fn function(&self) -> &'static str {
        match self {
            Op::OpenAt { .. } => "openat",
            Op::Open { .. } => "open",
            Op::Close(_) => "close",
            Op::Read { .. } => "read",
            Op::Pread { .. } => "pread",
            Op::Write { .. } => "write",
            Op::Pwrite { .. } => "pwrite",
            Op::Seek { .. } => "seek",
            Op::Tell(_) => "tell",
            Op::Ftruncate { .. } => "ftruncate",
            Op::Fallocate { .. } => "fallocate",
            Op::Fsync(_) => "fsync",
            Op::Fdatasync(_) => "fdatasync",
            Op::Fstat(_) => "fstat",
            Op::StatAt { .. } => "statat",
            Op::Stat(_) => "stat",
            Op::Lstat(_) => "lstat",
            Op::Statx { .. } => "statx",
            Op::MkdirAt { .. } => "mkdirat",
            Op::Mkdir { .. } => "mkdir",
            Op::UnlinkAt { .. } => "unlinkat",
            Op::Rmdir(_) => "rmdir",
            Op::RenameAt { .. } => "renameat",
            Op::RenameAtWith { .. } => "renameat_with",
            Op::Rename { .. } => "rename",
            Op::SymlinkAt { .. } => "symlinkat",
            Op::ReadlinkAt { .. } => "readlinkat",
            Op::LinkAt { .. } => "linkat",
            Op::AccessAt { .. } => "accessat",
            Op::Access { .. } => "access",
            Op::ChmodAt { .. } => "chmodat",
            Op::Fchmod { .. } => "fchmod",
            Op::Fchown { .. } => "fchown",
            Op::UtimensAt { .. } => "utimensat",
            Op::Futimens { .. } => "futimens",
            Op::GetFl(_) => "fcntl_getfl",
            Op::SetFl(..) => "fcntl_setfl",
            Op::ReadDir(_) => "Dir",
            Op::MemfdCreate { .. } => "memfd_create",
            Op::CopyFileRange { .. } => "copy_file_range",
        }
    }

    /// Whether this operation may change a file's contents: after these, every file's whole
    /// contents are compared (after the others, their sizes only).
    fn writes(&self) -> bool {
        matches!(
            self,
            Op::OpenAt { .. }
                | Op::Open { .. }
                | Op::Write { .. }
                | Op::Pwrite { .. }
                | Op::Ftruncate { .. }
                | Op::Fallocate { .. }
                | Op::RenameAt { .. }
                | Op::RenameAtWith { .. }
                | Op::Rename { .. }
                | Op::CopyFileRange { .. }
        )
    }

    /// The paths of this operation.
    fn paths(&self) -> Vec<PathArg> {
        match self {
            Op::OpenAt { path, .. }
            | Op::Open { path, .. }
            | Op::StatAt { path, .. }
            | Op::Stat(path)
            | Op::Lstat(path)
            | Op::Statx { path, .. }
            | Op::MkdirAt { path, .. }
            | Op::Mkdir { path, .. }
            | Op::UnlinkAt { path, .. }
            | Op::Rmdir(path)
            | Op::ReadlinkAt { path, .. }
            | Op::AccessAt { path, .. }
            | Op::Access { path, .. }
            | Op::ChmodAt { path, .. }
            | Op::UtimensAt { path, .. } => vec![*path],
            Op::RenameAt { old, new, .. }
            | Op::RenameAtWith { old, new, .. }
            | Op::Rename { old, new }
            | Op::LinkAt { old, new, .. } => vec![*old, *new],
            Op::SymlinkAt { target, path, .. } => vec![*target, *path],
            Op::MemfdCreate { name, .. } => vec![*name],
            _ => Vec::new(),
        }
    }
}

// ---- Random operations -----------------------------------------------------------------------

fn o(bits: c_int) -> u32 {
    bits as u32
}

fn random_form(rng: &mut Rng, path: Path) -> Form {
    match (rng.below(4), path) {
        (3, Path::Nul(_)) => Form::Bytes,
        (3, _) => Form::CStr,
        (2, _) => Form::Bytes,
        _ => Form::Str,
    }
}

/// Names likelier than others for some operations: what `open`, `mkdir`, `readlink` will
/// probably find (or not find) there.
const FILES: &[&str] = &["a", "a", "b", "b", "d/x", "d/x", "c", "d/y", "e/f/z", "t"];
const NEW: &[&str] = &["c", "t", "h", "d/y", "d/h", "e/f/z", "e/h"];
const DIRS: &[&str] = &["d", "e", "e/f", "d/e", "c"];
const LINKS: &[&str] = &["s", "d/s", "t"];

/// One of `likely` or [`NAMES`], or (rarely) a 255- or 256-byte name.
fn random_plain_path(rng: &mut Rng, likely: &[&'static str]) -> PathArg {
    let path = if rng.chance(4) {
        Path::Component(rng.pick(&[255, 256]))
    } else if rng.chance(50) {
        Path::Name(rng.pick(likely))
    } else {
        Path::Name(rng.pick(NAMES))
    };
    PathArg {
        path,
        form: random_form(rng, path),
    }
}

/// A path, sometimes about `PATH_MAX` long or with a NUL inside.
fn random_path(rng: &mut Rng, likely: &[&'static str]) -> PathArg {
    let path = match rng.below(100) {
        0..=3 => Path::Long(rng.pick(&[PATH_MAX - 2, PATH_MAX - 1, PATH_MAX, PATH_MAX + 1, 6000])),
        4..=7 => Path::Nul(rng.pick(&["a\0", "\0", "d/\0x", "a\0b"])),
        _ => return random_plain_path(rng, likely),
    };
    PathArg {
        path,
        form: random_form(rng, path),
    }
}

/// Two paths, at most one of them about `PATH_MAX` long or with a NUL (with two, which error
/// comes first would depend on the order barecall converts them in).
fn random_two_paths(
    rng: &mut Rng,
    old: &[&'static str],
    new: &[&'static str],
) -> (PathArg, PathArg) {
    if rng.chance(50) {
        let first = random_path(rng, old);
        let second = if first.special() {
            random_plain_path(rng, new)
        } else {
            random_path(rng, new)
        };
        (first, second)
    } else {
        let second = random_path(rng, new);
        let first = if second.special() {
            random_plain_path(rng, old)
        } else {
            random_path(rng, old)
        };
        (first, second)
    }
}

fn random_target(rng: &mut Rng) -> PathArg {
    let path = match rng.below(100) {
        0..=3 => Path::Long(rng.pick(&[PATH_MAX - 1, PATH_MAX])),
        4..=7 => Path::Nul(rng.pick(&["a\0", "a\0b"])),
        8..=10 => Path::Name(""),
        _ => Path::Name(rng.pick(TARGETS)),
    };
    PathArg {
        path,
        form: random_form(rng, path),
    }
}

/// An fd: slot 0 (at first `a`, read-write) most often.
/// The slot a new fd goes to: seldom 0 or 1, which the start fills with a file and a
/// directory for the others to work on.
fn random_new_slot(rng: &mut Rng) -> usize {
    if rng.chance(80) {
        2 + rng.below(SLOTS - 2)
    } else {
        rng.below(2)
    }
}

/// A directory fd most often: the root or slot 1 (at first `d`).
fn random_dir_fd(rng: &mut Rng) -> Fd {
    match rng.below(10) {
        0..=3 => Fd::Root,
        4..=6 => Fd::Slot(1),
        _ => random_fd(rng),
    }
}

fn random_fd(rng: &mut Rng) -> Fd {
    match rng.below(100) {
        0..=29 => Fd::Slot(0),
        30..=54 => Fd::Slot(rng.below(3)),
        55..=79 => Fd::Slot(rng.below(SLOTS)),
        80..=89 => Fd::Root,
        _ => Fd::NotOpen(rng.pick(&NOT_OPEN)),
    }
}

/// A base: the root most often, then slot 1 (at first the directory `d`).
fn random_base(rng: &mut Rng) -> Base {
    match rng.below(100) {
        0..=54 => Base::Root,
        55..=69 => Base::Cwd,
        70..=84 => Base::Slot(1),
        85..=94 => Base::Slot(rng.below(SLOTS)),
        _ => Base::NotOpen(rng.pick(&NOT_OPEN)),
    }
}

/// A base for `path`: not `CWD` with the empty name, whose absolute form would be the root.
fn base_for(rng: &mut Rng, path: &PathArg) -> Base {
    match random_base(rng) {
        Base::Cwd if path.path == Path::Name("") => Base::Root,
        base => base,
    }
}

/// The bases of two paths: most often the same one.
fn two_bases(rng: &mut Rng, old: &PathArg, new: &PathArg) -> (Base, Base) {
    let old_dir = base_for(rng, old);
    let same = match old_dir {
        Base::Cwd if new.path == Path::Name("") => false,
        _ => rng.chance(60),
    };
    (old_dir, if same { old_dir } else { base_for(rng, new) })
}

fn random_oflags(rng: &mut Rng) -> OFlags {
    let mut bits = o(rng.pick(&[
        libc::O_RDONLY,
        libc::O_RDONLY,
        libc::O_WRONLY,
        libc::O_RDWR,
        libc::O_RDWR,
        libc::O_ACCMODE,
    ]));
    let optional = [
        (libc::O_CREAT, 35),
        (libc::O_EXCL, 15),
        (libc::O_TRUNC, 12),
        (libc::O_APPEND, 15),
        (libc::O_DIRECTORY, 15),
        (libc::O_NOFOLLOW, 15),
        (libc::O_CLOEXEC, 50),
        (libc::O_NONBLOCK, 8),
        (libc::O_PATH, 8),
        (libc::O_TMPFILE, 4),
        (libc::O_DIRECT, 2),
        (libc::O_NOATIME, 3),
        (libc::O_SYNC, 3),
        (1 << 30, 2),
    ];
    for (bit, percent) in optional {
        if rng.chance(percent) {
            bits |= o(bit);
        }
    }
    OFlags::from_bits_retain(bits)
}

fn random_mode(rng: &mut Rng) -> Mode {
    Mode::from_bits_retain(rng.pick(&[
        0o644,
        0o644,
        0o600,
        0o755,
        0o777,
        0o000,
        0o4755,
        0o2711,
        0o1777,
        0o7777,
        u32::MAX,
    ]))
}

fn random_len(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..=9 => 0,
        10..=19 => 1,
        20..=49 => rng.below(64),
        50..=84 => rng.below(700),
        85..=94 => 4096,
        _ => 70_000,
    }
}

fn random_offset(rng: &mut Rng) -> u64 {
    if rng.chance(60) {
        rng.below(400) as u64
    } else {
        rng.pick(&[
            0,
            4096,
            70_000,
            FIVE_GIB,
            i64::MAX as u64,
            1 << 63,
            u64::MAX,
        ])
    }
}

/// A seek; offsets stay below 2^63 (`tests/differential.rs` covers those).
fn random_seek(rng: &mut Rng) -> SeekFrom {
    let delta = |rng: &mut Rng| -> i64 {
        if rng.chance(60) {
            rng.below(700) as i64 - 300
        } else {
            rng.pick(&[0, -1, 4096, FIVE_GIB as i64, -(FIVE_GIB as i64), i64::MAX])
        }
    };
    let offset = |rng: &mut Rng| -> u64 {
        if rng.chance(70) {
            rng.below(400) as u64
        } else {
            rng.pick(&[4096, FIVE_GIB, i64::MAX as u64])
        }
    };
    match rng.below(8) {
        0..=2 => SeekFrom::Start(offset(rng)),
        3..=4 => SeekFrom::Current(delta(rng)),
        5 => SeekFrom::End(delta(rng)),
        6 => SeekFrom::Data(offset(rng)),
        _ => SeekFrom::Hole(offset(rng)),
    }
}

fn random_times(rng: &mut Rng) -> Times {
    let mut one = || {
        let sec = rng.pick(&[
            0,
            1,
            1_000_000_000,
            1_700_000_000,
            (1 << 31) - 1,
            1 << 31,
            1 << 32,
            1 << 34,
            -1,
            -1_000_000_000,
        ]);
        let any = rng.below(1_000_000_000) as i64;
        let too_big = if rng.chance(30) { 1_000_000_000 } else { 7 };
        let negative = if rng.chance(30) { -1 } else { 8 };
        let nsec = rng.pick(&[
            0,
            0,
            1,
            500_000_000,
            999_999_999,
            any,
            too_big,
            negative,
            UTIME_NOW,
            UTIME_NOW,
            UTIME_OMIT,
            UTIME_OMIT,
        ]);
        (sec, nsec)
    };
    [one(), one()]
}

fn at(bits: c_int) -> AtFlags {
    AtFlags::from_bits_retain(bits as u32)
}

/// An unknown flag bit, for the calls whose kernel side refuses it.
const UNKNOWN_AT: c_int = 0x4000_0000;

fn random_op(rng: &mut Rng) -> Op {
    let op = match rng.below(110) {
        0..=11 => {
            let path = random_path(rng, FILES);
            Op::OpenAt {
                dir: base_for(rng, &path),
                path,
                flags: random_oflags(rng),
                mode: random_mode(rng),
                slot: random_new_slot(rng),
            }
        }
        12..=14 => Op::Open {
            path: random_path(rng, FILES),
            flags: random_oflags(rng),
            mode: random_mode(rng),
            slot: random_new_slot(rng),
        },
        15..=18 => Op::Close(rng.below(SLOTS)),
        19..=23 => Op::Read {
            fd: random_fd(rng),
            len: random_len(rng),
        },
        24..=26 => Op::Pread {
            fd: random_fd(rng),
            len: random_len(rng),
            offset: random_offset(rng),
        },
        27..=32 => Op::Write {
            fd: random_fd(rng),
            len: random_len(rng),
            seed: rng.next() as u32,
        },
        33..=35 => Op::Pwrite {
            fd: random_fd(rng),
            len: random_len(rng),
            seed: rng.next() as u32,
            offset: random_offset(rng),
        },
        36..=38 => Op::Seek {
            fd: random_fd(rng),
            pos: random_seek(rng),
        },
        39 => Op::Tell(random_fd(rng)),
        40..=42 => Op::Ftruncate {
            fd: random_fd(rng),
            len: rng.pick(&[
                0,
                1,
                10,
                100,
                299,
                300,
                4096,
                70_000,
                FIVE_GIB,
                FIVE_GIB + 7,
                1 << 63,
                u64::MAX,
            ]),
        },
        43..=44 => Op::Fallocate {
            fd: random_fd(rng),
            mode: FallocateFlags::from_bits_retain(o(rng.pick(&[
                0,
                0,
                libc::FALLOC_FL_KEEP_SIZE,
                libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE,
                libc::FALLOC_FL_PUNCH_HOLE,
                libc::FALLOC_FL_ZERO_RANGE,
                libc::FALLOC_FL_COLLAPSE_RANGE,
                UNKNOWN_AT,
            ]))),
            offset: rng.pick(&[0, 0, 1, 100, 100, 4096, FIVE_GIB, 1 << 63]),
            len: rng.pick(&[0, 1, 100, 100, 4096, 4096, 70_000, 1 << 63]),
        },
        45 => Op::Fsync(random_fd(rng)),
        46 => Op::Fdatasync(random_fd(rng)),
        47..=49 => Op::Fstat(random_fd(rng)),
        50..=53 => {
            let path = random_path(rng, FILES);
            Op::StatAt {
                dir: base_for(rng, &path),
                path,
                flags: at(rng.pick(&[
                    0,
                    0,
                    libc::AT_SYMLINK_NOFOLLOW,
                    libc::AT_EMPTY_PATH,
                    libc::AT_EMPTY_PATH | libc::AT_SYMLINK_NOFOLLOW,
                    libc::AT_NO_AUTOMOUNT,
                    libc::AT_REMOVEDIR,
                    UNKNOWN_AT,
                ])),
            }
        }
        54 => Op::Stat(random_path(rng, FILES)),
        55 => Op::Lstat(random_path(rng, LINKS)),
        56..=58 => {
            let path = random_path(rng, FILES);
            Op::Statx {
                dir: base_for(rng, &path),
                path,
                flags: at(rng.pick(&[
                    0,
                    0,
                    libc::AT_SYMLINK_NOFOLLOW,
                    libc::AT_EMPTY_PATH,
                    libc::AT_STATX_FORCE_SYNC,
                    libc::AT_STATX_DONT_SYNC,
                    libc::AT_STATX_FORCE_SYNC | libc::AT_STATX_DONT_SYNC,
                    UNKNOWN_AT,
                ])),
                mask: StatxFlags::from_bits_retain(rng.pick(&[
                    libc::STATX_BASIC_STATS,
                    libc::STATX_BASIC_STATS,
                    libc::STATX_ALL,
                    libc::STATX_TYPE | libc::STATX_SIZE,
                    0,
                    libc::STATX_BTIME,
                    libc::STATX__RESERVED as u32,
                ])),
            }
        }
        59..=62 => {
            let path = random_path(rng, DIRS);
            Op::MkdirAt {
                dir: base_for(rng, &path),
                path,
                mode: random_mode(rng),
            }
        }
        63 => Op::Mkdir {
            path: random_path(rng, DIRS),
            mode: random_mode(rng),
        },
        64..=68 => {
            let flags = rng.pick(&[0, 0, 0, libc::AT_REMOVEDIR, libc::AT_REMOVEDIR, UNKNOWN_AT]);
            let path = random_path(rng, if flags == 0 { FILES } else { DIRS });
            Op::UnlinkAt {
                dir: base_for(rng, &path),
                path,
                flags: at(flags),
            }
        }
        69 => Op::Rmdir(random_path(rng, DIRS)),
        70..=72 => {
            let (old, new) = random_two_paths(rng, FILES, FILES);
            let (old_dir, new_dir) = two_bases(rng, &old, &new);
            Op::RenameAt {
                old_dir,
                old,
                new_dir,
                new,
            }
        }
        73..=75 => {
            let (old, new) = random_two_paths(rng, FILES, FILES);
            let (old_dir, new_dir) = two_bases(rng, &old, &new);
            Op::RenameAtWith {
                old_dir,
                old,
                new_dir,
                new,
                flags: RenameFlags::from_bits_retain(rng.pick(&[
                    0,
                    libc::RENAME_NOREPLACE,
                    libc::RENAME_NOREPLACE,
                    libc::RENAME_EXCHANGE,
                    libc::RENAME_EXCHANGE,
                    libc::RENAME_NOREPLACE | libc::RENAME_EXCHANGE,
                    libc::RENAME_WHITEOUT,
                    1 << 10,
                ])),
            }
        }
        76 => {
            let (old, new) = random_two_paths(rng, FILES, DIRS);
            Op::Rename { old, new }
        }
        77..=79 => {
            let target = random_target(rng);
            let path = if target.special() {
                random_plain_path(rng, LINKS)
            } else {
                random_path(rng, FILES)
            };
            Op::SymlinkAt {
                target,
                dir: base_for(rng, &path),
                path,
            }
        }
        80..=81 => {
            let path = random_path(rng, LINKS);
            Op::ReadlinkAt {
                dir: base_for(rng, &path),
                path,
            }
        }
        82..=84 => {
            let (old, new) = random_two_paths(rng, FILES, NEW);
            let (old_dir, new_dir) = two_bases(rng, &old, &new);
            Op::LinkAt {
                old_dir,
                old,
                new_dir,
                new,
                flags: at(rng.pick(&[
                    0,
                    0,
                    libc::AT_SYMLINK_FOLLOW,
                    libc::AT_EMPTY_PATH,
                    UNKNOWN_AT,
                ])),
            }
        }
        85..=86 => {
            let path = random_path(rng, FILES);
            Op::AccessAt {
                dir: base_for(rng, &path),
                path,
                access: random_access(rng),
                // Not AT_EMPTY_PATH: rustix's `accessat` refuses it, which the kernel takes.
                flags: at(rng.pick(&[
                    0,
                    0,
                    libc::AT_EACCESS,
                    libc::AT_SYMLINK_NOFOLLOW,
                    UNKNOWN_AT,
                ])),
            }
        }
        87 => Op::Access {
            path: random_path(rng, FILES),
            access: random_access(rng),
        },
        88..=89 => {
            let path = random_path(rng, FILES);
            Op::ChmodAt {
                dir: base_for(rng, &path),
                path,
                mode: random_mode(rng),
                flags: at(rng.pick(&[0, 0, 0, 0, libc::AT_SYMLINK_NOFOLLOW, UNKNOWN_AT])),
            }
        }
        90..=91 => Op::Fchmod {
            fd: random_fd(rng),
            mode: random_mode(rng),
        },
        92 => {
            let fd = random_fd(rng);
            let ids = [Id::Keep, Id::Keep, Id::Own, Id::Own, Id::Root, Id::Other];
            Op::Fchown {
                fd,
                owner: rng.pick(&ids),
                group: rng.pick(&ids),
            }
        }
        93..=95 => {
            let path = random_path(rng, FILES);
            Op::UtimensAt {
                dir: base_for(rng, &path),
                path,
                times: random_times(rng),
                flags: at(rng.pick(&[
                    0,
                    0,
                    libc::AT_SYMLINK_NOFOLLOW,
                    libc::AT_EMPTY_PATH,
                    UNKNOWN_AT,
                ])),
            }
        }
        96..=97 => Op::Futimens {
            fd: random_fd(rng),
            times: random_times(rng),
        },
        98..=99 => Op::GetFl(random_fd(rng)),
        100..=102 => Op::SetFl(
            random_fd(rng),
            OFlags::from_bits_retain(o(rng.pick(&[
                0,
                libc::O_APPEND,
                libc::O_NONBLOCK,
                libc::O_APPEND | libc::O_NONBLOCK,
                libc::O_NOATIME,
                libc::O_DIRECT,
                libc::O_RDWR | libc::O_CREAT,
                -1,
            ]))),
        ),
        103..=105 => Op::ReadDir(random_dir_fd(rng)),
        106..=107 => {
            let name = match rng.below(10) {
                0 => PathArg::name(""),
                1 => PathArg {
                    path: Path::Component(249),
                    form: Form::Str,
                },
                2 => PathArg {
                    path: Path::Component(250),
                    form: Form::Bytes,
                },
                3 => PathArg {
                    path: Path::Nul("m\0"),
                    form: Form::Str,
                },
                _ => PathArg::name("memfd"),
            };
            Op::MemfdCreate {
                name,
                flags: MemfdFlags::from_bits_retain(rng.pick(&[
                    0,
                    libc::MFD_CLOEXEC,
                    libc::MFD_ALLOW_SEALING,
                    libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING,
                    0x8000_0000,
                ])),
                slot: random_new_slot(rng),
            }
        }
        _ => {
            let mut off = || {
                if rng.chance(40) {
                    None
                } else if rng.chance(90) {
                    Some(rng.below(400) as u64)
                } else {
                    Some(rng.pick(&[4096, FIVE_GIB, 1 << 63]))
                }
            };
            let (off_in, off_out) = (off(), off());
            let fd_in = if rng.chance(50) {
                Fd::Slot(0)
            } else {
                random_fd(rng)
            };
            let fd_out = if rng.chance(50) {
                Fd::Slot(rng.below(3))
            } else {
                random_fd(rng)
            };
            Op::CopyFileRange {
                fd_in,
                off_in,
                fd_out,
                off_out,
                len: rng.pick(&[0, 1, 100, 4096, 70_000]),
            }
        }
    };
    too_long_args(not_the_root(op))
}

/// The absolute forms get `.` for the empty name, which would make the root's own path (`.`
/// is safe: the kernel refuses to remove or rename it).
fn not_the_root(op: Op) -> Op {
    let fix = |path: PathArg| match path.path {
        Path::Name("") => PathArg {
            path: Path::Name("."),
            ..path
        },
        _ => path,
    };
    match op {
        Op::Open {
            path,
            flags,
            mode,
            slot,
        } => Op::Open {
            path: fix(path),
            flags,
            mode,
            slot,
        },
        Op::Stat(path) => Op::Stat(fix(path)),
        Op::Lstat(path) => Op::Lstat(fix(path)),
        Op::Mkdir { path, mode } => Op::Mkdir {
            path: fix(path),
            mode,
        },
        Op::Rmdir(path) => Op::Rmdir(fix(path)),
        Op::Rename { old, new } => Op::Rename {
            old: fix(old),
            new: fix(new),
        },
        Op::Access { path, access } => Op::Access {
            path: fix(path),
            access,
        },
        other => other,
    }
}

fn random_access(rng: &mut Rng) -> Access {
    Access::from_bits_retain(o(rng.pick(&[
        libc::F_OK,
        libc::R_OK,
        libc::W_OK,
        libc::X_OK,
        libc::R_OK | libc::W_OK | libc::X_OK,
        8,
    ])))
}

/// An operation with a path of `PATH_MAX` bytes or more gets valid flags, mode and times:
/// barecall refuses that path with `NAMETOOLONG` before the call, and the kernel looks at
/// some other arguments first (`utimensat`'s times, `unlinkat`'s and `renameat2`'s flags,
/// `openat`'s `O_CREAT | O_DIRECTORY`), as rustix's own checks do (`chmodat`, `accessat`).
fn too_long_args(op: Op) -> Op {
    if !op.paths().iter().any(PathArg::too_long) {
        return op;
    }
    let file_mode = Mode::from_bits_retain(0o644);
    match op {
        Op::OpenAt {
            dir, path, slot, ..
        } => Op::OpenAt {
            dir,
            path,
            flags: OFlags::from_bits_retain(o(libc::O_RDONLY)),
            mode: file_mode,
            slot,
        },
        Op::Open { path, slot, .. } => Op::Open {
            path,
            flags: OFlags::from_bits_retain(o(libc::O_RDONLY)),
            mode: file_mode,
            slot,
        },
        Op::StatAt { dir, path, .. } => Op::StatAt {
            dir,
            path,
            flags: AtFlags::empty(),
        },
        Op::Statx { dir, path, .. } => Op::Statx {
            dir,
            path,
            flags: AtFlags::empty(),
            mask: StatxFlags::from_bits_retain(libc::STATX_BASIC_STATS),
        },
        Op::UnlinkAt { dir, path, .. } => Op::UnlinkAt {
            dir,
            path,
            flags: AtFlags::empty(),
        },
        Op::RenameAtWith {
            old_dir,
            old,
            new_dir,
            new,
            ..
        } => Op::RenameAtWith {
            old_dir,
            old,
            new_dir,
            new,
            flags: RenameFlags::empty(),
        },
        Op::LinkAt {
            old_dir,
            old,
            new_dir,
            new,
            ..
        } => Op::LinkAt {
            old_dir,
            old,
            new_dir,
            new,
            flags: AtFlags::empty(),
        },
        Op::AccessAt { dir, path, .. } => Op::AccessAt {
            dir,
            path,
            access: Access::from_bits_retain(o(libc::F_OK)),
            flags: AtFlags::empty(),
        },
        Op::Access { path, .. } => Op::Access {
            path,
            access: Access::from_bits_retain(o(libc::F_OK)),
        },
        Op::ChmodAt { dir, path, .. } => Op::ChmodAt {
            dir,
            path,
            mode: file_mode,
            flags: AtFlags::empty(),
        },
        Op::UtimensAt { dir, path, .. } => Op::UtimensAt {
            dir,
            path,
            times: [(1, 2), (3, 4)],
            flags: AtFlags::empty(),
        },
        other => other,
    }
}

/// The operations of one episode: a file `a` with 300 bytes in slot 0, a directory `d` in slot
/// 1, an appending `d/x` in slot 2, symlinks `s` (to `a`) and `d/s` (to `x`), a write-only `b`
/// in slot 3, directories `e` and `e/f`, then random operations; all of them compared, and
/// dropped when shrinking like any other. Reproducible from `(seed, episode)`.
fn episode_ops(seed: u64, episode: usize) -> Vec<Op> {
    let mut rng = Rng(seed ^ (episode as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let mut ops = start_ops();
    ops.extend((0..EPISODE_LEN).map(|_| random_op(&mut rng)));
    ops
}

fn start_ops() -> Vec<Op> {
    let flags = |bits: c_int| OFlags::from_bits_retain(o(bits));
    vec![
        Op::OpenAt {
            dir: Base::Root,
            path: PathArg::name("a"),
            flags: flags(libc::O_CREAT | libc::O_RDWR),
            mode: Mode::from_bits_retain(0o644),
            slot: 0,
        },
        Op::Write {
            fd: Fd::Slot(0),
            len: 300,
            seed: 1,
        },
        Op::MkdirAt {
            dir: Base::Root,
            path: PathArg::name("d"),
            mode: Mode::from_bits_retain(0o755),
        },
        Op::OpenAt {
            dir: Base::Root,
            path: PathArg::name("d"),
            flags: flags(libc::O_RDONLY | libc::O_DIRECTORY),
            mode: Mode::empty(),
            slot: 1,
        },
        Op::OpenAt {
            dir: Base::Slot(1),
            path: PathArg::name("x"),
            flags: flags(libc::O_CREAT | libc::O_WRONLY | libc::O_APPEND),
            mode: Mode::from_bits_retain(0o600),
            slot: 2,
        },
        Op::SymlinkAt {
            target: PathArg::name("a"),
            dir: Base::Root,
            path: PathArg::name("s"),
        },
        Op::SymlinkAt {
            target: PathArg::name("x"),
            dir: Base::Slot(1),
            path: PathArg::name("s"),
        },
        Op::OpenAt {
            dir: Base::Root,
            path: PathArg::name("b"),
            flags: flags(libc::O_CREAT | libc::O_WRONLY),
            mode: Mode::from_bits_retain(0o640),
            slot: 3,
        },
        Op::Write {
            fd: Fd::Slot(3),
            len: 10,
            seed: 2,
        },
        Op::MkdirAt {
            dir: Base::Root,
            path: PathArg::name("e"),
            mode: Mode::from_bits_retain(0o700),
        },
        Op::MkdirAt {
            dir: Base::Root,
            path: PathArg::name("e/f"),
            mode: Mode::from_bits_retain(0o755),
        },
    ]
}

/// The bytes a write sends: distinct per operation, reproducible from its seed.
fn data(seed: u32, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| {
            let x = seed.wrapping_mul(0x9E37_79B1) ^ (i as u32).wrapping_mul(0x85EB_CA6B);
            (x >> 24) as u8 ^ (x >> 8) as u8
        })
        .collect()
}

// ---- Results ---------------------------------------------------------------------------------

/// The fields of a `stat` that must agree across the worlds.
#[derive(Clone, PartialEq, Eq)]
struct StatFields {
    mode: u32,
    nlink: u64,
    uid: u32,
    gid: u32,
    size: i64,
}

impl std::fmt::Debug for StatFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} mode {:o} nlink {} uid {} gid {} size {}",
            kind_of_mode(self.mode),
            self.mode,
            self.nlink,
            self.uid,
            self.gid,
            self.size
        )
    }
}

/// The fields of a `statx` that must agree across the worlds.
#[derive(Clone, Debug, PartialEq, Eq)]
struct StatxFields {
    mask: u32,
    mode: u32,
    nlink: u32,
    uid: u32,
    gid: u32,
    size: u64,
}

/// Length, hash and first bytes of a byte string.
#[derive(Clone, PartialEq, Eq)]
struct Digest {
    len: usize,
    hash: u64,
    head: Vec<u8>,
}

impl Digest {
    fn of(bytes: &[u8]) -> Self {
        Digest {
            len: bytes.len(),
            hash: fnv1a(FNV_OFFSET_BASIS, bytes),
            head: bytes[..bytes.len().min(16)].to_vec(),
        }
    }
}

impl std::fmt::Debug for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} bytes {:02x?}.. hash {:016x}",
            self.len, self.head, self.hash
        )
    }
}

type Listing = BTreeSet<(String, char)>;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Ret {
    /// Success without a value.
    Done,
    /// A count or an offset.
    Ok(u64),
    Err(i32),
    /// A new fd, put in a slot, and whether it took the lowest free number (the kernel's rule).
    NewFd {
        lowest_free: bool,
    },
    /// A read: the result, and the whole buffer afterwards.
    Read(Result<u64, i32>, Digest),
    Stat(StatFields),
    Statx(StatxFields),
    Link(String),
    Listing(Listing),
    /// The times read back after `utimensat`/`futimens`, those that were set explicitly.
    Times(Option<(i64, i64)>, Option<(i64, i64)>),
    /// `copy_file_range`'s result and the offsets afterwards.
    Copied(Result<u64, i32>, Option<u64>, Option<u64>),
    /// barecall's result contradicts libc's view of the same file in its own world.
    Broken(String),
    /// Not run: `close` of an empty slot.
    Skipped,
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn lc_unit(ret: c_int) -> Ret {
    match ret {
        0 => Ret::Done,
        -1 => Ret::Err(errno()),
        other => Ret::Ok(other as u64),
    }
}

fn lc_count(ret: i64) -> Ret {
    if ret < 0 {
        Ret::Err(errno())
    } else {
        Ret::Ok(ret as u64)
    }
}

fn bc_unit(ret: io::Result<()>) -> Ret {
    match ret {
        Ok(()) => Ret::Done,
        Err(err) => Ret::Err(err.raw_os_error()),
    }
}

fn bc_count(ret: io::Result<u64>) -> Ret {
    match ret {
        Ok(n) => Ret::Ok(n),
        Err(err) => Ret::Err(err.raw_os_error()),
    }
}

fn borrow<'a>(raw: RawFd) -> BorrowedFd<'a> {
    assert_ne!(raw, -1, "std's BorrowedFd cannot hold -1");
    unsafe { BorrowedFd::borrow_raw(raw) }
}

/// barecall's view of a directory fd: `fs::CWD` for `AT_FDCWD`.
fn bc_dir<'a>(raw: RawFd) -> BorrowedFd<'a> {
    if raw == libc::AT_FDCWD {
        fs::CWD
    } else {
        borrow(raw)
    }
}

/// A number that is not open: the lowest free one, just closed. Nothing opens an fd between
/// this and the call that uses it.
fn closed_number() -> RawFd {
    let mut fds = [0 as c_int; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "pipe");
    unsafe {
        libc::close(fds[0]);
        libc::close(fds[1]);
    }
    fds[0]
}

/// A path for libc: a NUL inside is `EINVAL`, barecall's answer (libc cannot express it).
fn c_path(bytes: &[u8]) -> Result<CString, i32> {
    CString::new(bytes).map_err(|_| libc::EINVAL)
}

fn kind_of_mode(mode: u32) -> char {
    match mode & libc::S_IFMT {
        libc::S_IFREG => 'f',
        libc::S_IFDIR => 'd',
        libc::S_IFLNK => 'l',
        libc::S_IFCHR => 'c',
        libc::S_IFBLK => 'b',
        libc::S_IFIFO => 'p',
        libc::S_IFSOCK => 's',
        _ => '?',
    }
}

fn kind_of_dtype(d_type: u8) -> char {
    match d_type {
        libc::DT_REG => 'f',
        libc::DT_DIR => 'd',
        libc::DT_LNK => 'l',
        libc::DT_CHR => 'c',
        libc::DT_BLK => 'b',
        libc::DT_FIFO => 'p',
        libc::DT_SOCK => 's',
        _ => '?',
    }
}

fn kind_of_file_type(file_type: FileType) -> char {
    match file_type {
        FileType::RegularFile => 'f',
        FileType::Directory => 'd',
        FileType::Symlink => 'l',
        FileType::CharacterDevice => 'c',
        FileType::BlockDevice => 'b',
        FileType::Fifo => 'p',
        FileType::Socket => 's',
        _ => '?',
    }
}

// ---- Stat, as barecall and libc see it -------------------------------------------------------

/// Every field of a `stat`, for comparing barecall's `Stat` with libc's `statx` of the same
/// file in the same world.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AllStat {
    fields: StatFields,
    ino: u64,
    dev: u64,
    rdev: u64,
    blocks: u64,
    blksize: u64,
    /// atime, mtime, ctime; `None` where a 32-bit `stat64` could not hold the time.
    times: [Option<(i64, i64)>; 3],
}

/// `makedev` as glibc (and the kernel's `stat`) encode it.
fn makedev(major: u32, minor: u32) -> u64 {
    let (major, minor) = (u64::from(major), u64::from(minor));
    ((major & 0xffff_f000) << 32)
        | ((major & 0xfff) << 8)
        | ((minor & 0xffff_ff00) << 12)
        | (minor & 0xff)
}

/// Whether a `Stat` time of `sec` seconds is compared: always on 64-bit targets; on 32-bit
/// ones, where the kernel's `stat64` has 32-bit times, below 2^31.
fn stat_time_comparable(sec: i64) -> bool {
    cfg!(target_pointer_width = "64") || (0..1 << 31).contains(&sec)
}

// The field types of `Stat` differ between the targets, and on each some casts are no-ops.
#[allow(clippy::unnecessary_cast)]
fn bc_stat_fields(st: &fs::Stat) -> StatFields {
    StatFields {
        mode: st.st_mode as u32,
        nlink: st.st_nlink as u64,
        uid: st.st_uid as u32,
        gid: st.st_gid as u32,
        size: st.st_size as i64,
    }
}

#[allow(clippy::unnecessary_cast)]
fn bc_all_stat(st: &fs::Stat) -> AllStat {
    let time = |sec: i64, nsec: i64| Some((sec, nsec));
    AllStat {
        fields: bc_stat_fields(st),
        ino: st.st_ino as u64,
        dev: st.st_dev as u64,
        rdev: st.st_rdev as u64,
        blocks: st.st_blocks as u64,
        blksize: st.st_blksize as u64,
        times: [
            time(st.st_atime as i64, st.st_atime_nsec as i64),
            time(st.st_mtime as i64, st.st_mtime_nsec as i64),
            time(st.st_ctime as i64, st.st_ctime_nsec as i64),
        ],
    }
}

#[cfg(target_pointer_width = "64")]
#[allow(clippy::unnecessary_cast)]
fn lc_stat_fields(st: &libc::stat64) -> StatFields {
    StatFields {
        mode: st.st_mode as u32,
        nlink: st.st_nlink as u64,
        uid: st.st_uid as u32,
        gid: st.st_gid as u32,
        size: st.st_size as i64,
    }
}

/// libc's `statx` of `path` from `dirfd`.
fn lc_statx(dirfd: RawFd, path: &[u8], flags: c_int, mask: u32) -> Result<libc::statx, i32> {
    let path = c_path(path)?;
    let mut buf: libc::statx = unsafe { std::mem::zeroed() };
    match unsafe { libc::statx(dirfd, path.as_ptr(), flags, mask, &mut buf) } {
        0 => Ok(buf),
        _ => Err(errno()),
    }
}

fn statx_all_stat(stx: &libc::statx) -> AllStat {
    let time = |t: &libc::statx_timestamp| {
        stat_time_comparable(t.tv_sec).then_some((t.tv_sec, i64::from(t.tv_nsec)))
    };
    AllStat {
        fields: StatFields {
            mode: u32::from(stx.stx_mode),
            nlink: u64::from(stx.stx_nlink),
            uid: stx.stx_uid,
            gid: stx.stx_gid,
            size: stx.stx_size as i64,
        },
        ino: stx.stx_ino,
        dev: makedev(stx.stx_dev_major, stx.stx_dev_minor),
        rdev: makedev(stx.stx_rdev_major, stx.stx_rdev_minor),
        blocks: stx.stx_blocks,
        blksize: u64::from(stx.stx_blksize),
        times: [
            time(&stx.stx_atime),
            time(&stx.stx_mtime),
            time(&stx.stx_ctime),
        ],
    }
}

/// barecall's `Stat` of a file, checked against libc's `statx` of the same file (`dirfd`,
/// `path`, `flags`) just after: the fields compared across worlds, or `Broken`.
fn checked_stat(st: &fs::Stat, dirfd: RawFd, path: &[u8], flags: c_int) -> Ret {
    let mut ours = bc_all_stat(st);
    match lc_statx(dirfd, path, flags, libc::STATX_ALL) {
        Ok(stx) => {
            let theirs = statx_all_stat(&stx);
            for (ours, theirs) in ours.times.iter_mut().zip(&theirs.times) {
                if theirs.is_none() {
                    *ours = None;
                }
            }
            if ours == theirs {
                Ret::Stat(ours.fields)
            } else {
                Ret::Broken(format!(
                    "barecall's Stat {ours:?}, libc's statx of the same file {theirs:?}"
                ))
            }
        }
        Err(errno) => Ret::Broken(format!(
            "barecall's stat succeeded, libc's statx of the same file failed: errno {errno}"
        )),
    }
}

/// Every field of barecall's `Statx`, with libc's view of the same call.
#[derive(Debug, PartialEq, Eq)]
struct AllStatx {
    fields: StatxFields,
    ino: u64,
    blocks: u64,
    blksize: u32,
    dev: (u32, u32),
    rdev: (u32, u32),
    /// atime, btime, ctime, mtime
    times: [(i64, u32); 4],
}

fn bc_all_statx(stx: &fs::Statx) -> AllStatx {
    AllStatx {
        fields: StatxFields {
            mask: stx.stx_mask,
            mode: u32::from(stx.stx_mode),
            nlink: stx.stx_nlink,
            uid: stx.stx_uid,
            gid: stx.stx_gid,
            size: stx.stx_size,
        },
        ino: stx.stx_ino,
        blocks: stx.stx_blocks,
        blksize: stx.stx_blksize,
        dev: (stx.stx_dev_major, stx.stx_dev_minor),
        rdev: (stx.stx_rdev_major, stx.stx_rdev_minor),
        times: [
            (stx.stx_atime.tv_sec, stx.stx_atime.tv_nsec),
            (stx.stx_btime.tv_sec, stx.stx_btime.tv_nsec),
            (stx.stx_ctime.tv_sec, stx.stx_ctime.tv_nsec),
            (stx.stx_mtime.tv_sec, stx.stx_mtime.tv_nsec),
        ],
    }
}

fn lc_all_statx(stx: &libc::statx) -> AllStatx {
    AllStatx {
        fields: StatxFields {
            mask: stx.stx_mask,
            mode: u32::from(stx.stx_mode),
            nlink: stx.stx_nlink,
            uid: stx.stx_uid,
            gid: stx.stx_gid,
            size: stx.stx_size,
        },
        ino: stx.stx_ino,
        blocks: stx.stx_blocks,
        blksize: stx.stx_blksize,
        dev: (stx.stx_dev_major, stx.stx_dev_minor),
        rdev: (stx.stx_rdev_major, stx.stx_rdev_minor),
        times: [
            (stx.stx_atime.tv_sec, stx.stx_atime.tv_nsec),
            (stx.stx_btime.tv_sec, stx.stx_btime.tv_nsec),
            (stx.stx_ctime.tv_sec, stx.stx_ctime.tv_nsec),
            (stx.stx_mtime.tv_sec, stx.stx_mtime.tv_nsec),
        ],
    }
}

// ---- Contents --------------------------------------------------------------------------------

const FNV_OFFSET_BASIS: u64 = 0xCBF2_9CE4_8422_2325;
const FNV_PRIME: u64 = 0x100_0000_01B3;

/// 64-bit FNV-1a of `bytes`, continuing from `hash`.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// 64-bit FNV-1a of `n` zero bytes, continuing from `hash`: each zero byte multiplies by the
/// prime, so `n` of them multiply by prime^n (mod 2^64), found by squaring.
fn fnv1a_zeros(hash: u64, mut n: u64) -> u64 {
    let (mut power, mut base) = (1_u64, FNV_PRIME);
    while n > 0 {
        if n & 1 == 1 {
            power = power.wrapping_mul(base);
        }
        base = base.wrapping_mul(base);
        n >>= 1;
    }
    hash.wrapping_mul(power)
}

/// The FNV-1a of the whole of a regular file of `size` bytes, read through libc: the data that
/// `SEEK_DATA`/`SEEK_HOLE` find is read, the holes between are hashed as the zeros they read
/// as (a 5 GiB sparse file costs what its data costs).
fn file_hash(raw: RawFd, size: i64, scratch: &mut [u8]) -> Result<u64, i32> {
    let mut hash = FNV_OFFSET_BASIS;
    let mut pos = 0;
    let mut data_read = 0;
    while pos < size {
        let data = unsafe { libc::lseek64(raw, pos, libc::SEEK_DATA) };
        if data == -1 {
            match errno() {
                libc::ENXIO => break,
                other => return Err(other),
            }
        }
        let hole = unsafe { libc::lseek64(raw, data, libc::SEEK_HOLE) };
        if hole == -1 {
            return Err(errno());
        }
        hash = fnv1a_zeros(hash, (data - pos) as u64);
        pos = data;
        while pos < hole {
            let want = (hole - pos).min(scratch.len() as i64) as usize;
            let n = unsafe { libc::pread64(raw, scratch.as_mut_ptr().cast(), want, pos) };
            if n < 0 {
                return Err(errno());
            }
            assert!(n > 0, "file ends at {pos}, before its size {size}");
            hash = fnv1a(hash, &scratch[..n as usize]);
            pos += n as i64;
            data_read += n as i64;
            assert!(
                data_read < 1 << 28,
                "more data than the operations write: does the filesystem report holes?"
            );
        }
    }
    Ok(fnv1a_zeros(hash, (size - pos) as u64))
}

// ---- State -----------------------------------------------------------------------------------

/// One entry of a tree, as libc sees it.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    /// The type its directory's listing gives it (`d_type`); `.` for the root.
    listed: char,
    stat: Result<StatFields, i32>,
    target: Option<Result<String, i32>>,
    /// A regular file's contents, after an operation that may write.
    contents: Option<Result<u64, i32>>,
    /// A directory's listing error, if any.
    listing: Option<i32>,
}

#[derive(Debug, PartialEq, Eq)]
struct SlotState {
    fd_flags: Result<c_int, i32>,
    status_flags: Result<c_int, i32>,
    offset: Result<i64, i32>,
    stat: Result<StatFields, i32>,
    contents: Option<Result<u64, i32>>,
}

struct State {
    tree: BTreeMap<String, Entry>,
    slots: Vec<Option<SlotState>>,
}

/// libc's `fstatat64`; on 32-bit targets libc's `statx`, because glibc's `stat64` there has
/// 32-bit times and fails with `EOVERFLOW` for a file with a time past 2038 (the kernel's
/// `stat64` and barecall have no such failure).
fn lc_stat(dirfd: RawFd, path: &CStr, flags: c_int) -> Result<StatFields, i32> {
    #[cfg(target_pointer_width = "64")]
    {
        let mut st: libc::stat64 = unsafe { std::mem::zeroed() };
        match unsafe { libc::fstatat64(dirfd, path.as_ptr(), &mut st, flags) } {
            0 => Ok(lc_stat_fields(&st)),
            _ => Err(errno()),
        }
    }
    #[cfg(target_pointer_width = "32")]
    {
        lc_statx(dirfd, path.to_bytes(), flags, libc::STATX_BASIC_STATS)
            .map(|stx| statx_all_stat(&stx).fields)
    }
}

/// libc's `fstat64`; on 32-bit targets, libc's `statx` (see [`lc_stat`]).
fn lc_fstat(fd: RawFd) -> Result<StatFields, i32> {
    #[cfg(target_pointer_width = "64")]
    {
        let mut st: libc::stat64 = unsafe { std::mem::zeroed() };
        match unsafe { libc::fstat64(fd, &mut st) } {
            0 => Ok(lc_stat_fields(&st)),
            _ => Err(errno()),
        }
    }
    #[cfg(target_pointer_width = "32")]
    {
        lc_stat(fd, c"", libc::AT_EMPTY_PATH)
    }
}

fn lc_readlinkat(dirfd: RawFd, path: &CStr) -> Result<Vec<u8>, i32> {
    let mut buf = vec![0u8; 2 * PATH_MAX];
    let n = unsafe { libc::readlinkat(dirfd, path.as_ptr(), buf.as_mut_ptr().cast(), buf.len()) };
    if n < 0 {
        return Err(errno());
    }
    buf.truncate(n as usize);
    Ok(buf)
}

/// The entries of the directory `fd`, through libc: `openat(fd, ".", flags | O_CLOEXEC)`,
/// `fdopendir`, `readdir64`.
fn lc_listing(fd: RawFd, flags: c_int) -> Result<Listing, i32> {
    let dir_fd = unsafe { libc::openat64(fd, c".".as_ptr(), flags | libc::O_CLOEXEC) };
    if dir_fd < 0 {
        return Err(errno());
    }
    let dir = unsafe { libc::fdopendir(dir_fd) };
    if dir.is_null() {
        let err = errno();
        unsafe { libc::close(dir_fd) };
        return Err(err);
    }
    let mut out = Listing::new();
    let result = loop {
        unsafe { *libc::__errno_location() = 0 };
        let entry = unsafe { libc::readdir64(dir) };
        if entry.is_null() {
            break match errno() {
                0 => Ok(()),
                err => Err(err),
            };
        }
        let entry = unsafe { &*entry };
        let name = unsafe { CStr::from_ptr(entry.d_name.as_ptr()) };
        out.insert((
            name.to_string_lossy().into_owned(),
            kind_of_dtype(entry.d_type),
        ));
    };
    unsafe { libc::closedir(dir) };
    result.map(|()| out)
}

/// Adds the entries under the directory `dirfd` (named `prefix`) to `tree`, through libc.
fn walk(
    dirfd: RawFd,
    prefix: &str,
    tree: &mut BTreeMap<String, Entry>,
    contents: bool,
    scratch: &mut [u8],
) -> Result<(), i32> {
    let listing = lc_listing(dirfd, libc::O_RDONLY | libc::O_DIRECTORY)?;
    for (name, listed) in listing {
        if name == "." || name == ".." {
            continue;
        }
        let path = format!("{prefix}{name}");
        let c_name = CString::new(name.as_str()).expect("names have no NUL");
        let stat = lc_stat(dirfd, &c_name, libc::AT_SYMLINK_NOFOLLOW);
        let kind = stat.as_ref().map_or('?', |st| kind_of_mode(st.mode));
        let mut entry = Entry {
            listed,
            stat: stat.clone(),
            target: None,
            contents: None,
            listing: None,
        };
        match kind {
            'l' => {
                entry.target = Some(
                    lc_readlinkat(dirfd, &c_name).map(|t| String::from_utf8_lossy(&t).into_owned()),
                );
            }
            'f' if contents => {
                let fd = unsafe {
                    libc::openat64(
                        dirfd,
                        c_name.as_ptr(),
                        libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC,
                    )
                };
                entry.contents = Some(if fd < 0 {
                    Err(errno())
                } else {
                    let size = stat.as_ref().map_or(0, |st| st.size);
                    let hash = file_hash(fd, size, scratch);
                    unsafe { libc::close(fd) };
                    hash
                });
            }
            'd' => {
                let fd = unsafe {
                    libc::openat64(
                        dirfd,
                        c_name.as_ptr(),
                        libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
                    )
                };
                if fd < 0 {
                    entry.listing = Some(errno());
                } else {
                    let result = walk(fd, &format!("{path}/"), tree, contents, scratch);
                    unsafe { libc::close(fd) };
                    entry.listing = result.err();
                }
            }
            _ => {}
        }
        tree.insert(path, entry);
    }
    Ok(())
}

// ---- Worlds ----------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Barecall,
    Libc,
}

struct World {
    side: Side,
    root_path: PathBuf,
    root: OwnedFd,
    slots: Vec<Option<OwnedFd>>,
    scratch: Vec<u8>,
    uid: u32,
    gid: u32,
}

/// The directory for the scratch trees: tmpfs if there is one.
fn scratch_dir() -> PathBuf {
    let shm = PathBuf::from("/dev/shm");
    let probe = shm.join(format!(
        "barecall-fs-differential-probe-{}",
        std::process::id()
    ));
    if std::fs::write(&probe, b"").is_ok() {
        let _ = std::fs::remove_file(&probe);
        shm
    } else {
        std::env::temp_dir()
    }
}

/// Makes every directory under `path` writable and searchable again (a `chmodat` may have
/// taken that away), so that the tree can be removed.
fn open_up(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700));
    if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                open_up(&entry.path());
            }
        }
    }
}

impl World {
    fn new(side: Side, root_path: PathBuf) -> Self {
        std::fs::create_dir(&root_path).expect("create a world's root");
        let c_root = CString::new(root_path.as_os_str().as_encoded_bytes()).unwrap();
        let fd = unsafe {
            libc::open64(
                c_root.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        assert!(fd >= 0, "open a world's root: errno {}", errno());
        World {
            side,
            root_path,
            root: unsafe { OwnedFd::from_raw_fd(fd) },
            slots: (0..SLOTS).map(|_| None).collect(),
            scratch: vec![0; 1 << 20],
            uid: unsafe { libc::getuid() },
            gid: unsafe { libc::getgid() },
        }
    }

    fn barecall(&self) -> bool {
        self.side == Side::Barecall
    }

    fn fd(&self, fd: Fd) -> RawFd {
        match fd {
            Fd::Slot(i) => match &self.slots[i] {
                Some(owned) => owned.as_raw_fd(),
                None => closed_number(),
            },
            Fd::Root => self.root.as_raw_fd(),
            Fd::NotOpen(raw) => raw,
        }
    }

    /// The directory fd and the path bytes of `path` from `base`.
    fn at(&self, base: Base, path: &PathArg) -> (RawFd, Vec<u8>) {
        match base {
            Base::Root => (self.fd(Fd::Root), path.bytes(None)),
            Base::Slot(i) => (self.fd(Fd::Slot(i)), path.bytes(None)),
            Base::NotOpen(raw) => (raw, path.bytes(None)),
            Base::Cwd => (libc::AT_FDCWD, self.abs(path)),
        }
    }

    /// `path` made absolute: the root, `/`, the path.
    fn abs(&self, path: &PathArg) -> Vec<u8> {
        path.bytes(Some(self.root_path.as_os_str().as_encoded_bytes()))
    }

    /// Puts a new fd in `slot` (closing what was there) and says whether it took the lowest
    /// free number.
    fn put(&mut self, slot: usize, fd: OwnedFd) -> Ret {
        let lowest_free = common::is_lowest_free(fd.as_raw_fd(), 0);
        self.slots[slot] = Some(fd);
        Ret::NewFd { lowest_free }
    }

    fn put_libc(&mut self, slot: usize, ret: c_int) -> Ret {
        if ret < 0 {
            Ret::Err(errno())
        } else {
            self.put(slot, unsafe { OwnedFd::from_raw_fd(ret) })
        }
    }

    fn put_barecall(&mut self, slot: usize, ret: io::Result<OwnedFd>) -> Ret {
        match ret {
            Ok(fd) => self.put(slot, fd),
            Err(err) => Ret::Err(err.raw_os_error()),
        }
    }

    fn exec(&mut self, op: &Op) -> Ret {
        let bc = self.barecall();
        match *op {
            Op::OpenAt {
                dir,
                path,
                flags,
                mode,
                slot,
            } => {
                let (dirfd, bytes) = self.at(dir, &path);
                if bc {
                    let ret =
                        with_path!(path, bytes, |p| fs::openat(bc_dir(dirfd), p, flags, mode));
                    self.put_barecall(slot, ret)
                } else {
                    match c_path(&bytes) {
                        Ok(p) => {
                            let ret = unsafe {
                                libc::openat64(
                                    dirfd,
                                    p.as_ptr(),
                                    flags.bits() as c_int,
                                    mode.bits(),
                                )
                            };
                            self.put_libc(slot, ret)
                        }
                        Err(e) => Ret::Err(e),
                    }
                }
            }
            Op::Open {
                path,
                flags,
                mode,
                slot,
            } => {
                let bytes = self.abs(&path);
                if bc {
                    let ret = with_path!(path, bytes, |p| fs::open(p, flags, mode));
                    self.put_barecall(slot, ret)
                } else {
                    match c_path(&bytes) {
                        Ok(p) => {
                            let ret = unsafe {
                                libc::open64(p.as_ptr(), flags.bits() as c_int, mode.bits())
                            };
                            self.put_libc(slot, ret)
                        }
                        Err(e) => Ret::Err(e),
                    }
                }
            }
            Op::Close(slot) => match self.slots[slot].take() {
                None => Ret::Skipped,
                Some(fd) => {
                    let raw = fd.into_raw_fd();
                    if bc {
                        unsafe { io::close(raw) };
                        Ret::Done
                    } else {
                        lc_unit(unsafe { libc::close(raw) })
                    }
                }
            },
            Op::Read { fd, len } => {
                let raw = self.fd(fd);
                let mut buf = vec![FILL; len];
                let ret = if bc {
                    match io::read(borrow(raw), &mut buf[..]) {
                        Ok(n) => Ok(n as u64),
                        Err(e) => Err(e.raw_os_error()),
                    }
                } else {
                    let n = unsafe { libc::read(raw, buf.as_mut_ptr().cast(), len) };
                    if n < 0 {
                        Err(errno())
                    } else {
                        Ok(n as u64)
                    }
                };
                Ret::Read(ret, Digest::of(&buf))
            }
            Op::Pread { fd, len, offset } => {
                let raw = self.fd(fd);
                let mut buf = vec![FILL; len];
                let ret = if bc {
                    match io::pread(borrow(raw), &mut buf[..], offset) {
                        Ok(n) => Ok(n as u64),
                        Err(e) => Err(e.raw_os_error()),
                    }
                } else {
                    let n =
                        unsafe { libc::pread64(raw, buf.as_mut_ptr().cast(), len, offset as i64) };
                    if n < 0 {
                        Err(errno())
                    } else {
                        Ok(n as u64)
                    }
                };
                Ret::Read(ret, Digest::of(&buf))
            }
            Op::Write { fd, len, seed } => {
                let raw = self.fd(fd);
                let buf = data(seed, len);
                if bc {
                    bc_count(io::write(borrow(raw), &buf).map(|n| n as u64))
                } else {
                    lc_count(unsafe { libc::write(raw, buf.as_ptr().cast(), len) } as i64)
                }
            }
            Op::Pwrite {
                fd,
                len,
                seed,
                offset,
            } => {
                let raw = self.fd(fd);
                let buf = data(seed, len);
                if bc {
                    bc_count(io::pwrite(borrow(raw), &buf, offset).map(|n| n as u64))
                } else {
                    lc_count(
                        unsafe { libc::pwrite64(raw, buf.as_ptr().cast(), len, offset as i64) }
                            as i64,
                    )
                }
            }
            Op::Seek { fd, pos } => {
                let raw = self.fd(fd);
                if bc {
                    bc_count(fs::seek(borrow(raw), pos))
                } else {
                    let (offset, whence) = match pos {
                        SeekFrom::Start(offset) => (offset as i64, libc::SEEK_SET),
                        SeekFrom::Current(delta) => (delta, libc::SEEK_CUR),
                        SeekFrom::End(delta) => (delta, libc::SEEK_END),
                        SeekFrom::Data(offset) => (offset as i64, libc::SEEK_DATA),
                        SeekFrom::Hole(offset) => (offset as i64, libc::SEEK_HOLE),
                    };
                    lc_count(unsafe { libc::lseek64(raw, offset, whence) })
                }
            }
            Op::Tell(fd) => {
                let raw = self.fd(fd);
                if bc {
                    bc_count(fs::tell(borrow(raw)))
                } else {
                    lc_count(unsafe { libc::lseek64(raw, 0, libc::SEEK_CUR) })
                }
            }
            Op::Ftruncate { fd, len } => {
                let raw = self.fd(fd);
                if bc {
                    bc_unit(fs::ftruncate(borrow(raw), len))
                } else {
                    lc_unit(unsafe { libc::ftruncate64(raw, len as i64) })
                }
            }
            Op::Fallocate {
                fd,
                mode,
                offset,
                len,
            } => {
                let raw = self.fd(fd);
                if bc {
                    bc_unit(fs::fallocate(borrow(raw), mode, offset, len))
                } else {
                    lc_unit(unsafe {
                        libc::fallocate64(raw, mode.bits() as c_int, offset as i64, len as i64)
                    })
                }
            }
            Op::Fsync(fd) => {
                let raw = self.fd(fd);
                if bc {
                    bc_unit(fs::fsync(borrow(raw)))
                } else {
                    lc_unit(unsafe { libc::fsync(raw) })
                }
            }
            Op::Fdatasync(fd) => {
                let raw = self.fd(fd);
                if bc {
                    bc_unit(fs::fdatasync(borrow(raw)))
                } else {
                    lc_unit(unsafe { libc::fdatasync(raw) })
                }
            }
            Op::Fstat(fd) => {
                let raw = self.fd(fd);
                if bc {
                    match fs::fstat(borrow(raw)) {
                        Ok(st) => checked_stat(&st, raw, b"", libc::AT_EMPTY_PATH),
                        Err(e) => Ret::Err(e.raw_os_error()),
                    }
                } else {
                    match lc_fstat(raw) {
                        Ok(st) => Ret::Stat(st),
                        Err(e) => Ret::Err(e),
                    }
                }
            }
            Op::StatAt { dir, path, flags } => {
                let (dirfd, bytes) = self.at(dir, &path);
                self.stat_at(dirfd, &bytes, flags, |p| {
                    with_path!(path, p, |p| fs::statat(bc_dir(dirfd), p, flags))
                })
            }
            Op::Stat(path) => {
                let bytes = self.abs(&path);
                self.stat_at(libc::AT_FDCWD, &bytes, AtFlags::empty(), |p| {
                    with_path!(path, p, |p| fs::stat(p))
                })
            }
            Op::Lstat(path) => {
                let bytes = self.abs(&path);
                let flags = at(libc::AT_SYMLINK_NOFOLLOW);
                self.stat_at(libc::AT_FDCWD, &bytes, flags, |p| {
                    with_path!(path, p, |p| fs::lstat(p))
                })
            }
            Op::Statx {
                dir,
                path,
                flags,
                mask,
            } => {
                let (dirfd, bytes) = self.at(dir, &path);
                let lc = |bytes: &[u8]| lc_statx(dirfd, bytes, flags.bits() as c_int, mask.bits());
                if bc {
                    let ret = with_path!(path, bytes, |p| fs::statx(bc_dir(dirfd), p, flags, mask));
                    match ret {
                        Ok(stx) => {
                            let ours = bc_all_statx(&stx);
                            match lc(&bytes) {
                                Ok(stx) if lc_all_statx(&stx) == ours => Ret::Statx(ours.fields),
                                Ok(stx) => Ret::Broken(format!(
                                    "barecall's Statx {ours:?}, libc's {:?}",
                                    lc_all_statx(&stx)
                                )),
                                Err(e) => Ret::Broken(format!(
                                    "barecall's statx succeeded, libc's failed: errno {e}"
                                )),
                            }
                        }
                        Err(e) => Ret::Err(e.raw_os_error()),
                    }
                } else {
                    match lc(&bytes) {
                        Ok(stx) => Ret::Statx(lc_all_statx(&stx).fields),
                        Err(e) => Ret::Err(e),
                    }
                }
            }
            Op::MkdirAt { dir, path, mode } => {
                let (dirfd, bytes) = self.at(dir, &path);
                if bc {
                    bc_unit(with_path!(path, bytes, |p| fs::mkdirat(
                        bc_dir(dirfd),
                        p,
                        mode
                    )))
                } else {
                    lc_path(&bytes, |p| unsafe { libc::mkdirat(dirfd, p, mode.bits()) })
                }
            }
            Op::Mkdir { path, mode } => {
                let bytes = self.abs(&path);
                if bc {
                    bc_unit(with_path!(path, bytes, |p| fs::mkdir(p, mode)))
                } else {
                    lc_path(&bytes, |p| unsafe { libc::mkdir(p, mode.bits()) })
                }
            }
            Op::UnlinkAt { dir, path, flags } => {
                let (dirfd, bytes) = self.at(dir, &path);
                if bc {
                    bc_unit(with_path!(path, bytes, |p| fs::unlinkat(
                        bc_dir(dirfd),
                        p,
                        flags
                    )))
                } else {
                    lc_path(&bytes, |p| unsafe {
                        libc::unlinkat(dirfd, p, flags.bits() as c_int)
                    })
                }
            }
            Op::Rmdir(path) => {
                let bytes = self.abs(&path);
                if bc {
                    bc_unit(with_path!(path, bytes, |p| fs::rmdir(p)))
                } else {
                    lc_path(&bytes, |p| unsafe { libc::rmdir(p) })
                }
            }
            Op::RenameAt {
                old_dir,
                old,
                new_dir,
                new,
            } => {
                let (old_fd, old_bytes) = self.at(old_dir, &old);
                let (new_fd, new_bytes) = self.at(new_dir, &new);
                if bc {
                    bc_unit(with_path!(old, old_bytes, |p| with_path!(
                        new,
                        new_bytes,
                        |q| fs::renameat(bc_dir(old_fd), p, bc_dir(new_fd), q)
                    )))
                } else {
                    lc_paths(&old_bytes, &new_bytes, |p, q| unsafe {
                        libc::renameat(old_fd, p, new_fd, q)
                    })
                }
            }
            Op::RenameAtWith {
                old_dir,
                old,
                new_dir,
                new,
                flags,
            } => {
                let (old_fd, old_bytes) = self.at(old_dir, &old);
                let (new_fd, new_bytes) = self.at(new_dir, &new);
                if bc {
                    bc_unit(with_path!(old, old_bytes, |p| with_path!(
                        new,
                        new_bytes,
                        |q| fs::renameat_with(bc_dir(old_fd), p, bc_dir(new_fd), q, flags)
                    )))
                } else {
                    lc_paths(&old_bytes, &new_bytes, |p, q| unsafe {
                        libc::renameat2(old_fd, p, new_fd, q, flags.bits())
                    })
                }
            }
            Op::Rename { old, new } => {
                let (old_bytes, new_bytes) = (self.abs(&old), self.abs(&new));
                if bc {
                    bc_unit(with_path!(old, old_bytes, |p| with_path!(
                        new,
                        new_bytes,
                        |q| fs::rename(p, q)
                    )))
                } else {
                    lc_paths(&old_bytes, &new_bytes, |p, q| unsafe { libc::rename(p, q) })
                }
            }
            Op::SymlinkAt { target, dir, path } => {
                let target_bytes = target.bytes(None);
                let (dirfd, bytes) = self.at(dir, &path);
                if bc {
                    bc_unit(with_path!(target, target_bytes, |t| with_path!(
                        path,
                        bytes,
                        |p| fs::symlinkat(t, bc_dir(dirfd), p)
                    )))
                } else {
                    lc_paths(&target_bytes, &bytes, |t, p| unsafe {
                        libc::symlinkat(t, dirfd, p)
                    })
                }
            }
            Op::ReadlinkAt { dir, path } => {
                let (dirfd, bytes) = self.at(dir, &path);
                let ret = if bc {
                    with_path!(path, bytes, |p| fs::readlinkat(
                        bc_dir(dirfd),
                        p,
                        Vec::new()
                    ))
                    .map(CString::into_bytes)
                    .map_err(|e| e.raw_os_error())
                } else {
                    c_path(&bytes).and_then(|p| lc_readlinkat(dirfd, &p))
                };
                match ret {
                    Ok(target) => Ret::Link(String::from_utf8_lossy(&target).into_owned()),
                    Err(e) => Ret::Err(e),
                }
            }
            Op::LinkAt {
                old_dir,
                old,
                new_dir,
                new,
                flags,
            } => {
                let (old_fd, old_bytes) = self.at(old_dir, &old);
                let (new_fd, new_bytes) = self.at(new_dir, &new);
                if bc {
                    bc_unit(with_path!(old, old_bytes, |p| with_path!(
                        new,
                        new_bytes,
                        |q| fs::linkat(bc_dir(old_fd), p, bc_dir(new_fd), q, flags)
                    )))
                } else {
                    lc_paths(&old_bytes, &new_bytes, |p, q| unsafe {
                        libc::linkat(old_fd, p, new_fd, q, flags.bits() as c_int)
                    })
                }
            }
            Op::AccessAt {
                dir,
                path,
                access,
                flags,
            } => {
                let (dirfd, bytes) = self.at(dir, &path);
                if bc {
                    bc_unit(with_path!(path, bytes, |p| fs::accessat(
                        bc_dir(dirfd),
                        p,
                        access,
                        flags
                    )))
                } else {
                    lc_path(&bytes, |p| unsafe {
                        libc::faccessat(dirfd, p, access.bits() as c_int, flags.bits() as c_int)
                    })
                }
            }
            Op::Access { path, access } => {
                let bytes = self.abs(&path);
                if bc {
                    bc_unit(with_path!(path, bytes, |p| fs::access(p, access)))
                } else {
                    lc_path(&bytes, |p| unsafe {
                        libc::access(p, access.bits() as c_int)
                    })
                }
            }
            Op::ChmodAt {
                dir,
                path,
                mode,
                flags,
            } => {
                let (dirfd, bytes) = self.at(dir, &path);
                if bc {
                    bc_unit(with_path!(path, bytes, |p| fs::chmodat(
                        bc_dir(dirfd),
                        p,
                        mode,
                        flags
                    )))
                } else {
                    libc_chmodat(dirfd, &bytes, mode, flags)
                }
            }
            Op::Fchmod { fd, mode } => {
                let raw = self.fd(fd);
                if bc {
                    bc_unit(fs::fchmod(borrow(raw), mode))
                } else {
                    lc_unit(unsafe { libc::fchmod(raw, mode.bits()) })
                }
            }
            Op::Fchown { fd, owner, group } => {
                let raw = self.fd(fd);
                let (owner, group) = (owner.raw(self.uid), group.raw(self.gid));
                if bc {
                    bc_unit(fs::fchown(
                        borrow(raw),
                        owner.map(Uid::from_raw),
                        group.map(Gid::from_raw),
                    ))
                } else {
                    lc_unit(unsafe {
                        libc::fchown(raw, owner.unwrap_or(u32::MAX), group.unwrap_or(u32::MAX))
                    })
                }
            }
            Op::UtimensAt {
                dir,
                path,
                times,
                flags,
            } => {
                let (dirfd, bytes) = self.at(dir, &path);
                let ret = if bc {
                    bc_unit(with_path!(path, bytes, |p| fs::utimensat(
                        bc_dir(dirfd),
                        p,
                        &timestamps(times),
                        flags
                    )))
                } else {
                    lc_path(&bytes, |p| {
                        lc_utimensat(dirfd, p, times, flags.bits() as c_int)
                    })
                };
                let nofollow =
                    flags.bits() as c_int & (libc::AT_SYMLINK_NOFOLLOW | libc::AT_EMPTY_PATH);
                times_read_back(ret, times, || {
                    lc_statx(
                        dirfd,
                        &bytes,
                        nofollow,
                        libc::STATX_ATIME | libc::STATX_MTIME,
                    )
                })
            }
            Op::Futimens { fd, times } => {
                let raw = self.fd(fd);
                let ret = if bc {
                    bc_unit(fs::futimens(borrow(raw), &timestamps(times)))
                } else {
                    lc_unit(lc_futimens(raw, times))
                };
                times_read_back(ret, times, || {
                    lc_statx(
                        raw,
                        b"",
                        libc::AT_EMPTY_PATH,
                        libc::STATX_ATIME | libc::STATX_MTIME,
                    )
                })
            }
            Op::GetFl(fd) => {
                let raw = self.fd(fd);
                if bc {
                    bc_count(fs::fcntl_getfl(borrow(raw)).map(|f| u64::from(f.bits())))
                } else {
                    match unsafe { libc::fcntl(raw, libc::F_GETFL) } {
                        -1 => Ret::Err(errno()),
                        flags => Ret::Ok(u64::from(flags as u32)),
                    }
                }
            }
            Op::SetFl(fd, flags) => {
                let raw = self.fd(fd);
                if bc {
                    bc_unit(fs::fcntl_setfl(borrow(raw), flags))
                } else {
                    lc_unit(unsafe { libc::fcntl(raw, libc::F_SETFL, flags.bits() as c_int) })
                }
            }
            Op::ReadDir(fd) => {
                let raw = self.fd(fd);
                let ret = if bc {
                    bc_listing(raw)
                } else {
                    libc_dir_read_from(raw)
                };
                match ret {
                    Ok(listing) => Ret::Listing(listing),
                    Err(e) => Ret::Err(e),
                }
            }
            Op::MemfdCreate { name, flags, slot } => {
                let bytes = name.bytes(None);
                if bc {
                    let ret = with_path!(name, bytes, |p| fs::memfd_create(p, flags));
                    self.put_barecall(slot, ret)
                } else {
                    match c_path(&bytes) {
                        Ok(p) => {
                            let ret = unsafe { libc::memfd_create(p.as_ptr(), flags.bits()) };
                            self.put_libc(slot, ret)
                        }
                        Err(e) => Ret::Err(e),
                    }
                }
            }
            Op::CopyFileRange {
                fd_in,
                off_in,
                fd_out,
                off_out,
                len,
            } => {
                let (raw_in, raw_out) = (self.fd(fd_in), self.fd(fd_out));
                let (mut off_in, mut off_out) = (off_in, off_out);
                let ret = if bc {
                    fs::copy_file_range(
                        borrow(raw_in),
                        off_in.as_mut(),
                        borrow(raw_out),
                        off_out.as_mut(),
                        len,
                    )
                    .map(|n| n as u64)
                    .map_err(|e| e.raw_os_error())
                } else {
                    let mut lc_in = off_in.map(|o| o as i64);
                    let mut lc_out = off_out.map(|o| o as i64);
                    let ptr = |o: &mut Option<i64>| {
                        o.as_mut().map_or(std::ptr::null_mut(), |o| o as *mut i64)
                    };
                    let n = unsafe {
                        libc::copy_file_range(
                            raw_in,
                            ptr(&mut lc_in),
                            raw_out,
                            ptr(&mut lc_out),
                            len,
                            0,
                        )
                    };
                    off_in = lc_in.map(|o| o as u64);
                    off_out = lc_out.map(|o| o as u64);
                    if n < 0 {
                        Err(errno())
                    } else {
                        Ok(n as u64)
                    }
                };
                Ret::Copied(ret, off_in, off_out)
            }
        }
    }

    /// `statat`, `stat` or `lstat`: barecall's (`call`) checked against libc's `statx` of the
    /// same path, or libc's `fstatat64`.
    fn stat_at(
        &self,
        dirfd: RawFd,
        bytes: &[u8],
        flags: AtFlags,
        call: impl FnOnce(&[u8]) -> io::Result<fs::Stat>,
    ) -> Ret {
        if self.barecall() {
            match call(bytes) {
                Ok(st) => checked_stat(&st, dirfd, bytes, flags.bits() as c_int),
                Err(e) => Ret::Err(e.raw_os_error()),
            }
        } else {
            match c_path(bytes).and_then(|p| lc_stat(dirfd, &p, flags.bits() as c_int)) {
                Ok(st) => Ret::Stat(st),
                Err(e) => Ret::Err(e),
            }
        }
    }

    /// Every tree entry and slot, through libc; contents too if `contents`.
    fn state(&mut self, contents: bool) -> State {
        let mut tree = BTreeMap::new();
        let root = self.root.as_raw_fd();
        let root_stat = lc_fstat(root);
        let listing = walk(root, "", &mut tree, contents, &mut self.scratch).err();
        tree.insert(
            ".".to_owned(),
            Entry {
                listed: '.',
                stat: root_stat,
                target: None,
                contents: None,
                listing,
            },
        );
        let mut slots = Vec::with_capacity(SLOTS);
        for slot in &self.slots {
            let Some(fd) = slot else {
                slots.push(None);
                continue;
            };
            let raw = fd.as_raw_fd();
            let int = |ret: c_int| if ret == -1 { Err(errno()) } else { Ok(ret) };
            let stat = lc_fstat(raw);
            let regular = stat.as_ref().is_ok_and(|st| kind_of_mode(st.mode) == 'f');
            let contents = (contents && regular).then(|| {
                let size = stat.as_ref().map_or(0, |st| st.size);
                slot_contents(raw, size, &mut self.scratch)
            });
            slots.push(Some(SlotState {
                fd_flags: int(unsafe { libc::fcntl(raw, libc::F_GETFD) }),
                status_flags: int(unsafe { libc::fcntl(raw, libc::F_GETFL) }),
                offset: match unsafe { libc::lseek64(raw, 0, libc::SEEK_CUR) } {
                    -1 => Err(errno()),
                    pos => Ok(pos),
                },
                stat,
                contents,
            }));
        }
        State { tree, slots }
    }
}

impl Drop for World {
    fn drop(&mut self) {
        self.slots.clear();
        if std::fs::remove_dir_all(&self.root_path).is_err() {
            open_up(&self.root_path);
            let _ = std::fs::remove_dir_all(&self.root_path);
        }
    }
}

/// The contents of the file behind slot fd `raw`: read through a new read-only open of
/// `/proc/self/fd/N` (the slot may be write-only, or `O_PATH`).
fn slot_contents(raw: RawFd, size: i64, scratch: &mut [u8]) -> Result<u64, i32> {
    let path = CString::new(format!("/proc/self/fd/{raw}")).unwrap();
    let fd = unsafe { libc::open64(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(errno());
    }
    let hash = file_hash(fd, size, scratch);
    unsafe { libc::close(fd) };
    hash
}

/// libc's call on one path; a NUL inside is barecall's `EINVAL`.
fn lc_path(bytes: &[u8], call: impl FnOnce(*const libc::c_char) -> c_int) -> Ret {
    match c_path(bytes) {
        Ok(p) => lc_unit(call(p.as_ptr())),
        Err(e) => Ret::Err(e),
    }
}

fn lc_paths(
    a: &[u8],
    b: &[u8],
    call: impl FnOnce(*const libc::c_char, *const libc::c_char) -> c_int,
) -> Ret {
    match (c_path(a), c_path(b)) {
        (Ok(a), Ok(b)) => lc_unit(call(a.as_ptr(), b.as_ptr())),
        (Err(e), _) | (_, Err(e)) => Ret::Err(e),
    }
}

/// Deliberate difference: barecall's `chmodat` is rustix's, which has only `fchmodat` (no
/// flags argument) and so refuses `AT_SYMLINK_NOFOLLOW` with `EOPNOTSUPP`, and any other flag
/// with `EINVAL`, before the call; glibc emulates `AT_SYMLINK_NOFOLLOW` (through `O_PATH` and
/// `/proc`) and hands other flags to `fchmodat2`. libc is asked only without flags.
fn libc_chmodat(dirfd: RawFd, bytes: &[u8], mode: Mode, flags: AtFlags) -> Ret {
    let path = match c_path(bytes) {
        Ok(path) => path,
        Err(e) => return Ret::Err(e),
    };
    if flags.bits() == libc::AT_SYMLINK_NOFOLLOW as u32 {
        Ret::Err(libc::EOPNOTSUPP)
    } else if !flags.is_empty() {
        Ret::Err(libc::EINVAL)
    } else {
        lc_unit(unsafe { libc::fchmodat(dirfd, path.as_ptr(), mode.bits(), 0) })
    }
}

fn timestamps(times: Times) -> Timestamps {
    let spec = |(sec, nsec): (i64, i64)| Timespec {
        tv_sec: sec,
        tv_nsec: nsec as _,
    };
    Timestamps {
        last_access: spec(times[0]),
        last_modification: spec(times[1]),
    }
}

/// libc's `utimensat`: on 32-bit targets, where the libc crate's `timespec` has a 32-bit
/// `time_t`, the `utimensat_time64` system call through `libc::syscall`.
fn lc_utimensat(dirfd: RawFd, path: *const libc::c_char, times: Times, flags: c_int) -> c_int {
    #[cfg(target_pointer_width = "64")]
    {
        let mut spec: [libc::timespec; 2] = unsafe { std::mem::zeroed() };
        for (spec, (sec, nsec)) in spec.iter_mut().zip(times) {
            spec.tv_sec = sec;
            spec.tv_nsec = nsec;
        }
        unsafe { libc::utimensat(dirfd, path, spec.as_ptr(), flags) }
    }
    #[cfg(target_pointer_width = "32")]
    {
        const SYS_UTIMENSAT_TIME64: libc::c_long = 412;
        let spec: [i64; 4] = [times[0].0, times[0].1, times[1].0, times[1].1];
        unsafe { libc::syscall(SYS_UTIMENSAT_TIME64, dirfd, path, spec.as_ptr(), flags) as c_int }
    }
}

/// The kernel's `futimens`: `utimensat` (`utimensat_time64` on 32-bit targets) with no path,
/// through `libc::syscall`. Deliberate difference: glibc's `futimens` refuses a negative fd with
/// `EBADF` before the call, but the kernel, and barecall, succeed without looking at the fd
/// when both times are `UTIME_OMIT`. (glibc's `utimensat` refuses a null path.)
fn lc_futimens(fd: RawFd, times: Times) -> c_int {
    #[cfg(target_pointer_width = "64")]
    {
        let mut spec: [libc::timespec; 2] = unsafe { std::mem::zeroed() };
        for (spec, (sec, nsec)) in spec.iter_mut().zip(times) {
            spec.tv_sec = sec;
            spec.tv_nsec = nsec;
        }
        let null = std::ptr::null::<libc::c_char>();
        unsafe { libc::syscall(libc::SYS_utimensat, fd, null, spec.as_ptr(), 0) as c_int }
    }
    #[cfg(target_pointer_width = "32")]
    {
        lc_utimensat(fd, std::ptr::null(), times, 0)
    }
}

/// After a `utimensat`/`futimens` that succeeded, the times it set explicitly, read back.
fn times_read_back(ret: Ret, times: Times, read: impl FnOnce() -> Result<libc::statx, i32>) -> Ret {
    let explicit = |(_, nsec): (i64, i64)| nsec != UTIME_NOW && nsec != UTIME_OMIT;
    if ret != Ret::Done || !explicit(times[0]) && !explicit(times[1]) {
        return ret;
    }
    match read() {
        Ok(stx) => Ret::Times(
            explicit(times[0]).then_some((stx.stx_atime.tv_sec, i64::from(stx.stx_atime.tv_nsec))),
            explicit(times[1]).then_some((stx.stx_mtime.tv_sec, i64::from(stx.stx_mtime.tv_nsec))),
        ),
        Err(e) => Ret::Broken(format!("the times set could not be read back: errno {e}")),
    }
}

/// libc's listing of the directory `raw` as `Dir::read_from` (rustix's) reads it: a new open
/// of `.` from `raw` with `raw`'s own status flags (`F_GETFL`), so an `O_PATH` fd gives an
/// `O_PATH` stream, whose reads are `EBADF`.
fn libc_dir_read_from(raw: RawFd) -> Result<Listing, i32> {
    match unsafe { libc::fcntl(raw, libc::F_GETFL) } {
        -1 => Err(errno()),
        flags => lc_listing(raw, flags),
    }
}

/// barecall's `Dir` listing of the directory `raw`, as a set.
fn bc_listing(raw: RawFd) -> Result<Listing, i32> {
    let mut dir = Dir::read_from(borrow(raw)).map_err(|e| e.raw_os_error())?;
    let mut out = Listing::new();
    while let Some(entry) = dir.read() {
        let entry = entry.map_err(|e| e.raw_os_error())?;
        out.insert((
            entry.file_name().to_string_lossy().into_owned(),
            kind_of_file_type(entry.file_type()),
        ));
    }
    Ok(out)
}

// ---- Episodes --------------------------------------------------------------------------------

struct Mismatch {
    index: usize,
    what: String,
}

struct Episode {
    outcomes: Vec<Ret>,
    /// Per function: the calls compared that succeeded, and those that failed.
    compared: BTreeMap<&'static str, (usize, usize)>,
}

impl Episode {
    fn compared(&self) -> usize {
        self.compared.values().map(|(ok, err)| ok + err).sum()
    }
}

fn compare_states(a: &State, b: &State) -> Option<String> {
    for (i, (x, y)) in a.slots.iter().zip(&b.slots).enumerate() {
        if x != y {
            return Some(format!(
                "slot {i} afterwards:\n    barecall: {x:?}\n    libc:     {y:?}"
            ));
        }
    }
    let names: BTreeSet<&String> = a.tree.keys().chain(b.tree.keys()).collect();
    for name in names {
        let (x, y) = (a.tree.get(name), b.tree.get(name));
        if x != y {
            return Some(format!(
                "tree entry {name:?} afterwards:\n    barecall: {x:?}\n    libc:     {y:?}"
            ));
        }
    }
    None
}

/// The episode number of the next pair of roots: every run of an episode, shrinking
/// included, gets fresh ones.
static ROOTS: AtomicUsize = AtomicUsize::new(0);

/// Runs `ops` in fresh twin worlds; stops at the first difference.
fn run_episode(ops: &[Op], dir: &std::path::Path) -> Result<Episode, Mismatch> {
    let n = ROOTS.fetch_add(1, Ordering::Relaxed);
    let name = |side: char| {
        dir.join(format!(
            "barecall-fs-differential-{}-{n}-{side}",
            std::process::id()
        ))
    };
    let mut ours = World::new(Side::Barecall, name('b'));
    let mut theirs = World::new(Side::Libc, name('l'));
    let mut outcomes = Vec::with_capacity(ops.len());
    let mut compared = BTreeMap::new();
    for (index, op) in ops.iter().enumerate() {
        let (a, b) = (ours.exec(op), theirs.exec(op));
        // A `&str` or `&[u8]` path of `PATH_MAX` bytes or more is barecall's `NAMETOOLONG`
        // before the call, documented; the kernel says so only when it reaches that path, and
        // a two-path call (`linkat`, `renameat2`) checks the other path and the dirfds first.
        // libc's call must fail all the same (and change nothing: the states are compared).
        let refused_long = op
            .paths()
            .iter()
            .any(|path| path.too_long() && path.form != Form::CStr);
        if refused_long && matches!(b, Ret::Err(_)) && a == Ret::Err(libc::ENAMETOOLONG) {
            // As documented: nothing to compare but the states below.
        } else if a != b {
            return Err(Mismatch {
                index,
                what: format!("barecall returned {a:?}\n    libc returned {b:?}"),
            });
        }
        let contents = op.writes();
        if let Some(what) = compare_states(&ours.state(contents), &theirs.state(contents)) {
            return Err(Mismatch { index, what });
        }
        if a != Ret::Skipped {
            let (ok, err) = compared.entry(op.function()).or_insert((0, 0));
            match a {
                Ret::Err(_) | Ret::Read(Err(_), _) | Ret::Copied(Err(_), ..) => *err += 1,
                _ => *ok += 1,
            }
        }
        outcomes.push(a);
    }
    // The end of the episode: every file's contents, whatever the last operation was.
    if let Some(what) = compare_states(&ours.state(true), &theirs.state(true)) {
        return Err(Mismatch {
            index: ops.len().saturating_sub(1),
            what: format!("at the end of the episode, {what}"),
        });
    }
    Ok(Episode { outcomes, compared })
}

/// Drops operations while the sequence still fails; returns the shortest failing sequence.
fn shrink(mut ops: Vec<Op>, mut mismatch: Mismatch, dir: &std::path::Path) -> (Vec<Op>, Mismatch) {
    ops.truncate(mismatch.index + 1);
    loop {
        let mut shrunk = false;
        let mut i = ops.len();
        while i > 0 {
            i -= 1;
            if i >= ops.len() {
                continue;
            }
            let mut candidate = ops.clone();
            candidate.remove(i);
            if let Err(found) = run_episode(&candidate, dir) {
                candidate.truncate(found.index + 1);
                ops = candidate;
                mismatch = found;
                shrunk = true;
            }
        }
        if !shrunk {
            return (ops, mismatch);
        }
    }
}

fn report(ops: &[Op], mismatch: &Mismatch, context: &str) -> String {
    let mut text = format!(
        "barecall and libc differ ({context}); shortest failing sequence, {} operation{}:\n",
        ops.len(),
        if ops.len() == 1 { "" } else { "s" }
    );
    for (i, op) in ops.iter().enumerate() {
        let _ = writeln!(text, "  {i:3}: {op:?}");
    }
    let _ = write!(text, "at operation {}: {}", mismatch.index, mismatch.what);
    text
}

/// Runs fixed cases: each operation with, optionally, barecall's expected result.
fn run_cases(cases: &[(Op, Option<Ret>)]) -> usize {
    let dir = scratch_dir();
    let ops: Vec<Op> = cases.iter().map(|(op, _)| op.clone()).collect();
    let episode = match run_episode(&ops, &dir) {
        Ok(episode) => episode,
        Err(mismatch) => {
            let (short, mismatch) = shrink(ops, mismatch, &dir);
            panic!("{}", report(&short, &mismatch, "fixed cases"));
        }
    };
    for (i, ((op, expected), outcome)) in cases.iter().zip(&episode.outcomes).enumerate() {
        if let Some(expected) = expected {
            assert_eq!(outcome, expected, "case {i}: {op:?}");
        }
    }
    episode.compared()
}

#[test]
fn random_sequences_match_libc() {
    let _check = common::FdCheck::new();
    let seed = run_seed();
    let target = match std::env::var("BARECALL_FS_DIFFERENTIAL_OPS") {
        Ok(count) => count
            .parse()
            .unwrap_or_else(|_| panic!("BARECALL_FS_DIFFERENTIAL_OPS={count:?} is not a count")),
        Err(_) if common::under_qemu_user() => OPS_QEMU,
        Err(_) => OPS_NATIVE,
    };
    common::report(&format!(
        "barecall-fs-differential-seed: {seed:#x} (BARECALL_SEED={seed:#x} repeats this run)\n"
    ));
    let dir = scratch_dir();
    let mut compared = 0;
    let mut episode = 0;
    let mut by_function: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    while compared < target {
        let ops = episode_ops(seed, episode);
        match run_episode(&ops, &dir) {
            Ok(result) => {
                compared += result.compared();
                for (function, (ok, err)) in result.compared {
                    let total = by_function.entry(function).or_insert((0, 0));
                    *total = (total.0 + ok, total.1 + err);
                }
            }
            Err(mismatch) => {
                let (short, mismatch) = shrink(ops, mismatch, &dir);
                let context = format!("seed {seed:#x}, episode {episode}");
                panic!("{}", report(&short, &mismatch, &context));
            }
        }
        episode += 1;
        assert!(
            episode <= 4 * target / EPISODE_LEN + 1,
            "too few operations compared: {compared} in {episode} episodes"
        );
    }
    // `--nocapture` shows what was compared.
    println!("{compared} operations compared:");
    for (function, (ok, err)) in &by_function {
        println!("  {function:16} {ok:5} succeeded {err:5} failed, in both");
    }
    if target >= OPS_QEMU {
        for function in FUNCTIONS {
            let (ok, err) = by_function.get(function).copied().unwrap_or((0, 0));
            assert!(ok + err > 0, "{function} was never compared");
        }
    }
    common::report(&format!("barecall-fs-differential-ops: {compared}\n"));
}

// ---- Fixed cases -----------------------------------------------------------------------------

fn name(name: &'static str) -> PathArg {
    PathArg::name(name)
}

fn form(path: Path, form: Form) -> PathArg {
    PathArg { path, form }
}

#[test]
fn invalid_input_matches_libc() {
    let _check = common::FdCheck::new();
    let einval = Some(Ret::Err(libc::EINVAL));
    let ebadf = Some(Ret::Err(libc::EBADF));
    let enoent = Some(Ret::Err(libc::ENOENT));
    let enotdir = Some(Ret::Err(libc::ENOTDIR));
    let eisdir = Some(Ret::Err(libc::EISDIR));
    let eexist = Some(Ret::Err(libc::EEXIST));
    let too_long = Some(Ret::Err(libc::ENAMETOOLONG));
    let done = Some(Ret::Done);
    let new_fd = Some(Ret::NewFd { lowest_free: true });
    let nul = |s: &'static str| form(Path::Nul(s), Form::Str);
    let nul_bytes = |s: &'static str| form(Path::Nul(s), Form::Bytes);
    let long = |len: usize, f: Form| form(Path::Long(len), f);
    let flags = |bits: c_int| OFlags::from_bits_retain(o(bits));
    let mode = Mode::from_bits_retain(0o644);
    let mut cases: Vec<(Op, Option<Ret>)> = start_ops().into_iter().map(|op| (op, None)).collect();
    cases.extend([
        // Interior NULs: EINVAL, whatever the rest.
        (
            Op::OpenAt {
                dir: Base::Root,
                path: nul("a\0"),
                flags: flags(libc::O_RDONLY),
                mode,
                slot: 3,
            },
            einval.clone(),
        ),
        (
            Op::OpenAt {
                dir: Base::NotOpen(900),
                path: nul_bytes("\0"),
                flags: flags(libc::O_CREAT | libc::O_DIRECTORY),
                mode,
                slot: 3,
            },
            einval.clone(),
        ),
        (
            Op::Open {
                path: nul("a\0b"),
                flags: flags(libc::O_RDONLY),
                mode,
                slot: 3,
            },
            einval.clone(),
        ),
        (
            Op::StatAt {
                dir: Base::Root,
                path: nul("a\0"),
                flags: AtFlags::empty(),
            },
            einval.clone(),
        ),
        (Op::Stat(nul("a\0")), einval.clone()),
        (Op::Lstat(nul_bytes("s\0")), einval.clone()),
        (
            Op::Statx {
                dir: Base::Root,
                path: nul("a\0"),
                flags: AtFlags::empty(),
                mask: StatxFlags::from_bits_retain(libc::STATX_BASIC_STATS),
            },
            einval.clone(),
        ),
        (
            Op::MkdirAt {
                dir: Base::Root,
                path: nul("n\0"),
                mode,
            },
            einval.clone(),
        ),
        (
            Op::Mkdir {
                path: nul("n\0"),
                mode,
            },
            einval.clone(),
        ),
        (
            Op::UnlinkAt {
                dir: Base::Root,
                path: nul("a\0"),
                flags: AtFlags::empty(),
            },
            einval.clone(),
        ),
        (Op::Rmdir(nul("d\0")), einval.clone()),
        (
            Op::RenameAt {
                old_dir: Base::Root,
                old: name("a"),
                new_dir: Base::Root,
                new: nul("b\0"),
            },
            einval.clone(),
        ),
        (
            Op::RenameAtWith {
                old_dir: Base::Root,
                old: nul("a\0"),
                new_dir: Base::Root,
                new: name("b"),
                flags: RenameFlags::from_bits_retain(libc::RENAME_NOREPLACE),
            },
            einval.clone(),
        ),
        (
            Op::Rename {
                old: nul("a\0"),
                new: name("b"),
            },
            einval.clone(),
        ),
        (
            Op::SymlinkAt {
                target: nul("a\0b"),
                dir: Base::Root,
                path: name("t"),
            },
            einval.clone(),
        ),
        (
            Op::ReadlinkAt {
                dir: Base::Root,
                path: nul("s\0"),
            },
            einval.clone(),
        ),
        (
            Op::LinkAt {
                old_dir: Base::Root,
                old: name("a"),
                new_dir: Base::Root,
                new: nul_bytes("h\0"),
                flags: AtFlags::empty(),
            },
            einval.clone(),
        ),
        (
            Op::AccessAt {
                dir: Base::Root,
                path: nul("a\0"),
                access: Access::from_bits_retain(o(libc::F_OK)),
                flags: AtFlags::empty(),
            },
            einval.clone(),
        ),
        (
            Op::Access {
                path: nul("a\0"),
                access: Access::from_bits_retain(o(libc::F_OK)),
            },
            einval.clone(),
        ),
        (
            Op::ChmodAt {
                dir: Base::Root,
                path: nul("a\0"),
                mode,
                flags: AtFlags::empty(),
            },
            einval.clone(),
        ),
        (
            Op::UtimensAt {
                dir: Base::Root,
                path: nul("a\0"),
                times: [(1, 2), (3, 4)],
                flags: AtFlags::empty(),
            },
            einval.clone(),
        ),
        (
            Op::MemfdCreate {
                name: nul("m\0"),
                flags: MemfdFlags::empty(),
                slot: 3,
            },
            einval.clone(),
        ),
        // PATH_MAX: one byte less is the longest path (`././.../a` names `a`).
        (
            Op::StatAt {
                dir: Base::Root,
                path: long(PATH_MAX - 1, Form::Str),
                flags: AtFlags::empty(),
            },
            None,
        ),
        (
            Op::StatAt {
                dir: Base::Root,
                path: long(PATH_MAX, Form::Str),
                flags: AtFlags::empty(),
            },
            too_long.clone(),
        ),
        (
            Op::StatAt {
                dir: Base::Root,
                path: long(PATH_MAX, Form::CStr),
                flags: AtFlags::empty(),
            },
            too_long.clone(),
        ),
        (Op::Stat(long(PATH_MAX - 1, Form::Bytes)), None),
        (Op::Stat(long(PATH_MAX, Form::Bytes)), too_long.clone()),
        (
            Op::OpenAt {
                dir: Base::Cwd,
                path: long(PATH_MAX + 1, Form::Str),
                flags: flags(libc::O_RDONLY),
                mode,
                slot: 3,
            },
            too_long.clone(),
        ),
        (
            Op::OpenAt {
                dir: Base::Cwd,
                path: long(PATH_MAX - 1, Form::Str),
                flags: flags(libc::O_RDONLY),
                mode,
                slot: 3,
            },
            new_fd.clone(),
        ),
        (
            Op::SymlinkAt {
                target: long(PATH_MAX, Form::Str),
                dir: Base::Root,
                path: name("t"),
            },
            too_long.clone(),
        ),
        (
            Op::SymlinkAt {
                target: long(PATH_MAX - 1, Form::Str),
                dir: Base::Root,
                path: name("t"),
            },
            done.clone(),
        ),
        (
            Op::ReadlinkAt {
                dir: Base::Root,
                path: name("t"),
            },
            None,
        ),
        // Names of 255 and 256 bytes.
        (
            Op::MkdirAt {
                dir: Base::Root,
                path: form(Path::Component(255), Form::Str),
                mode,
            },
            done.clone(),
        ),
        (
            Op::MkdirAt {
                dir: Base::Root,
                path: form(Path::Component(256), Form::Bytes),
                mode,
            },
            too_long.clone(),
        ),
        // Closed fds and fds that were never open.
        (Op::Close(4), Some(Ret::Skipped)),
        (Op::Fstat(Fd::Slot(4)), ebadf.clone()),
        (Op::Fstat(Fd::NotOpen(i32::MAX)), ebadf.clone()),
        (
            Op::Ftruncate {
                fd: Fd::NotOpen(-2),
                len: 0,
            },
            ebadf.clone(),
        ),
        (Op::Fsync(Fd::Slot(4)), ebadf.clone()),
        (Op::ReadDir(Fd::Slot(4)), ebadf.clone()),
        (
            Op::StatAt {
                dir: Base::Slot(4),
                path: name("a"),
                flags: AtFlags::empty(),
            },
            ebadf.clone(),
        ),
        (
            Op::MkdirAt {
                dir: Base::NotOpen(1000),
                path: name("n"),
                mode,
            },
            ebadf.clone(),
        ),
        // Wrong kinds of fds and files.
        (
            Op::Write {
                fd: Fd::Root,
                len: 1,
                seed: 2,
            },
            ebadf.clone(),
        ),
        (
            Op::Read {
                fd: Fd::Root,
                len: 10,
            },
            Some(Ret::Read(Err(libc::EISDIR), Digest::of(&[FILL; 10]))),
        ),
        (
            Op::OpenAt {
                dir: Base::Slot(0),
                path: name("x"),
                flags: flags(libc::O_RDONLY),
                mode,
                slot: 3,
            },
            enotdir.clone(),
        ),
        (
            Op::OpenAt {
                dir: Base::Root,
                path: name("a"),
                flags: flags(libc::O_RDONLY | libc::O_DIRECTORY),
                mode,
                slot: 3,
            },
            enotdir.clone(),
        ),
        (
            Op::OpenAt {
                dir: Base::Root,
                path: name("d"),
                flags: flags(libc::O_WRONLY),
                mode,
                slot: 3,
            },
            eisdir.clone(),
        ),
        (
            Op::OpenAt {
                dir: Base::Root,
                path: name("a"),
                flags: flags(libc::O_CREAT | libc::O_EXCL | libc::O_RDWR),
                mode,
                slot: 3,
            },
            eexist.clone(),
        ),
        (
            Op::UnlinkAt {
                dir: Base::Root,
                path: name("d"),
                flags: AtFlags::empty(),
            },
            eisdir.clone(),
        ),
        (
            Op::UnlinkAt {
                dir: Base::Root,
                path: name("a"),
                flags: at(libc::AT_REMOVEDIR),
            },
            enotdir.clone(),
        ),
        (Op::Rmdir(name("a")), enotdir.clone()),
        (
            Op::MkdirAt {
                dir: Base::Root,
                path: name("d"),
                mode,
            },
            eexist.clone(),
        ),
        (Op::ReadDir(Fd::Slot(0)), enotdir.clone()),
        (
            Op::ReadlinkAt {
                dir: Base::Root,
                path: name("a"),
            },
            einval.clone(),
        ),
        // Names that do not exist.
        (
            Op::StatAt {
                dir: Base::Root,
                path: name("nonexistent"),
                flags: AtFlags::empty(),
            },
            enoent.clone(),
        ),
        (
            Op::OpenAt {
                dir: Base::Root,
                path: name("nonexistent/a"),
                flags: flags(libc::O_CREAT | libc::O_RDWR),
                mode,
                slot: 3,
            },
            enoent.clone(),
        ),
        (Op::Rmdir(name("nonexistent")), enoent.clone()),
        (
            Op::RenameAt {
                old_dir: Base::Root,
                old: name("nonexistent"),
                new_dir: Base::Root,
                new: name("b"),
            },
            enoent.clone(),
        ),
        // Unknown flag bits.
        (
            Op::UnlinkAt {
                dir: Base::Root,
                path: name("a"),
                flags: at(UNKNOWN_AT),
            },
            einval.clone(),
        ),
        (
            Op::RenameAtWith {
                old_dir: Base::Root,
                old: name("a"),
                new_dir: Base::Root,
                new: name("b"),
                flags: RenameFlags::from_bits_retain(1 << 10),
            },
            einval.clone(),
        ),
        (
            Op::RenameAtWith {
                old_dir: Base::Root,
                old: name("a"),
                new_dir: Base::Root,
                new: name("s"),
                flags: RenameFlags::from_bits_retain(libc::RENAME_NOREPLACE),
            },
            eexist.clone(),
        ),
        (
            Op::Statx {
                dir: Base::Root,
                path: name("a"),
                flags: AtFlags::empty(),
                mask: StatxFlags::from_bits_retain(libc::STATX__RESERVED as u32),
            },
            einval.clone(),
        ),
        (
            Op::StatAt {
                dir: Base::Root,
                path: name("a"),
                flags: at(UNKNOWN_AT),
            },
            einval.clone(),
        ),
        (
            Op::LinkAt {
                old_dir: Base::Root,
                old: name("a"),
                new_dir: Base::Root,
                new: name("h"),
                flags: at(UNKNOWN_AT),
            },
            einval.clone(),
        ),
        (
            Op::MemfdCreate {
                name: name("m"),
                flags: MemfdFlags::from_bits_retain(0x8000_0000),
                slot: 3,
            },
            einval.clone(),
        ),
        (
            Op::UtimensAt {
                dir: Base::Root,
                path: name("a"),
                times: [(1, 1_000_000_000), (3, 4)],
                flags: AtFlags::empty(),
            },
            einval.clone(),
        ),
        // Sizes past 4 GiB, sparse.
        (
            Op::Ftruncate {
                fd: Fd::Slot(0),
                len: FIVE_GIB,
            },
            done.clone(),
        ),
        (
            Op::Fstat(Fd::Slot(0)),
            Some(Ret::Stat(StatFields {
                mode: libc::S_IFREG | 0o644 & !umask(),
                nlink: 1,
                uid: unsafe { libc::getuid() },
                gid: unsafe { libc::getgid() },
                size: FIVE_GIB as i64,
            })),
        ),
        (
            Op::Pwrite {
                fd: Fd::Slot(0),
                len: 10,
                seed: 3,
                offset: FIVE_GIB + 100,
            },
            Some(Ret::Ok(10)),
        ),
        (
            Op::Pread {
                fd: Fd::Slot(0),
                len: 20,
                offset: FIVE_GIB + 95,
            },
            None,
        ),
        (
            Op::Seek {
                fd: Fd::Slot(0),
                pos: SeekFrom::Data(4096),
            },
            Some(Ret::Ok(FIVE_GIB)),
        ),
        (
            Op::Ftruncate {
                fd: Fd::Slot(0),
                len: 1 << 63,
            },
            einval.clone(),
        ),
        // Times set explicitly, past 2038 and before 1970.
        (
            Op::UtimensAt {
                dir: Base::Root,
                path: name("a"),
                times: [(1 << 33, 5), (-1, 999_999_999)],
                flags: AtFlags::empty(),
            },
            Some(Ret::Times(Some((1 << 33, 5)), Some((-1, 999_999_999)))),
        ),
        (
            Op::Futimens {
                fd: Fd::Slot(0),
                times: [(7, UTIME_OMIT), (1_700_000_000, 1)],
            },
            Some(Ret::Times(None, Some((1_700_000_000, 1)))),
        ),
    ]);
    let compared = run_cases(&cases);
    assert!(compared >= cases.len() - 1, "{compared} cases compared");
}

/// The process's umask.
fn umask() -> u32 {
    let mask = unsafe { libc::umask(0o022) };
    unsafe { libc::umask(mask) };
    mask
}
