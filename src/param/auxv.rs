//! `page_size`, `clock_ticks_per_second`, `linux_hwcap` and `linux_execfn`.
//!
//! Where the values come from, first that works:
//! 1. barecall's own entry (feature `rt`) hands them over from the initial stack before `main`;
//! 2. `prctl(PR_GET_AUXV)` (Linux 6.4), which needs no `/proc`;
//! 3. `/proc/self/auxv` (also what qemu-user emulates);
//! 4. fallbacks, documented on each function: a page size probed with `mprotect`, 100 clock
//!    ticks per second (Linux's `USER_HZ` on every supported arch), no hwcaps, and an empty
//!    executable name.
//!
//! rustix panics where step 4 would be needed; barecall does not. The values are read once
//! and kept in atomics; two threads racing to read them both store the same values.

use crate::fd::AsFd;
use crate::param::syscalls;
use core::ffi::{c_char, CStr};
use core::ptr::null_mut;
use core::sync::atomic::{AtomicPtr, AtomicU8, AtomicUsize, Ordering};

const AT_NULL: usize = 0;
const AT_PHDR: usize = 3;
const AT_PHNUM: usize = 5;
const AT_PAGESZ: usize = 6;
const AT_HWCAP: usize = 16;
const AT_CLKTCK: usize = 17;
const AT_HWCAP2: usize = 26;
const AT_EXECFN: usize = 31;

/// 0: not read yet; 1: read.
static STATE: AtomicU8 = AtomicU8::new(0);
static PAGE_SIZE: AtomicUsize = AtomicUsize::new(0);
static CLKTCK: AtomicUsize = AtomicUsize::new(0);
static HWCAP: AtomicUsize = AtomicUsize::new(0);
static HWCAP2: AtomicUsize = AtomicUsize::new(0);
static EXECFN: AtomicPtr<c_char> = AtomicPtr::new(null_mut());
static PHDR: AtomicUsize = AtomicUsize::new(0);
static PHNUM: AtomicUsize = AtomicUsize::new(0);

/// The values the program gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Values {
    page: usize,
    clktck: usize,
    hwcap: usize,
    hwcap2: usize,
    execfn: usize,
    phdr: usize,
    phnum: usize,
}

/// What the pairs say, up to `AT_NULL`, with the fallbacks for what they do not.
fn parse(pairs: impl Iterator<Item = (usize, usize)>) -> Values {
    let mut v = Values {
        page: 0,
        clktck: 0,
        hwcap: 0,
        hwcap2: 0,
        execfn: 0,
        phdr: 0,
        phnum: 0,
    };
    for (key, value) in pairs {
        match key {
            AT_NULL => break,
            AT_PAGESZ => v.page = value,
            AT_CLKTCK => v.clktck = value,
            AT_HWCAP => v.hwcap = value,
            AT_HWCAP2 => v.hwcap2 = value,
            AT_EXECFN => v.execfn = value,
            AT_PHDR => v.phdr = value,
            AT_PHNUM => v.phnum = value,
            _ => {}
        }
    }
    if v.page == 0 || !v.page.is_power_of_two() {
        v.page = syscalls::probe_page_size().unwrap_or(4096);
    }
    if v.clktck == 0 {
        v.clktck = 100;
    }
    v
}

/// Stores what the pairs say (see [`parse`]) and marks the values read.
fn store(pairs: impl Iterator<Item = (usize, usize)>) {
    let v = parse(pairs);
    PAGE_SIZE.store(v.page, Ordering::Relaxed);
    CLKTCK.store(v.clktck, Ordering::Relaxed);
    HWCAP.store(v.hwcap, Ordering::Relaxed);
    HWCAP2.store(v.hwcap2, Ordering::Relaxed);
    EXECFN.store(v.execfn as *mut c_char, Ordering::Relaxed);
    PHDR.store(v.phdr, Ordering::Relaxed);
    PHNUM.store(v.phnum, Ordering::Relaxed);
    STATE.store(1, Ordering::Release);
}

/// The kernel's initial stack pointer, when barecall's entry (feature `rt`) ran: the values are
/// read from it on first use, so that the entry itself only stores one pointer (and programs
/// that never ask for a value carry none of the parsing).
#[cfg(feature = "rt")]
static INITIAL_STACK: AtomicPtr<usize> = AtomicPtr::new(null_mut());

/// Called by barecall's entry with the kernel's initial stack, before `main`.
#[cfg(feature = "rt")]
#[inline(always)]
pub(crate) fn init_from_initial_stack(sp: *const usize) {
    INITIAL_STACK.store(sp.cast_mut(), Ordering::Relaxed);
}

/// The `(key, value)` pairs in `bytes`, native-endian words.
fn pairs(bytes: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    const WORD: usize = core::mem::size_of::<usize>();
    bytes.chunks_exact(2 * WORD).map(|pair| {
        let mut key = [0; WORD];
        let mut value = [0; WORD];
        key.copy_from_slice(&pair[..WORD]);
        value.copy_from_slice(&pair[WORD..]);
        (usize::from_ne_bytes(key), usize::from_ne_bytes(value))
    })
}

/// The auxiliary vector through `PR_GET_AUXV`: the bytes read into `buf`.
fn read_prctl(buf: &mut [u8]) -> Option<usize> {
    syscalls::prctl_get_auxv(buf)
        .ok()
        .map(|len| len.min(buf.len()))
}

/// The auxiliary vector from `/proc/self/auxv`: the bytes read into `buf`.
fn read_proc(buf: &mut [u8]) -> Option<usize> {
    let file = syscalls::open_readonly(c"/proc/self/auxv").ok()?;
    let mut filled = 0;
    while filled < buf.len() {
        match syscalls::read(file.as_fd(), &mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(crate::errno::Errno::INTR) => continue,
            Err(_) => break,
        }
    }
    Some(filled)
}

#[cold]
#[inline(never)]
fn init() {
    #[cfg(feature = "rt")]
    {
        let sp = INITIAL_STACK.load(Ordering::Relaxed);
        if !sp.is_null() {
            // SAFETY: only barecall's entry stores a pointer here, the kernel's initial stack
            // pointer, which `_start` passes on and which stays valid for the whole process.
            let startup = unsafe { crate::rt::Startup::from_initial_stack(sp) };
            return store(startup.auxv());
        }
    }
    // Linux gives ~25 entries; 1024 bytes hold 64 on 64-bit arches, 128 on 32-bit arm.
    let mut buf = [0u8; 1024];
    match read_prctl(&mut buf).or_else(|| read_proc(&mut buf)) {
        Some(len) => store(pairs(&buf[..len])),
        None => store(core::iter::empty()),
    }
}

#[inline]
fn ensure() {
    if STATE.load(Ordering::Acquire) == 0 {
        init();
    }
}

/// `getpagesize()`—The page size, from the auxiliary vector's `AT_PAGESZ`.
///
/// Never 0. Without the auxiliary vector (barecall's entry not used, no `PR_GET_AUXV` before
/// Linux 6.4, no `/proc`), it is found by trying `mprotect` at growing alignments; 4096 only if
/// even that fails. rustix panics there instead.
///
/// # References
///  - [Linux `getpagesize(2)`](https://man7.org/linux/man-pages/man2/getpagesize.2.html)
///  - [Linux `getauxval(3)`](https://man7.org/linux/man-pages/man3/getauxval.3.html)
#[inline]
#[doc(alias = "getpagesize")]
pub fn page_size() -> usize {
    ensure();
    PAGE_SIZE.load(Ordering::Relaxed)
}

/// `getauxval(AT_CLKTCK)`—Clock ticks per second, the unit of `times(2)` and
/// `/proc/<pid>/stat`'s times.
///
/// Without the auxiliary vector (see [`page_size`]), 100: Linux's `USER_HZ` on every
/// architecture barecall supports. rustix panics there instead.
///
/// # References
///  - [Linux `getauxval(3)`](https://man7.org/linux/man-pages/man3/getauxval.3.html)
#[inline]
pub fn clock_ticks_per_second() -> u64 {
    ensure();
    CLKTCK.load(Ordering::Relaxed) as u64
}

/// `(getauxval(AT_HWCAP), getauxval(AT_HWCAP2))`—The hardware capability bits the kernel
/// reports, each 0 if absent.
///
/// Without the auxiliary vector (see [`page_size`]), `(0, 0)`. rustix panics there instead.
///
/// # References
///  - [Linux `getauxval(3)`](https://man7.org/linux/man-pages/man3/getauxval.3.html)
#[inline]
pub fn linux_hwcap() -> (usize, usize) {
    ensure();
    (
        HWCAP.load(Ordering::Relaxed),
        HWCAP2.load(Ordering::Relaxed),
    )
}

/// `getauxval(AT_EXECFN)`—The path the program was executed by, as given to `execve`.
///
/// Empty if the kernel gave none or without the auxiliary vector (see [`page_size`]). rustix
/// panics there instead.
///
/// # References
///  - [Linux `getauxval(3)`](https://man7.org/linux/man-pages/man3/getauxval.3.html)
#[inline]
pub fn linux_execfn() -> &'static CStr {
    ensure();
    let execfn = EXECFN.load(Ordering::Relaxed);
    if execfn.is_null() {
        c""
    } else {
        // SAFETY: AT_EXECFN points at a NUL-terminated string on the initial stack, which
        // lives, unchanged, for the life of the process.
        unsafe { CStr::from_ptr(execfn) }
    }
}

/// `(getauxval(AT_PHDR), getauxval(AT_PHNUM))`: where the program's headers are in memory,
/// and how many; `(0, 0)` without the auxiliary vector (see [`page_size`]). For the TLS
/// template (`thread`).
#[cfg(feature = "thread")]
pub(crate) fn program_headers() -> (usize, usize) {
    ensure();
    (PHDR.load(Ordering::Relaxed), PHNUM.load(Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(buf: &[u8], key: usize) -> Option<usize> {
        pairs(buf).find(|&(k, _)| k == key).map(|(_, v)| v)
    }

    #[test]
    fn parse_reads_an_initial_stack() {
        let name = c"/bin/x";
        // argc 1, argv[0], null; one environment string, null; the auxiliary vector.
        let stack: [usize; 22] = [
            1,
            name.as_ptr() as usize,
            0,
            name.as_ptr() as usize,
            0,
            AT_HWCAP,
            0xabc,
            AT_PAGESZ,
            16384,
            AT_CLKTCK,
            250,
            AT_HWCAP2,
            3,
            AT_EXECFN,
            name.as_ptr() as usize,
            AT_PHDR,
            0x40_0040,
            AT_PHNUM,
            9,
            AT_NULL,
            0,
            AT_PAGESZ,
        ];
        // SAFETY: laid out as the kernel lays out the initial stack, and it outlives the use.
        let startup = unsafe { crate::rt::Startup::from_initial_stack(stack.as_ptr()) };
        let v = parse(startup.auxv());
        assert_eq!(
            v,
            Values {
                page: 16384,
                clktck: 250,
                hwcap: 0xabc,
                hwcap2: 3,
                execfn: name.as_ptr() as usize,
                phdr: 0x40_0040,
                phnum: 9,
            }
        );
    }

    /// The fallbacks probe the page size with `mprotect`: system calls, which Miri cannot make.
    #[test]
    #[cfg_attr(miri, ignore)]
    fn parse_falls_back_where_nothing_is_said() {
        // Nothing said: the fallbacks. The probed page size is the real one.
        // SAFETY: sysconf reads no memory of ours.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize;
        let v = parse(core::iter::empty());
        assert_eq!(
            v,
            Values {
                page,
                clktck: 100,
                hwcap: 0,
                hwcap2: 0,
                execfn: 0,
                phdr: 0,
                phnum: 0,
            }
        );
        // A page size that is not a power of two is not believed.
        assert_eq!(parse([(AT_PAGESZ, 3000)].into_iter()).page, page);
    }

    #[test]
    #[cfg_attr(miri, ignore)] // makes system calls, which Miri cannot run
    fn every_source_agrees() {
        // SAFETY: sysconf reads no memory of ours.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize;
        assert_eq!(syscalls::probe_page_size(), Some(page));
        let mut a = [0u8; 1024];
        let mut b = [0u8; 1024];
        let from_prctl = read_prctl(&mut a).map(|len| find(&a[..len], AT_PAGESZ));
        let from_proc = read_proc(&mut b).map(|len| find(&b[..len], AT_PAGESZ));
        // Each source that exists here (prctl needs Linux 6.4, proc a mounted /proc) says the
        // same page size.
        for found in [from_prctl, from_proc].into_iter().flatten() {
            assert_eq!(found, Some(page));
        }
        assert!(from_prctl.is_some() || from_proc.is_some());
        assert_eq!(page_size(), page);
    }
}
