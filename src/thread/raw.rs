//! Threads without libc, at the lowest level: [`spawn_raw`] starts an `extern "C"` entry on a
//! stack of its own, and the [`RawThread`] it returns joins it or lets it free its own stack.
//! barecall's own API (rustix has no `clone`).

use crate::errno::{Errno, Result};
use crate::mm::{MapFlags, MprotectFlags, ProtFlags};
use crate::thread::futex::{self, Flags};
use crate::thread::stack_cache;
use crate::thread::Pid;
use core::ffi::c_void;
use core::mem::size_of;
use core::ptr::{null_mut, NonNull};
use core::sync::atomic::{AtomicU32, Ordering};
use linux_raw_sys::general as k;

/// The thread runs, and its [`RawThread`] will join it.
const JOINABLE: u32 = 0;
/// The thread runs, and frees its own stack when its entry returns.
const DETACHED: u32 = 1;
/// The entry returned; the thread is ending without freeing its stack, which whoever holds
/// (or held) the [`RawThread`] frees after the kernel's exit notification.
const FINISHED: u32 = 2;

/// What a thread and its [`RawThread`] share: at the top of the thread's mapping, above its
/// stack.
#[repr(C, align(16))]
struct Control {
    /// The thread's ID, written by the kernel at `clone` (`CLONE_PARENT_SETTID`) and cleared,
    /// with a futex wake, when the thread has ended (`CLONE_CHILD_CLEARTID`).
    tid: AtomicU32,
    /// [`JOINABLE`], [`DETACHED`] or [`FINISHED`].
    state: AtomicU32,
    /// The whole mapping: guard page, stack, and this block.
    map: *mut c_void,
    map_len: usize,
    entry: unsafe extern "C" fn(*mut c_void),
    arg: *mut c_void,
}

/// The flags of a thread: everything shared but the stack, the kernel told where to write the
/// ID and where to clear it. `CLONE_SETTLS` is added where the thread gets TLS of its own.
const THREAD_FLAGS: u32 = k::CLONE_VM
    | k::CLONE_FS
    | k::CLONE_FILES
    | k::CLONE_SIGHAND
    | k::CLONE_THREAD
    | k::CLONE_SYSVSEM
    | k::CLONE_PARENT_SETTID
    | k::CLONE_CHILD_CLEARTID;

/// How many times `join` looks at the thread's ID word before it sleeps on it.
const JOIN_SPINS: u32 = 1000;

/// The stack size of threads that do not ask for one: 2 MiB, as std's. Pages are mapped as
/// they are first touched, so an unused stack costs address space, not memory.
pub const DEFAULT_STACK_SIZE: usize = 2 << 20;

/// The smallest stack a thread gets, whatever it asks for: 16 KiB.
pub const MIN_STACK_SIZE: usize = 16 << 10;

/// A thread started by [`spawn_raw`]: join it ([`RawThread::join`]) or let it go
/// ([`RawThread::detach`], or drop it), and its stack is freed either way.
#[derive(Debug)]
pub struct RawThread {
    control: NonNull<Control>,
    id: Pid,
}

// SAFETY: the handle may join or detach from any thread: the shared block is only reached
// through atomics and the mapping it describes, which no thread owns.
unsafe impl Send for RawThread {}
// SAFETY: `&RawThread` only reads the thread's ID.
unsafe impl Sync for RawThread {}

/// Starts a thread that runs `entry(arg)` on a stack of `stack_size` bytes (rounded up to
/// whole pages) of its own, with a guard page below it, and returns its handle.
///
/// `clone(CLONE_VM | CLONE_THREAD | ...)` on an anonymous mapping, fresh or one a joined
/// thread of the same stack size left ([`free_cached_stacks`](super::free_cached_stacks) says
/// more); no allocator is used. When `entry` returns, the thread ends (`exit`, not
/// `exit_group`); a thread that was detached first unmaps its own stack in the same step. The thread shares the caller's signal
/// handlers, fds and working directory. Its thread-locals are its own when the main thread's
/// TLS is barecall's ([`tls::init_main_thread`](super::tls::init_main_thread), which `rt`'s
/// entry calls): a fresh copy of the program's template, in the same mapping as the stack.
/// Otherwise (a program with libc) it shares the caller's thread pointer.
///
/// A stack smaller than [`MIN_STACK_SIZE`] gets that much: the thread's first frames need room,
/// and a fault on the guard page would end the process.
///
/// Errors: `Err(NOMEM)` for a stack the kernel will not map (`RLIMIT_AS`, a size past the
/// address space, or `vm.max_map_count` reached), and the kernel's answer for a refused clone
/// (`AGAIN` for `RLIMIT_NPROC`, whatever errno a seccomp filter chose); nothing is left
/// mapped.
///
/// # Safety
///
/// The process has no libc threads runtime in it: libc (and std, over it) keeps per-thread
/// state behind the thread pointer, which a raw thread shares with the thread that made it,
/// so `entry` may call no libc function and nothing that does. A freestanding program (`rt`)
/// meets this. `entry` must be sound to call with `arg` from another thread, and must not
/// unwind.
///
/// # References
///  - [Linux `clone(2)`](https://man7.org/linux/man-pages/man2/clone.2.html)
pub unsafe fn spawn_raw(
    entry: unsafe extern "C" fn(*mut c_void),
    arg: *mut c_void,
    stack_size: usize,
) -> Result<RawThread> {
    let page = crate::param::page_size();
    let stack = stack_size
        .max(MIN_STACK_SIZE)
        .checked_next_multiple_of(page)
        .ok_or(Errno::NOMEM)?;
    // Above the stack: the block, then the thread's TLS area (if it gets one).
    let tls = crate::thread::tls::for_new_thread();
    let control_len = tls
        .map_or(Some(0), |(_, layout)| layout.size.checked_add(layout.align))
        .and_then(|len| len.checked_add(size_of::<Control>()))
        .and_then(|len| len.checked_next_multiple_of(page))
        .ok_or(Errno::NOMEM)?;
    let map_len = stack
        .checked_add(page)
        .and_then(|len| len.checked_add(control_len))
        .ok_or(Errno::NOMEM)?;
    let (map, reused) = match stack_cache::take(map_len) {
        Some(map) => (map, true),
        None => (map_stack(map_len, page)?, false),
    };
    // On failure the mapping goes back where it came from: nothing is left behind, and
    // nothing the cache held is lost.
    let unmap = |errno| {
        // SAFETY: the mapping is this call's (made or taken above), and nothing uses it.
        unsafe {
            if reused {
                stack_cache::give_back(map, map_len);
            } else {
                let _ = crate::mm::syscalls::munmap(map, map_len);
            }
        }
        errno
    };
    let top = map as usize + map_len;
    let control = (top - control_len) as *mut Control;
    // SAFETY: the block's page is in the mapping, writable and aligned (page-aligned).
    unsafe {
        control.write(Control {
            tid: AtomicU32::new(0),
            state: AtomicU32::new(JOINABLE),
            map,
            map_len,
            entry,
            arg,
        });
    }
    // The stack grows down from just below the block, 16-byte aligned as every ABI wants.
    let stack_top = control as usize;
    let (flags, tp) = match tls {
        Some((template, layout)) => {
            let area = (stack_top + size_of::<Control>()).next_multiple_of(layout.align);
            if reused {
                // SAFETY: as below; a reused area holds its last thread's values.
                unsafe { core::ptr::write_bytes(area as *mut u8, 0, layout.size) };
            }
            // SAFETY: the aligned area and its `layout.size` bytes lie in the mapping's top
            // pages (reserved above with `align` to spare), zeroed and used by nothing else.
            let tp = unsafe { template.instantiate(area, &layout) };
            (THREAD_FLAGS | k::CLONE_SETTLS, tp)
        }
        None => (THREAD_FLAGS, 0),
    };
    // SAFETY: a thread sharing this address space, told to write its ID into the block's `tid`
    // (live until the thread is joined or frees it); the stack is the mapping's, which no one
    // else uses; `thread_start` never returns, and calls only barecall (the caller vouches
    // for `entry`).
    let raw = unsafe {
        let tid = core::ptr::addr_of!((*control).tid) as usize;
        crate::raw::clone_thread(
            flags as usize,
            stack_top,
            tid,
            tp,
            tid,
            thread_start,
            control as usize,
        )
    };
    let tid = crate::conv::ret_c_int(raw).map_err(unmap)?;
    // SAFETY: clone returned the thread's ID, which is never 0.
    let id = unsafe { Pid::from_raw_unchecked(tid) };
    Ok(RawThread {
        // SAFETY: from the mapping's address, which is not null.
        control: unsafe { NonNull::new_unchecked(control) },
        id,
    })
}

/// A fresh mapping of `len` bytes for a thread, with its lowest page (of `page` bytes) a guard:
/// a stack overflow faults instead of running into other memory.
fn map_stack(len: usize, page: usize) -> Result<*mut c_void> {
    let prot = ProtFlags::READ | ProtFlags::WRITE;
    let flags = MapFlags::PRIVATE | MapFlags::NORESERVE | MapFlags::STACK;
    // SAFETY: a new mapping at an address of the kernel's choice replaces nothing.
    let map = unsafe { crate::mm::syscalls::mmap(null_mut(), len, prot, flags, None, 0)? };
    // SAFETY: the lowest page of the new mapping, which nothing uses.
    if let Err(errno) = unsafe { crate::mm::syscalls::mprotect(map, page, MprotectFlags::empty()) }
    {
        // SAFETY: the mapping was made above and nothing uses it.
        let _ = unsafe { crate::mm::syscalls::munmap(map, len) };
        return Err(errno);
    }
    Ok(map)
}

/// Where every raw thread starts, on its new stack: runs the entry, then ends the thread,
/// freeing its stack if it was detached.
unsafe extern "C" fn thread_start(control: usize) -> ! {
    let control = control as *const Control;
    // SAFETY: `spawn_raw` wrote the block before the clone, and it lives until this thread
    // has ended (its owner frees it only after the kernel's exit notification, and this
    // thread itself only at its very end).
    unsafe {
        ((*control).entry)((*control).arg);
        if (*control).state.swap(FINISHED, Ordering::AcqRel) == DETACHED {
            free_own_stack(control)
        }
    }
    crate::thread::syscalls::exit_thread()
}

/// Ends a detached thread, unmapping its own stack on the way out.
///
/// # Safety
///
/// `control` is the calling thread's block, and the thread was detached: nobody else will
/// touch the mapping.
unsafe fn free_own_stack(control: *const Control) -> ! {
    // SAFETY: the block is live until the unmap below.
    let (map, len) = unsafe { ((*control).map as usize, (*control).map_len) };
    // No signal handler may run on the stack once it is gone, and the kernel must not clear
    // an ID in memory that may by then belong to someone else.
    crate::thread::syscalls::block_all_signals();
    // SAFETY: null turns the kernel's clearing off.
    unsafe { crate::thread::syscalls::set_tid_address(null_mut()) };
    // SAFETY: the mapping is this thread's, and nothing uses it after (see above).
    unsafe { crate::raw::munmap_and_exit(map, len) }
}

impl RawThread {
    /// The thread's ID (the `gettid` it sees).
    #[inline]
    #[must_use]
    pub fn thread_id(&self) -> Pid {
        self.id
    }

    /// Waits for the thread to end, then frees its stack (or keeps the mapping for the next
    /// spawn: see [`free_cached_stacks`](super::free_cached_stacks)).
    ///
    /// Waits on the kernel's `CLONE_CHILD_CLEARTID` futex (after watching the word for a
    /// moment, as short threads end within it): the ID word is cleared only after the thread
    /// has left its stack for good. `Err(DEADLK)` when the calling thread is this
    /// thread, which would wait for ever: it is detached instead.
    pub fn join(self) -> Result<()> {
        if self.id == crate::thread::gettid() {
            return Err(Errno::DEADLK);
        }
        let control = self.control;
        core::mem::forget(self);
        // SAFETY: the handle was the block's owner, and is gone.
        unsafe { reap(control) };
        Ok(())
    }

    /// Lets the thread go: it frees its own stack when its entry returns (or, if it has
    /// returned already, this call frees it, after the thread has ended).
    pub fn detach(self) {
        drop(self)
    }
}

/// Dropping a handle detaches its thread, as std's `JoinHandle` does.
impl Drop for RawThread {
    fn drop(&mut self) {
        // SAFETY: the block lives until the thread has ended and its owner, this handle,
        // freed it.
        let control = unsafe { self.control.as_ref() };
        if control.state.swap(DETACHED, Ordering::AcqRel) == FINISHED {
            // Too late for the thread to free itself: it ends, and the stack is this one's.
            // SAFETY: as above; the handle is being dropped.
            unsafe { reap(self.control) }
        }
    }
}

/// Waits for the thread of `control` to end (the kernel clears its ID word), then gives its
/// mapping to the stack cache (which unmaps it when full).
///
/// # Safety
///
/// The caller owns the block: no handle or thread will touch it again.
unsafe fn reap(control: NonNull<Control>) {
    // SAFETY: the block is live until the unmap below.
    let block = unsafe { control.as_ref() };
    let mut spins = 0;
    loop {
        let tid = block.tid.load(Ordering::Acquire);
        if tid == 0 {
            break;
        }
        // A short thread ends within microseconds: watching the word that long costs less
        // than a sleep in the kernel and the wake-up after it.
        if spins < JOIN_SPINS {
            spins += 1;
            core::hint::spin_loop();
            continue;
        }
        // The kernel's wake at thread exit is a shared one: the wait must not be `PRIVATE`.
        let _ = futex::wait(&block.tid, Flags::empty(), tid, None);
    }
    // Acquire: whatever the thread wrote before it finished is visible to the joiner.
    let _ = block.state.load(Ordering::Acquire);
    let (map, len) = (block.map, block.map_len);
    // SAFETY: the thread has ended, and the caller owns the rest: nothing uses the mapping.
    unsafe { super::stack_cache::give_back(map, len) };
}
