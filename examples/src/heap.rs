//! A global allocator for a freestanding program: dlmalloc, taking its memory from the kernel
//! in whole pages (`mmap`, `mremap`, `munmap` through barecall), behind barecall's futex `Mutex`.

use barecall::mm::{self, MapFlags, MremapFlags, ProtFlags};
use barecall::sync::Mutex;
use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;
use core::ptr::null_mut;
use core::sync::atomic::{AtomicUsize, Ordering};

/// Most bytes the heap may take from the kernel ([`Heap::limit`]).
static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);
/// Bytes the heap holds from the kernel now.
static MAPPED: AtomicUsize = AtomicUsize::new(0);

/// Whether `more` bytes fit under the limit; if so they are counted as taken.
fn take(more: usize) -> bool {
    let mapped = MAPPED.load(Ordering::Relaxed);
    match mapped.checked_add(more) {
        Some(total) if total <= LIMIT.load(Ordering::Relaxed) => {
            MAPPED.store(total, Ordering::Relaxed);
            true
        }
        _ => false,
    }
}

fn give_back(less: usize) {
    MAPPED.fetch_sub(less, Ordering::Relaxed);
}

/// dlmalloc's source of memory: anonymous private pages from the kernel.
pub struct Pages;

// SAFETY: `alloc` and `remap` return fresh mappings of at least the size asked, readable and
// writable, which nothing else uses; `free` and `free_part` unmap only what they are given.
unsafe impl dlmalloc::Allocator for Pages {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        if !take(size) {
            return (null_mut(), 0, 0);
        }
        let prot = ProtFlags::READ | ProtFlags::WRITE;
        // SAFETY: a new mapping at an address of the kernel's choice touches no memory in use.
        match unsafe { mm::mmap_anonymous(null_mut(), size, prot, MapFlags::PRIVATE) } {
            Ok(ptr) => (ptr.cast(), size, 0),
            Err(_) => {
                give_back(size);
                (null_mut(), 0, 0)
            }
        }
    }

    fn remap(&self, ptr: *mut u8, old: usize, new: usize, can_move: bool) -> *mut u8 {
        if new > old && !take(new - old) {
            return null_mut();
        }
        let flags = if can_move {
            MremapFlags::MAYMOVE
        } else {
            MremapFlags::empty()
        };
        // SAFETY: dlmalloc hands back a mapping `alloc` made, and moves its contents only
        // through the pointer returned.
        match unsafe { mm::mremap(ptr.cast::<c_void>(), old, new, flags) } {
            Ok(moved) => {
                if new < old {
                    give_back(old - new);
                }
                moved.cast()
            }
            Err(_) => {
                if new > old {
                    give_back(new - old);
                }
                null_mut()
            }
        }
    }

    fn free_part(&self, ptr: *mut u8, old: usize, new: usize) -> bool {
        // SAFETY: the tail past `new` of a mapping `alloc` made, which dlmalloc no longer uses.
        let freed = unsafe { mm::munmap(ptr.add(new).cast(), old - new) }.is_ok();
        if freed {
            give_back(old - new);
        }
        freed
    }

    fn free(&self, ptr: *mut u8, size: usize) -> bool {
        // SAFETY: a whole mapping `alloc` made, which dlmalloc no longer uses.
        let freed = unsafe { mm::munmap(ptr.cast(), size) }.is_ok();
        if freed {
            give_back(size);
        }
        freed
    }

    fn can_release_part(&self, _flags: u32) -> bool {
        true
    }

    fn allocates_zeros(&self) -> bool {
        true
    }

    fn page_size(&self) -> usize {
        barecall::param::page_size()
    }
}

/// dlmalloc behind barecall's futex `Mutex`, fit for `#[global_allocator]` in a program with
/// threads: a thread that finds the heap busy spins briefly, then sleeps until it is free.
pub struct Heap {
    dlmalloc: Mutex<dlmalloc::Dlmalloc<Pages>>,
}

// SAFETY: dlmalloc's state (pointers into pages this heap mapped, owned by no thread) is only
// reached through the mutex, by one thread at a time.
unsafe impl Sync for Heap {}

impl Heap {
    pub const fn new() -> Self {
        Self {
            dlmalloc: Mutex::new(dlmalloc::Dlmalloc::new_with_allocator(Pages)),
        }
    }

    /// Lets the heap take at most `bytes` from the kernel: past that, allocations fail.
    pub fn limit(&self, bytes: usize) {
        LIMIT.store(bytes, Ordering::Relaxed);
    }

    fn with<R>(&self, f: impl FnOnce(&mut dlmalloc::Dlmalloc<Pages>) -> R) -> R {
        // `f` cannot reach `with` again, which would deadlock: dlmalloc does not allocate
        // through the global allocator.
        f(&mut self.dlmalloc.lock())
    }
}

// SAFETY: dlmalloc returns blocks of the size and alignment asked, or null, and takes back only
// what it gave, as `GlobalAlloc`'s callers promise.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `GlobalAlloc::alloc`.
        self.with(|d| unsafe { d.malloc(layout.size(), layout.align()) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `GlobalAlloc::alloc_zeroed`.
        self.with(|d| unsafe { d.calloc(layout.size(), layout.align()) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller gives back a block this heap allocated with `layout`.
        self.with(|d| unsafe { d.free(ptr, layout.size(), layout.align()) })
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller gives a block this heap allocated with `layout`, and a size that
        // fits `isize` at that alignment.
        self.with(|d| unsafe { d.realloc(ptr, layout.size(), layout.align(), new_size) })
    }
}

/// `alloc` comes precompiled for unwinding: a debug build (no LTO to drop its landing pads)
/// links against the unwinder, which a program without libc lacks. With `panic = "abort"`
/// nothing unwinds, so these are never called; if one were, the process ends.
#[no_mangle]
pub extern "C" fn _Unwind_Resume() -> ! {
    barecall::process::exit(134)
}

/// See [`_Unwind_Resume`]: named by the precompiled code's unwind tables, never called.
#[no_mangle]
pub extern "C" fn __gcc_personality_v0() -> ! {
    barecall::process::exit(134)
}

/// On aarch64 `alloc`'s precompiled atomics are calls into compiler-builtins, whose start-up
/// probe asks libc's `getauxval` whether the CPU has LSE. 0 (nothing known) makes them use
/// the load-exclusive/store-exclusive loops, correct on every aarch64 CPU.
#[cfg(target_arch = "aarch64")]
#[no_mangle]
pub extern "C" fn getauxval(_key: core::ffi::c_ulong) -> core::ffi::c_ulong {
    0
}
