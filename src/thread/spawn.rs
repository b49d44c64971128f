//! Threads that run closures and hand back their results, as `std::thread` does, for
//! freestanding programs (features `rt` and `alloc`). barecall's own API.

use crate::errno::Result;
use crate::thread::{spawn_raw, Pid, RawThread, DEFAULT_STACK_SIZE};
use alloc::boxed::Box;
use alloc::sync::Arc;
use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::sync::atomic::{AtomicBool, Ordering};

/// Whether `rt`'s entry started the process. The feature alone proves nothing: cargo adds
/// features up across a dependency tree, so a std program may have `rt` on and libc's start
/// code, and its threads' state, all the same.
static BARECALL_ENTRY: AtomicBool = AtomicBool::new(false);

/// Called by `rt`'s entry, before `main`.
pub(crate) fn started_at_barecalls_entry() {
    BARECALL_ENTRY.store(true, Ordering::Relaxed);
}

/// Starts a thread running `f`, with a [`DEFAULT_STACK_SIZE`] stack; see [`Builder::spawn`].
///
/// ```no_run
/// # fn main() -> barecall::io::Result<()> {
/// let handle = barecall::thread::spawn(|| 6 * 7)?;
/// assert_eq!(handle.join()?, 42);
/// # Ok(())
/// # }
/// ```
pub fn spawn<F, T>(f: F) -> Result<JoinHandle<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    Builder::new().spawn(f)
}

/// The calling thread's ID: `gettid`.
#[inline]
#[must_use]
pub fn current_id() -> Pid {
    crate::thread::gettid()
}

/// Options for a new thread: for now, its stack size.
#[derive(Debug, Clone, Copy)]
pub struct Builder {
    stack_size: usize,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// A thread with a [`DEFAULT_STACK_SIZE`] stack.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            stack_size: DEFAULT_STACK_SIZE,
        }
    }

    /// The new thread's stack size in bytes, rounded up to whole pages (a guard page comes on
    /// top).
    #[must_use]
    pub const fn stack_size(mut self, bytes: usize) -> Self {
        self.stack_size = bytes;
        self
    }

    /// Starts a thread running `f`, and returns its handle.
    ///
    /// The thread's stack is a mapping of its own with a guard page below, given back when
    /// the thread is joined (kept for the next spawn: see
    /// [`free_cached_stacks`](super::free_cached_stacks)), or when it ends after its handle
    /// was dropped. Errors are
    /// [`spawn_raw`]'s (`NOMEM` for a stack the kernel will not map, `AGAIN` for a refused
    /// clone), with nothing left behind, and `NOSYS` in a program that did not start at
    /// barecall's entry (one with libc's start code, whatever its features say); the closure
    /// is dropped.
    ///
    /// The thread has thread-locals of its own, a fresh copy of the program's (see
    /// [`tls`](super::tls)). When `main` returns, the process ends (`exit_group`), whatever its threads are
    /// doing; a panic in any thread ends the process under the `panic-handler`.
    pub fn spawn<F, T>(self, f: F) -> Result<JoinHandle<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        if !BARECALL_ENTRY.load(Ordering::Relaxed) {
            return Err(crate::errno::Errno::NOSYS);
        }
        let packet = Arc::new(Packet {
            result: UnsafeCell::new(None),
        });
        let theirs = Arc::clone(&packet);
        let main: Box<dyn FnOnce() + Send> = Box::new(move || {
            let result = f();
            // SAFETY: only this thread writes the slot, before it finishes; the handle reads
            // it after `RawThread::join`, which orders the write before.
            unsafe { *theirs.result.get() = Some(result) };
        });
        let arg = Box::into_raw(Box::new(main));
        // SAFETY: a program with `rt` has no libc; `run_boxed` takes back the box made above
        // and runs it once; it does not unwind (panics end the process).
        match unsafe { spawn_raw(run_boxed, arg.cast(), self.stack_size) } {
            Ok(raw) => Ok(JoinHandle { raw, packet }),
            Err(errno) => {
                // SAFETY: the thread did not start, so the box is still this thread's.
                drop(unsafe { Box::from_raw(arg) });
                Err(errno)
            }
        }
    }
}

/// The entry of [`Builder::spawn`]'s threads: the boxed closure.
unsafe extern "C" fn run_boxed(arg: *mut c_void) {
    // SAFETY: `spawn` passes a `Box<Box<dyn FnOnce() + Send>>` it gave up, once.
    let main = unsafe { Box::from_raw(arg.cast::<Box<dyn FnOnce() + Send>>()) };
    main();
}

/// Where a thread leaves its result.
struct Packet<T> {
    result: UnsafeCell<Option<T>>,
}

// SAFETY: the slot is written by the thread, then read by the handle after the join, never
// both at once; `T: Send` lets the value move between them.
unsafe impl<T: Send> Sync for Packet<T> {}

/// A thread started by [`spawn`]: [`JoinHandle::join`] waits for its result; dropping the
/// handle detaches the thread, which then frees its own stack when it ends.
pub struct JoinHandle<T> {
    raw: RawThread,
    packet: Arc<Packet<T>>,
}

impl<T> JoinHandle<T> {
    /// The thread's ID (the `gettid` it sees).
    #[must_use]
    pub fn thread_id(&self) -> Pid {
        self.raw.thread_id()
    }

    /// Waits for the thread to end, frees its stack, and returns what its closure returned.
    ///
    /// `Err(DEADLK)` when the thread joins itself (through a handle it was given), which
    /// would wait for ever: the thread is detached instead, and frees its stack when it ends.
    pub fn join(self) -> Result<T> {
        self.raw.join()?;
        // SAFETY: the thread has ended (the join waited for the kernel's notification), so
        // its write of the slot is done and nothing else reads it.
        match unsafe { (*self.packet.result.get()).take() } {
            Some(result) => Ok(result),
            // The closure ran to its end, or the process would have ended with it.
            None => unreachable!("a joined thread left no result"),
        }
    }
}

impl<T> core::fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("JoinHandle")
            .field("thread_id", &self.thread_id())
            .finish_non_exhaustive()
    }
}
