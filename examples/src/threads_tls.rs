//! The TLS checks of `threads check`: C's `__thread` variables (`c/tls.c`, compiled by the
//! target's gcc in `build.rs`) and, where the compiler allows `#[thread_local]` (nightly, or
//! `RUSTC_BOOTSTRAP=1`, which the xtask sets), Rust's. In each, the main thread's variables hold
//! the program's initial values, and every new thread's are a fresh copy of those (not of the
//! main thread's current values): `.tdata` initialised, `.tbss` zero, the alignment kept, the
//! copy the thread's own.

use super::joined;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use barecall::thread;

/// What a thread sees of one language's thread-locals: `.tdata`'s and `.tbss`'s values, the
/// aligned array's address and bytes, `.tdata`'s variable's address, and its thread pointer.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    tdata: i64,
    tbss: i64,
    aligned_at: usize,
    aligned: [u8; 3],
    address: usize,
    tp: usize,
}

/// One language's thread-locals, and what a fresh copy of them holds.
struct Locals {
    read: fn() -> Seen,
    write: fn(i64, i64),
    tdata: i64,
    aligned: [u8; 3],
    align: usize,
}

impl Locals {
    fn fresh(&self, seen: &Seen, who: &str) -> Result<(), String> {
        if seen.tdata != self.tdata
            || seen.tbss != 0
            || seen.aligned != self.aligned
            || !seen.aligned_at.is_multiple_of(self.align)
        {
            return Err(format!("{who} sees {seen:x?}, not fresh thread-locals"));
        }
        Ok(())
    }

    /// The main thread's values, then eight threads' (after the main thread changed its own).
    fn check(&self) -> Result<(), String> {
        let main = (self.read)();
        self.fresh(&main, "the main thread")?;
        (self.write)(7, -1);
        let (read, write) = (self.read, self.write);
        let handles: Vec<_> = (0..8)
            .map(|i| {
                thread::spawn(move || {
                    let seen = read();
                    write(100 + i, i);
                    thread::sched_yield();
                    let kept = read();
                    (seen, (kept.tdata, kept.tbss), thread::gettid())
                })
            })
            .collect::<Result<_, _>>()
            .map_err(|e| format!("spawn: {e}"))?;
        let mut addresses = alloc::vec![main.address];
        let mut pointers = alloc::vec![main.tp];
        for (i, handle) in (0..).zip(handles) {
            let reported = handle.thread_id();
            let (seen, kept, id) = joined(handle)?;
            self.fresh(&seen, &format!("thread {i}"))?;
            if kept != (100 + i, i) {
                return Err(format!(
                    "thread {i} wrote {}, {i}, read back {kept:?}",
                    100 + i
                ));
            }
            if id != reported {
                return Err(format!(
                    "thread {i} saw ID {id:?}, its handle says {reported:?}"
                ));
            }
            addresses.push(seen.address);
            pointers.push(seen.tp);
        }
        let after = (self.read)();
        if (after.tdata, after.tbss) != (7, -1) {
            return Err(format!("the main thread's values became {after:?}"));
        }
        for (what, list) in [
            ("addresses", &mut addresses),
            ("thread pointers", &mut pointers),
        ] {
            list.sort_unstable();
            list.dedup();
            if list.len() != 9 || list[0] == 0 {
                return Err(format!("the threads' {what} repeat or are null: {list:x?}"));
            }
        }
        Ok(())
    }
}

// `c/tls.c`.
extern "C" {
    fn c_tls_tdata() -> i32;
    fn c_tls_set_tdata(value: i32);
    fn c_tls_tbss() -> core::ffi::c_long;
    fn c_tls_set_tbss(value: core::ffi::c_long);
    fn c_tls_tdata_address() -> *mut i32;
    fn c_tls_aligned() -> *const [u8; 3];
}

// `c_long` is `i64` only on the 64-bit targets.
#[allow(clippy::useless_conversion)]
fn read_c() -> Seen {
    // SAFETY: the C functions only read the calling thread's own variables.
    unsafe {
        let aligned = c_tls_aligned();
        Seen {
            tdata: c_tls_tdata().into(),
            tbss: c_tls_tbss().into(),
            aligned_at: aligned as usize,
            aligned: *aligned,
            address: c_tls_tdata_address() as usize,
            tp: thread::tls::thread_pointer() as usize,
        }
    }
}

fn write_c(tdata: i64, tbss: i64) {
    // The values are 7, -1 and 0..108: they fit C's `int` and `long`.
    let (tdata, tbss) = (tdata as i32, tbss as core::ffi::c_long);
    // SAFETY: the C functions only write the calling thread's own variables.
    unsafe {
        c_tls_set_tdata(tdata);
        c_tls_set_tbss(tbss);
    }
}

/// C's `__thread` variables (`c_tdata` is 42, `c_aligned` is `{1, 2, 3}` at 64 bytes).
pub fn of_c() -> Result<(), String> {
    Locals {
        read: read_c,
        write: write_c,
        tdata: 42,
        aligned: [1, 2, 3],
        align: 64,
    }
    .check()
}

#[cfg(barecall_thread_local)]
mod rust {
    use core::cell::Cell;

    /// 128-byte aligned, more than C's array: the block's alignment is the larger.
    #[repr(align(128))]
    pub struct Aligned(pub [u8; 3]);

    #[thread_local]
    pub static TDATA: Cell<i64> = Cell::new(0x1234_5678);
    #[thread_local]
    pub static TBSS: Cell<i64> = Cell::new(0);
    #[thread_local]
    pub static ALIGNED: Aligned = Aligned([4, 5, 6]);
}

#[cfg(barecall_thread_local)]
fn read_rust() -> Seen {
    Seen {
        tdata: rust::TDATA.get(),
        tbss: rust::TBSS.get(),
        aligned_at: core::ptr::from_ref(&rust::ALIGNED) as usize,
        aligned: rust::ALIGNED.0,
        address: core::ptr::from_ref(&rust::TDATA) as usize,
        tp: thread::tls::thread_pointer() as usize,
    }
}

#[cfg(barecall_thread_local)]
fn write_rust(tdata: i64, tbss: i64) {
    rust::TDATA.set(tdata);
    rust::TBSS.set(tbss);
}

/// Rust's `#[thread_local]` statics (`TDATA` is 0x1234_5678, `ALIGNED` is `[4, 5, 6]` at 128
/// bytes).
#[cfg(barecall_thread_local)]
pub fn of_rust() -> Result<(), String> {
    Locals {
        read: read_rust,
        write: write_rust,
        tdata: 0x1234_5678,
        aligned: [4, 5, 6],
        align: 128,
    }
    .check()
}
