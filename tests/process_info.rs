//! The process module's information calls, against libc: IDs, resource limits, the file
//! creation mask and the working directory.
//!
//! The mask, the limits and the working directory belong to the whole process; every test
//! holds the binary's fd lock (`FdCheck`), so none runs while another changes them.

mod common;

use barecall::fs::Mode;
use barecall::io::{self, Errno};
use barecall::process::{
    self, chdir, fchdir, getcwd, getrlimit, prlimit, setrlimit, Pid, Resource, Rlimit,
};
use std::ffi::CString;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

fn closed_fd() -> BorrowedFd<'static> {
    assert!(!common::is_open(900));
    unsafe { BorrowedFd::borrow_raw(900) }
}

// ---- IDs -----------------------------------------------------------------------------------

#[test]
fn ids_are_libcs() {
    let _check = common::FdCheck::new();
    assert_eq!(process::getpid().as_raw_pid(), unsafe { libc::getpid() });
    assert_eq!(process::getpid().as_raw_pid() as u32, std::process::id());
    assert_eq!(Pid::as_raw(process::getppid()), unsafe { libc::getppid() });
    assert_eq!(process::getuid().as_raw(), unsafe { libc::getuid() });
    assert_eq!(process::geteuid().as_raw(), unsafe { libc::geteuid() });
    assert_eq!(process::getgid().as_raw(), unsafe { libc::getgid() });
    assert_eq!(process::getegid().as_raw(), unsafe { libc::getegid() });
    assert!(!process::getpid().is_init() || process::getppid().is_none());
}

#[test]
fn a_childs_parent_is_this_process() {
    let _check = common::FdCheck::new();
    let me = process::getpid();
    // SAFETY: the child makes only raw system calls and exits.
    let child = unsafe { libc::fork() };
    assert!(child >= 0, "fork failed");
    if child == 0 {
        let ok =
            process::getppid() == Some(me) && process::getpid().as_raw_pid() != me.as_raw_pid();
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    let mut status = 0;
    assert_eq!(unsafe { libc::waitpid(child, &mut status, 0) }, child);
    assert_eq!(status, 0, "the child saw another parent");
}

#[test]
fn pid_from_child_is_the_childs_id() {
    let _check = common::FdCheck::new();
    // This test binary itself, asked to run no test: the real-kernel tier has no /bin/sh (nor
    // /proc for `current_exe`), but argv[0] is a path to it everywhere.
    let this = std::env::args_os().next().expect("argv[0]");
    let mut child = std::process::Command::new(this)
        .args(["--exact", "no test has this name"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = Pid::from_child(&child);
    assert_eq!(pid.as_raw_pid() as u32, child.id());
    assert_eq!(pid.as_raw_nonzero().get(), pid.as_raw_pid());
    // Reaped, whatever its status: under qemu-user the child is a foreign binary that only
    // a binfmt handler would run, and what is checked here is its pid.
    child.wait().unwrap();
}

// ---- Resource limits -----------------------------------------------------------------------

const RESOURCES: [(Resource, u32); 16] = [
    (Resource::Cpu, libc::RLIMIT_CPU),
    (Resource::Fsize, libc::RLIMIT_FSIZE),
    (Resource::Data, libc::RLIMIT_DATA),
    (Resource::Stack, libc::RLIMIT_STACK),
    (Resource::Core, libc::RLIMIT_CORE),
    (Resource::Rss, libc::RLIMIT_RSS),
    (Resource::Nproc, libc::RLIMIT_NPROC),
    (Resource::Nofile, libc::RLIMIT_NOFILE),
    (Resource::Memlock, libc::RLIMIT_MEMLOCK),
    (Resource::As, libc::RLIMIT_AS),
    (Resource::Locks, libc::RLIMIT_LOCKS),
    (Resource::Sigpending, libc::RLIMIT_SIGPENDING),
    (Resource::Msgqueue, libc::RLIMIT_MSGQUEUE),
    (Resource::Nice, libc::RLIMIT_NICE),
    (Resource::Rtprio, libc::RLIMIT_RTPRIO),
    (Resource::Rttime, libc::RLIMIT_RTTIME),
];

/// libc's `getrlimit64`, with `RLIM64_INFINITY` as `None`.
fn libc_getrlimit(resource: u32) -> Rlimit {
    let mut limit = libc::rlimit64 {
        rlim_cur: 0,
        rlim_max: 0,
    };
    assert_eq!(unsafe { libc::getrlimit64(resource as _, &mut limit) }, 0);
    let value = |v| (v != libc::RLIM64_INFINITY).then_some(v);
    Rlimit {
        current: value(limit.rlim_cur),
        maximum: value(limit.rlim_max),
    }
}

#[test]
fn getrlimit_is_libcs_for_every_resource() {
    let _check = common::FdCheck::new();
    for (resource, number) in RESOURCES {
        assert_eq!(resource as u32, number);
        assert_eq!(getrlimit(resource), libc_getrlimit(number), "{resource:?}");
    }
}

/// Puts a resource's limits back when dropped, test failure or not.
struct Restore(Resource, Rlimit);

impl Drop for Restore {
    fn drop(&mut self) {
        setrlimit(self.0, self.1).expect("restore the limit");
    }
}

#[test]
fn setrlimit_lowers_nofile_and_it_applies() {
    let _check = common::FdCheck::new();
    let old = getrlimit(Resource::Nofile);
    let _restore = Restore(Resource::Nofile, old);
    let lower = old.current.unwrap_or(1 << 20).min(1024) - 10;
    let new = Rlimit {
        current: Some(lower),
        maximum: old.maximum,
    };
    assert_eq!(setrlimit(Resource::Nofile, new), Ok(()));
    assert_eq!(getrlimit(Resource::Nofile), new);
    assert_eq!(libc_getrlimit(libc::RLIMIT_NOFILE), new);
    // The kernel enforces it: no fd at or above the limit.
    let file = common::scratch_file();
    let at_limit = io::fcntl_dupfd_cloexec(&file, lower as i32);
    assert_eq!(at_limit.err(), Some(Errno::INVAL));
    let below = io::fcntl_dupfd_cloexec(&file, lower as i32 - 1).unwrap();
    assert_eq!(below.as_raw_fd(), lower as i32 - 1);
}

#[test]
fn setrlimit_errors_are_the_kernels() {
    let _check = common::FdCheck::new();
    let old = getrlimit(Resource::Nofile);
    let _restore = Restore(Resource::Nofile, old);
    let max = old.maximum.expect("a finite hard NOFILE limit");
    // The soft limit above the hard one.
    let inverted = Rlimit {
        current: Some(max),
        maximum: Some(max - 1),
    };
    assert_eq!(setrlimit(Resource::Nofile, inverted), Err(Errno::INVAL));
    // A hard NOFILE limit above `nr_open` is refused to everyone, root included.
    let nr_open: u64 = std::fs::read_to_string("/proc/sys/fs/nr_open")
        .expect("/proc/sys/fs/nr_open")
        .trim()
        .parse()
        .unwrap();
    let beyond = Rlimit {
        current: old.current,
        maximum: Some(nr_open + 1),
    };
    assert_eq!(setrlimit(Resource::Nofile, beyond), Err(Errno::PERM));
    assert_eq!(getrlimit(Resource::Nofile), old);
}

/// Whether this process has `CAP_SYS_RESOURCE` (bit 24 of `CapEff` in /proc/self/status).
fn has_cap_sys_resource() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let caps = status
        .lines()
        .find_map(|line| line.strip_prefix("CapEff:"))
        .expect("CapEff");
    u64::from_str_radix(caps.trim(), 16).unwrap() & (1 << 24) != 0
}

#[test]
fn raising_a_hard_limit_needs_cap_sys_resource() {
    let _check = common::FdCheck::new();
    let old = getrlimit(Resource::Nofile);
    let max = old.maximum.expect("a finite hard NOFILE limit");
    let expected = if has_cap_sys_resource() {
        Ok(())
    } else {
        Err(Errno::PERM)
    };
    // In a child: without the capability, a lowered hard limit stays lowered.
    // SAFETY: the child makes only raw system calls and exits.
    let child = unsafe { libc::fork() };
    assert!(child >= 0, "fork failed");
    if child == 0 {
        let lowered = Rlimit {
            current: old.current.map(|c| c.min(max - 1)),
            maximum: Some(max - 1),
        };
        let code = if setrlimit(Resource::Nofile, lowered).is_err() {
            1
        } else if setrlimit(Resource::Nofile, old) != expected {
            2
        } else {
            0
        };
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    assert_eq!(unsafe { libc::waitpid(child, &mut status, 0) }, child);
    assert_eq!(status, 0, "expected {expected:?}");
}

#[test]
fn prlimit_swaps_limits_of_this_process_by_none_and_by_pid() {
    let _check = common::FdCheck::new();
    let old = getrlimit(Resource::Nofile);
    let _restore = Restore(Resource::Nofile, old);
    let first = Rlimit {
        current: Some(200),
        maximum: old.maximum,
    };
    let second = Rlimit {
        current: Some(300),
        maximum: old.maximum,
    };
    assert_eq!(prlimit(None, Resource::Nofile, first), Ok(old));
    assert_eq!(getrlimit(Resource::Nofile), first);
    let me = Some(process::getpid());
    assert_eq!(prlimit(me, Resource::Nofile, second), Ok(first));
    assert_eq!(libc_getrlimit(libc::RLIMIT_NOFILE), second);
    assert_eq!(prlimit(me, Resource::Nofile, old), Ok(second));
    // No such process: pid_max is at most 2^22.
    let nobody = Pid::from_raw(i32::MAX);
    assert_eq!(prlimit(nobody, Resource::Nofile, old), Err(Errno::SRCH));
    assert_eq!(
        prlimit(
            None,
            Resource::Nofile,
            Rlimit {
                current: Some(2),
                maximum: Some(1)
            }
        ),
        Err(Errno::INVAL)
    );
    assert_eq!(getrlimit(Resource::Nofile), old);
}

#[test]
fn unlimited_is_none() {
    let _check = common::FdCheck::new();
    // Set a soft limit to "unlimited" where the hard one is, and back.
    for (resource, number) in RESOURCES {
        let old = getrlimit(resource);
        if old.maximum.is_some() || old.current.is_none() {
            continue;
        }
        let _restore = Restore(resource, old);
        let unlimited = Rlimit {
            current: None,
            maximum: None,
        };
        assert_eq!(setrlimit(resource, unlimited), Ok(()), "{resource:?}");
        let mut raw = libc::rlimit64 {
            rlim_cur: 0,
            rlim_max: 0,
        };
        assert_eq!(unsafe { libc::getrlimit64(number as _, &mut raw) }, 0);
        if common::under_qemu_user() && raw.rlim_cur != libc::RLIM64_INFINITY {
            // qemu-user keeps the stack, data and address-space limits of its own.
            assert!(matches!(
                resource,
                Resource::Stack | Resource::Data | Resource::As
            ));
            common::skip(
                &format!("process_info::unlimited_is_none ({resource:?})"),
                "qemu-user does not pass this limit on to the kernel",
            );
            continue;
        }
        assert_eq!(raw.rlim_cur, libc::RLIM64_INFINITY, "{resource:?}");
        assert_eq!(getrlimit(resource), unlimited);
    }
}

// ---- umask ---------------------------------------------------------------------------------

#[test]
fn umask_swaps_the_mask_and_keeps_only_permission_bits() {
    let _check = common::FdCheck::new();
    let original = process::umask(Mode::from_bits_retain(0o027));
    assert_eq!(unsafe { libc::umask(0o077) }, 0o027);
    assert_eq!(process::umask(Mode::RWXG | Mode::RWXO).bits(), 0o077);
    assert_eq!(process::umask(Mode::from_bits_retain(0o7777)).bits(), 0o077);
    assert_eq!(process::umask(original).bits(), 0o777);
    assert_eq!(unsafe { libc::umask(original.bits()) }, original.bits());
}

// ---- The working directory -----------------------------------------------------------------

/// Puts the working directory back when dropped, test failure or not, and removes `remove`.
struct Cwd {
    original: PathBuf,
    remove: Option<PathBuf>,
}

impl Cwd {
    fn save() -> Self {
        Self {
            original: std::env::current_dir().unwrap(),
            remove: None,
        }
    }
}

impl Drop for Cwd {
    fn drop(&mut self) {
        std::env::set_current_dir(&self.original).expect("restore the working directory");
        if let Some(dir) = &self.remove {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .canonicalize()
        .unwrap()
        .join(format!("barecall-cwd-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir(&dir).unwrap();
    dir
}

fn libc_getcwd() -> Vec<u8> {
    let mut buf = vec![0u8; 8192];
    assert!(!unsafe { libc::getcwd(buf.as_mut_ptr().cast(), buf.len()) }.is_null());
    let len = buf.iter().position(|&b| b == 0).unwrap();
    buf.truncate(len);
    buf
}

#[test]
fn chdir_and_getcwd_agree_with_libc() {
    let _check = common::FdCheck::new();
    let mut cwd = Cwd::save();
    let dir = temp_dir("plain");
    cwd.remove = Some(dir.clone());
    assert_eq!(
        getcwd(Vec::new()).unwrap().as_bytes(),
        libc_getcwd().as_slice()
    );
    assert_eq!(chdir(&dir), Ok(()));
    let got = getcwd(Vec::new()).unwrap();
    assert_eq!(got.as_bytes(), dir.as_os_str().as_bytes());
    assert_eq!(got.as_bytes(), libc_getcwd().as_slice());
    assert_eq!(std::env::current_dir().unwrap(), dir);
    // Relative paths are from the new directory.
    std::fs::create_dir("sub").unwrap();
    assert_eq!(chdir("sub"), Ok(()));
    assert_eq!(
        getcwd(Vec::new()).unwrap().as_bytes(),
        dir.join("sub").as_os_str().as_bytes()
    );
    assert_eq!(chdir(c".."), Ok(()));
    assert_eq!(
        getcwd(Vec::new()).unwrap().as_bytes(),
        dir.as_os_str().as_bytes()
    );
}

#[test]
fn getcwd_grows_its_buffer_and_reuses_the_given_one() {
    let _check = common::FdCheck::new();
    let mut cwd = Cwd::save();
    let dir = temp_dir("deep");
    cwd.remove = Some(dir.clone());
    // A path of about 1000 bytes: more than the first try's 256.
    let mut deep = dir.clone();
    while deep.as_os_str().len() < 1000 {
        deep.push("a-directory-name-of-some-length");
    }
    std::fs::create_dir_all(&deep).unwrap();
    assert_eq!(chdir(&deep), Ok(()));
    let expected = deep.as_os_str().as_bytes();
    assert_eq!(getcwd(Vec::new()).unwrap().as_bytes(), expected);
    assert_eq!(
        getcwd(Vec::new()).unwrap().as_bytes(),
        libc_getcwd().as_slice()
    );
    // What `reuse` held is dropped, and its allocation used when it is large enough.
    let reuse = b"stale contents".to_vec();
    assert_eq!(getcwd(reuse).unwrap().as_bytes(), expected);
    let big = Vec::with_capacity(4096);
    let ptr = big.as_ptr();
    let got = getcwd(big).unwrap();
    assert_eq!(got.as_bytes(), expected);
    assert_eq!(
        got.as_ptr().cast::<u8>(),
        ptr,
        "the given allocation was not reused"
    );
    assert_eq!(
        getcwd(CString::new("x").unwrap()).unwrap().as_bytes(),
        expected
    );
}

#[test]
fn getcwd_of_a_removed_directory_is_noent() {
    let _check = common::FdCheck::new();
    let mut cwd = Cwd::save();
    let dir = temp_dir("removed");
    cwd.remove = Some(dir.clone());
    assert_eq!(chdir(&dir), Ok(()));
    std::fs::remove_dir(&dir).unwrap();
    assert_eq!(getcwd(Vec::new()), Err(Errno::NOENT));
}

#[test]
fn getcwd_of_a_path_past_path_max_is_nametoolong() {
    let _check = common::FdCheck::new();
    let mut cwd = Cwd::save();
    let dir = temp_dir("long");
    cwd.remove = Some(dir.clone());
    assert_eq!(chdir(&dir), Ok(()));
    // Step by step, relative, so that no single path is too long.
    let name = "d".repeat(200);
    let mut len = dir.as_os_str().len();
    while len <= 4096 {
        std::fs::create_dir(&name).unwrap();
        assert_eq!(chdir(name.as_str()), Ok(()));
        len += 1 + name.len();
    }
    let got = getcwd(Vec::new());
    if common::under_qemu_user() && got.is_ok() {
        // qemu-user answers with the host libc's getcwd, which walks up the tree itself.
        common::skip(
            "process_info::getcwd_of_a_path_past_path_max_is_nametoolong",
            "qemu-user's getcwd finds paths past PATH_MAX",
        );
        return;
    }
    assert_eq!(got, Err(Errno::NAMETOOLONG));
}

#[test]
fn fchdir_to_a_directory_fd() {
    let _check = common::FdCheck::new();
    let mut cwd = Cwd::save();
    let dir = temp_dir("fchdir");
    cwd.remove = Some(dir.clone());
    let handle = std::fs::File::open(&dir).unwrap();
    assert_eq!(fchdir(&handle), Ok(()));
    assert_eq!(
        getcwd(Vec::new()).unwrap().as_bytes(),
        dir.as_os_str().as_bytes()
    );
    assert_eq!(libc_getcwd(), dir.as_os_str().as_bytes());
}

#[test]
fn chdir_and_fchdir_errors() {
    let _check = common::FdCheck::new();
    let mut cwd = Cwd::save();
    let dir = temp_dir("errors");
    cwd.remove = Some(dir.clone());
    let file_path = dir.join("file");
    let file = std::fs::File::create(&file_path).unwrap();
    let before = getcwd(Vec::new()).unwrap();
    assert_eq!(fchdir(&file), Err(Errno::NOTDIR));
    assert_eq!(fchdir(closed_fd()), Err(Errno::BADF));
    assert_eq!(chdir(&file_path), Err(Errno::NOTDIR));
    assert_eq!(chdir(dir.join("missing")), Err(Errno::NOENT));
    assert_eq!(chdir(&b"bad\0path"[..]), Err(Errno::INVAL));
    assert_eq!(chdir(Path::new(&"x".repeat(4096))), Err(Errno::NAMETOOLONG));
    assert_eq!(chdir(""), Err(Errno::NOENT));
    assert_eq!(
        getcwd(Vec::new()).unwrap(),
        before,
        "a failed call moved the process"
    );
}
