//! The mappings of joined threads (guard page, stack, control block, TLS), kept for the next
//! [`spawn_raw`](super::spawn_raw) of the same size instead of unmapped: a spawn then makes no
//! `mmap`, `mprotect` or `munmap`, and its stack's first pages are already faulted in. glibc
//! keeps a cache of its own (up to 40 MiB); this one holds up to [`CACHED_STACKS`] mappings, and
//! [`free_cached_stacks`] gives them back.

use crate::sync::Mutex;
use core::ffi::c_void;

/// How many joined threads' mappings are kept: the threads one batch of eight leaves.
pub const CACHED_STACKS: usize = 8;

/// `(address, length)` of each kept mapping; `len` of them are in use.
struct Cache {
    maps: [(usize, usize); CACHED_STACKS],
    len: usize,
}

static CACHE: Mutex<Cache> = Mutex::new(Cache {
    maps: [(0, 0); CACHED_STACKS],
    len: 0,
});

/// A kept mapping of exactly `len` bytes, now the caller's, if there is one.
pub(crate) fn take(len: usize) -> Option<*mut c_void> {
    let mut cache = CACHE.lock();
    let used = cache.len;
    let i = cache.maps[..used].iter().position(|&(_, l)| l == len)?;
    let (map, _) = cache.maps[i];
    cache.maps[i] = cache.maps[used - 1];
    cache.len = used - 1;
    Some(map as *mut c_void)
}

/// Keeps the mapping at `map`, `len` bytes, for a later [`take`], or unmaps it if the cache is
/// full.
///
/// # Safety
///
/// The caller owns the mapping (a thread's, whose thread has ended), and nothing uses it.
pub(crate) unsafe fn give_back(map: *mut c_void, len: usize) {
    {
        let mut cache = CACHE.lock();
        let used = cache.len;
        if used < CACHED_STACKS {
            cache.maps[used] = (map as usize, len);
            cache.len = used + 1;
            return;
        }
    }
    // SAFETY: per this function's contract.
    let _ = unsafe { crate::mm::syscalls::munmap(map, len) };
}

/// Unmaps the mappings that joined threads left for reuse (see the module docs); returns how
/// many. Later spawns map fresh stacks until the cache fills again.
///
/// # References
///  - [Linux `munmap(2)`](https://man7.org/linux/man-pages/man2/munmap.2.html)
pub fn free_cached_stacks() -> usize {
    let mut cache = CACHE.lock();
    let used = cache.len;
    for &(map, len) in &cache.maps[..used] {
        // SAFETY: a mapping in the cache belongs to the cache alone: its thread has ended and
        // no spawn has taken it.
        let _ = unsafe { crate::mm::syscalls::munmap(map as *mut c_void, len) };
    }
    cache.len = 0;
    used
}
