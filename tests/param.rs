//! `param`: every value against glibc's `getauxval`.

use barecall::param;
use std::ffi::CStr;

mod common;
use common::skip as common_skip;

/// Fails the test unless barecall can read the auxiliary vector here: `PR_GET_AUXV` (Linux
/// 6.4) or `/proc/self/auxv`, one of which every tier of this suite has (vm-init mounts /proc).
/// Without either, `param` gives its documented fallbacks, which the crate's unit tests check
/// (`param::auxv::tests`), as no test program here can take both away from itself.
fn require_auxv() {
    let mut buf = [0u8; 16];
    // SAFETY: PR_GET_AUXV writes at most `buf.len()` bytes to `buf`.
    let prctl = unsafe { libc::prctl(0x4155_5856, buf.as_mut_ptr(), buf.len(), 0, 0) };
    assert!(
        prctl >= 0 || std::fs::metadata("/proc/self/auxv").is_ok(),
        "neither PR_GET_AUXV nor /proc/self/auxv: param cannot see the auxv here"
    );
}

#[test]
fn page_size_is_getauxvals() {
    let expected = unsafe { libc::getauxval(libc::AT_PAGESZ) } as usize;
    assert_ne!(expected, 0);
    assert_eq!(param::page_size(), expected);
    assert_eq!(
        param::page_size(),
        unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize
    );
}

#[test]
fn clock_ticks_is_getauxvals() {
    require_auxv();
    let expected = unsafe { libc::getauxval(libc::AT_CLKTCK) } as u64;
    assert_ne!(expected, 0);
    assert_eq!(param::clock_ticks_per_second(), expected);
}

/// The kernel's `AT_HWCAP` and `AT_HWCAP2` from `/proc/self/auxv`, if it can be read.
fn proc_hwcap() -> Option<(usize, usize)> {
    const WORD: usize = std::mem::size_of::<usize>();
    let bytes = std::fs::read("/proc/self/auxv").ok()?;
    let word = |b: &[u8]| usize::from_ne_bytes(b.try_into().unwrap());
    let (mut hwcap, mut hwcap2) = (0, 0);
    for pair in bytes.chunks_exact(2 * WORD) {
        match word(&pair[..WORD]) as libc::c_ulong {
            libc::AT_HWCAP => hwcap = word(&pair[WORD..]),
            libc::AT_HWCAP2 => hwcap2 = word(&pair[WORD..]),
            _ => {}
        }
    }
    Some((hwcap, hwcap2))
}

#[test]
fn hwcap_is_the_kernels() {
    require_auxv();
    let hwcap2 = unsafe { libc::getauxval(libc::AT_HWCAP2) } as usize;
    if cfg!(target_arch = "x86_64") {
        // glibc's x86_64 getauxval(AT_HWCAP) is its own platform bits, not the kernel's (it
        // returned 2 where the kernel says 0x178bfbff): compare with the kernel's file.
        match proc_hwcap() {
            Some(expected) => assert_eq!(param::linux_hwcap(), expected),
            None => common_skip(
                "hwcap_is_the_kernels",
                "no /proc/self/auxv to compare AT_HWCAP with",
            ),
        }
        assert_eq!(param::linux_hwcap().1, hwcap2);
    } else {
        let hwcap = unsafe { libc::getauxval(libc::AT_HWCAP) } as usize;
        assert_eq!(param::linux_hwcap(), (hwcap, hwcap2));
    }
}

#[test]
fn execfn_is_getauxvals() {
    require_auxv();
    let raw = unsafe { libc::getauxval(libc::AT_EXECFN) } as *const libc::c_char;
    assert!(!raw.is_null());
    let expected = unsafe { CStr::from_ptr(raw) };
    assert_eq!(param::linux_execfn(), expected);
    // The same string, not a copy: the kernel's, on the initial stack.
    assert_eq!(param::linux_execfn().as_ptr(), raw);
}

#[test]
fn values_are_cached_and_stable() {
    let first = (
        param::page_size(),
        param::clock_ticks_per_second(),
        param::linux_hwcap(),
    );
    for _ in 0..100 {
        assert_eq!(
            (
                param::page_size(),
                param::clock_ticks_per_second(),
                param::linux_hwcap()
            ),
            first
        );
    }
}
