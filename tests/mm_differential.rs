//! Differential tests: barecall's `mm` functions against the target's libc, as
//! `tests/differential.rs` does for `io` and `tests/fs_differential.rs` for `fs`.
//!
//! Two "worlds" each own a region of `PAGES` pages, reserved with a `PROT_NONE` mapping (the
//! barecall world's through barecall, the libc world's through libc). Seeded random sequences
//! of operations run in both, at the same page offsets within each region: fixed anonymous
//! mappings (private and shared, random protections and unknown protection bits), `mprotect`
//! (unaligned addresses too), `madvise` (`LinuxDontNeed` among others), writes of a byte,
//! `munmap` (zero lengths and unaligned addresses too), and `mremap` in place and to a fixed
//! place. After each one the results are compared (an address as its offset in the region, or
//! the errno), and then every page of both regions: its contents, or that it cannot be read.
//! Both are found without faulting: a byte is written by `read`ing it from a pipe into the
//! address, and a page is read by `write`ing it to a pipe, so the kernel reports `EFAULT`
//! where the page is unmapped or protected.
//!
//! The seed is printed (`barecall-mm-differential-seed:`); `BARECALL_SEED=<seed>` repeats a
//! run. A mismatch is shrunk by dropping operations while it still fails, and the shortest
//! failing sequence is printed. It runs at least 10,000 operations natively and 2,000 under
//! qemu-user, or `BARECALL_MM_DIFFERENTIAL_OPS`; the count is the last line on stderr,
//! `barecall-mm-differential-ops: N`.
//!
//! qemu-user keeps its own page table and answers some error cases unlike Linux (see
//! tests/mm.rs); both worlds go through it there, so they still agree. On 32-bit guests it
//! misrecords the protection of other pages after an in-place `mremap` (found here, and the same
//! with libc in both worlds), so there every remap moves to a place, reported as a named skip.
//!
//! This file has one test, so no other test thread maps memory into a region's holes while an
//! operation's `MAP_FIXED` may land there.

mod common;

use barecall::io::Errno;
use barecall::mm::{self, Advice, MapFlags, MprotectFlags, MremapFlags, ProtFlags};
use std::ffi::c_void;
use std::ptr::null_mut;

const OPS_NATIVE: usize = 10_000;
const OPS_QEMU: usize = 2_000;
const EPISODE_LEN: usize = 40;
const PAGES: usize = 12;

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
}

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

fn page() -> usize {
    unsafe { libc::sysconf(libc::_SC_PAGESIZE) as usize }
}

fn qemu_32() -> bool {
    cfg!(target_pointer_width = "32") && common::under_qemu_user()
}

#[derive(Clone, Copy, Debug)]
enum Op {
    /// Fixed anonymous mapping at page `at` for `len` pages.
    Map {
        at: usize,
        len: usize,
        prot: u32,
        shared: bool,
    },
    /// `mprotect` from page `at` (plus `skew` bytes) for `len` pages.
    Protect {
        at: usize,
        skew: usize,
        len: usize,
        prot: u32,
    },
    Advise {
        at: usize,
        len: usize,
        advice: Advice,
    },
    /// Writes `value` at byte `offset` of page `at`.
    Write {
        at: usize,
        offset: usize,
        value: u8,
    },
    Unmap {
        at: usize,
        skew: usize,
        len: usize,
    },
    /// `mremap` of `len` pages at `at` to `new_len` pages, in place, or at page `to`.
    Remap {
        at: usize,
        len: usize,
        new_len: usize,
        to: Option<usize>,
        may_move: bool,
    },
}

const ADVICE: [(Advice, libc::c_int); 5] = [
    (Advice::Normal, libc::MADV_NORMAL),
    (Advice::LinuxDontNeed, libc::MADV_DONTNEED),
    (Advice::WillNeed, libc::MADV_WILLNEED),
    (Advice::Random, libc::MADV_RANDOM),
    (Advice::Sequential, libc::MADV_SEQUENTIAL),
];

fn random_prot(rng: &mut Rng) -> u32 {
    if rng.chance(3) {
        return 0x0100_0000 | 1;
    }
    [0, 1, 3, 3, 3, 1][rng.below(6)]
}

fn random_op(rng: &mut Rng) -> Op {
    let at = rng.below(PAGES);
    let len = rng.below(PAGES - at + 1).max(usize::from(!rng.chance(5)));
    let skew = if rng.chance(5) { 1 } else { 0 };
    match rng.below(7) {
        0 | 1 => Op::Map {
            at,
            len,
            prot: random_prot(rng),
            shared: rng.chance(30),
        },
        2 => Op::Protect {
            at,
            skew,
            len,
            prot: random_prot(rng),
        },
        3 => Op::Advise {
            at,
            len,
            advice: ADVICE[rng.below(ADVICE.len())].0,
        },
        4 => Op::Write {
            at,
            offset: rng.below(page()),
            value: rng.next() as u8 | 1,
        },
        5 => Op::Unmap { at, skew, len },
        _ => {
            let to = rng.below(PAGES);
            // qemu-user's 32-bit guests misrecord the protection of other pages of the region
            // after an in-place mremap (the same through libc in both worlds): there, every
            // remap has a place (reported as a named skip).
            let fixed = rng.chance(60) || qemu_32();
            let new_len = rng.below(PAGES - at.max(to)).max(1);
            let len = len.min(PAGES - at).max(1);
            Op::Remap {
                at,
                len,
                new_len,
                to: fixed.then_some(to),
                // A move the kernel places would leave the region: MAYMOVE only with a place.
                may_move: fixed && rng.chance(90),
            }
        }
    }
}

struct World {
    base: *mut c_void,
    /// The pipe through which the kernel reads and writes the pages (`EFAULT` where it
    /// cannot), renewed after each write that faults: Linux 6.1 leaves an empty buffer in
    /// the pipe for each such write, and after 16 of them the next write would block.
    pipe: std::cell::Cell<[libc::c_int; 2]>,
}

fn new_pipe() -> [libc::c_int; 2] {
    let mut pipe = [0; 2];
    assert_eq!(unsafe { libc::pipe(pipe.as_mut_ptr()) }, 0);
    pipe
}

fn close_pipe(pipe: [libc::c_int; 2]) {
    unsafe {
        libc::close(pipe[0]);
        libc::close(pipe[1]);
    }
}

impl World {
    /// A region of [`PAGES`] inaccessible pages, mapped through barecall or libc, between two
    /// guard pages that no VMA can merge with (shared mappings, which have a file behind them):
    /// otherwise the two worlds, which the kernel places next to each other, can share VMAs,
    /// and an operation in one changes what `mremap` finds in the other.
    fn new(barecall: bool) -> Self {
        let p = page();
        let len = (PAGES + 2) * p;
        let reserved = if barecall {
            unsafe { mm::mmap_anonymous(null_mut(), len, ProtFlags::empty(), MapFlags::PRIVATE) }
                .expect("reserve")
        } else {
            let base = unsafe {
                libc::mmap(
                    null_mut(),
                    len,
                    0,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
            assert_ne!(base, libc::MAP_FAILED);
            base
        };
        for guard in [0, PAGES + 1] {
            let at = (reserved as usize + guard * p) as *mut c_void;
            let flags = libc::MAP_SHARED | libc::MAP_ANONYMOUS | libc::MAP_FIXED;
            let got = unsafe { libc::mmap(at, p, 0, flags, -1, 0) };
            assert_eq!(got, at, "guard page");
        }
        Self {
            base: (reserved as usize + p) as *mut c_void,
            pipe: std::cell::Cell::new(new_pipe()),
        }
    }

    fn addr(&self, at: usize, skew: usize) -> *mut c_void {
        (self.base as usize + at * page() + skew) as *mut c_void
    }

    /// An address result as its page offset in the region, so the worlds compare.
    fn offset(&self, addr: *mut c_void) -> isize {
        (addr as isize - self.base as isize) / page() as isize
    }

    /// Every page: its bytes, or `None` if it cannot be read.
    fn pages(&self) -> Vec<Option<Vec<u8>>> {
        (0..PAGES)
            .map(|at| {
                let p = page();
                let pipe = self.pipe.get();
                let n = unsafe { libc::write(pipe[1], self.addr(at, 0), p) };
                if n < 0 {
                    close_pipe(self.pipe.replace(new_pipe()));
                    return None;
                }
                assert_eq!(n as usize, p);
                let mut bytes = vec![0u8; p];
                let got = unsafe { libc::read(pipe[0], bytes.as_mut_ptr().cast(), p) };
                assert_eq!(got as usize, p);
                Some(bytes)
            })
            .collect()
    }

    /// Stores `value` at `addr` through the kernel: `EFAULT` where the page is not writable.
    fn poke(&self, addr: *mut c_void, value: u8) -> Result<isize, i32> {
        let pipe = self.pipe.get();
        assert_eq!(
            unsafe { libc::write(pipe[1], (&value as *const u8).cast(), 1) },
            1
        );
        let n = unsafe { libc::read(pipe[0], addr, 1) };
        if n == 1 {
            return Ok(0);
        }
        let errno = std::io::Error::last_os_error().raw_os_error().unwrap();
        let mut drain = 0u8;
        assert_eq!(
            unsafe { libc::read(pipe[0], (&mut drain as *mut u8).cast(), 1) },
            1
        );
        Err(errno)
    }
}

impl Drop for World {
    fn drop(&mut self) {
        unsafe {
            libc::munmap(
                (self.base as usize - page()) as *mut c_void,
                (PAGES + 2) * page(),
            );
        }
        close_pipe(self.pipe.get());
    }
}

fn errno_of(e: Errno) -> i32 {
    e.raw_os_error()
}

fn libc_errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap()
}

fn libc_unit(ret: libc::c_int) -> Result<isize, i32> {
    if ret == 0 {
        Ok(0)
    } else {
        Err(libc_errno())
    }
}

fn run_barecall(w: &World, op: Op) -> Result<isize, i32> {
    let p = page();
    unsafe {
        match op {
            Op::Map {
                at,
                len,
                prot,
                shared,
            } => {
                let share = if shared {
                    MapFlags::SHARED
                } else {
                    MapFlags::PRIVATE
                };
                mm::mmap_anonymous(
                    w.addr(at, 0),
                    len * p,
                    ProtFlags::from_bits_retain(prot),
                    share | MapFlags::FIXED,
                )
                .map(|a| w.offset(a))
                .map_err(errno_of)
            }
            Op::Protect {
                at,
                skew,
                len,
                prot,
            } => mm::mprotect(
                w.addr(at, skew),
                len * p,
                MprotectFlags::from_bits_retain(prot),
            )
            .map(|()| 0)
            .map_err(errno_of),
            Op::Advise { at, len, advice } => mm::madvise(w.addr(at, 0), len * p, advice)
                .map(|()| 0)
                .map_err(errno_of),
            Op::Write { at, offset, value } => w.poke(w.addr(at, offset), value),
            Op::Unmap { at, skew, len } => mm::munmap(w.addr(at, skew), len * p)
                .map(|()| 0)
                .map_err(errno_of),
            Op::Remap {
                at,
                len,
                new_len,
                to,
                may_move,
            } => {
                let flags = if may_move {
                    MremapFlags::MAYMOVE
                } else {
                    MremapFlags::empty()
                };
                let got = match to {
                    Some(to) => {
                        mm::mremap_fixed(w.addr(at, 0), len * p, new_len * p, flags, w.addr(to, 0))
                    }
                    None => mm::mremap(w.addr(at, 0), len * p, new_len * p, flags),
                };
                got.map(|a| w.offset(a)).map_err(errno_of)
            }
        }
    }
}

fn run_libc(w: &World, op: Op) -> Result<isize, i32> {
    let p = page();
    unsafe {
        match op {
            Op::Map {
                at,
                len,
                prot,
                shared,
            } => {
                let share = if shared {
                    libc::MAP_SHARED
                } else {
                    libc::MAP_PRIVATE
                };
                let a = libc::mmap(
                    w.addr(at, 0),
                    len * p,
                    prot as libc::c_int,
                    share | libc::MAP_FIXED | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                );
                if a == libc::MAP_FAILED {
                    Err(libc_errno())
                } else {
                    Ok(w.offset(a))
                }
            }
            Op::Protect {
                at,
                skew,
                len,
                prot,
            } => libc_unit(libc::mprotect(
                w.addr(at, skew),
                len * p,
                prot as libc::c_int,
            )),
            Op::Advise { at, len, advice } => {
                let raw = ADVICE.iter().find(|(a, _)| *a == advice).unwrap().1;
                libc_unit(libc::madvise(w.addr(at, 0), len * p, raw))
            }
            Op::Write { at, offset, value } => w.poke(w.addr(at, offset), value),
            Op::Unmap { at, skew, len } => libc_unit(libc::munmap(w.addr(at, skew), len * p)),
            Op::Remap {
                at,
                len,
                new_len,
                to,
                may_move,
            } => {
                let mut flags = if may_move { libc::MREMAP_MAYMOVE } else { 0 };
                let new = match to {
                    Some(to) => {
                        flags |= libc::MREMAP_FIXED;
                        w.addr(to, 0)
                    }
                    None => null_mut(),
                };
                let a = libc::mremap(w.addr(at, 0), len * p, new_len * p, flags, new);
                if a == libc::MAP_FAILED {
                    Err(libc_errno())
                } else {
                    Ok(w.offset(a))
                }
            }
        }
    }
}

/// Runs `ops` in two fresh worlds; the first mismatch, described.
fn run(ops: &[Op]) -> Result<(), String> {
    let b = World::new(true);
    let l = World::new(false);
    for (i, &op) in ops.iter().enumerate() {
        let ours = run_barecall(&b, op);
        let theirs = run_libc(&l, op);
        if ours != theirs {
            return Err(format!("op {i} {op:?}: barecall {ours:?}, libc {theirs:?}"));
        }
        if let Ok(off) = ours {
            if !(0..PAGES as isize).contains(&off) {
                return Err(format!("op {i} {op:?}: result outside the region: {off}"));
            }
        }
        let (bp, lp) = (b.pages(), l.pages());
        if let Some(at) = (0..PAGES).find(|&at| bp[at] != lp[at]) {
            return Err(format!(
                "op {i} {op:?}: page {at} differs: barecall readable {}, libc readable {}",
                bp[at].is_some(),
                lp[at].is_some()
            ));
        }
    }
    Ok(())
}

fn shrink(mut ops: Vec<Op>) -> (Vec<Op>, String) {
    let mut failure = run(&ops).unwrap_err();
    let mut i = 0;
    while i < ops.len() {
        let mut fewer = ops.clone();
        fewer.remove(i);
        match run(&fewer) {
            Err(f) => {
                ops = fewer;
                failure = f;
            }
            Ok(()) => i += 1,
        }
    }
    (ops, failure)
}

#[test]
fn random_sequences_match_libc() {
    let seed = run_seed();
    common::report(&format!("barecall-mm-differential-seed: {seed}\n"));
    let total = std::env::var("BARECALL_MM_DIFFERENTIAL_OPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if common::under_qemu_user() {
            OPS_QEMU
        } else {
            OPS_NATIVE
        });
    if qemu_32() {
        common::skip(
            "mm_differential_in_place_mremap",
            "qemu-user misrecords 32-bit guests' page protections after an in-place mremap",
        );
    }
    let mut rng = Rng(seed);
    let mut done = 0;
    while done < total {
        let ops: Vec<Op> = (0..EPISODE_LEN.min(total - done))
            .map(|_| random_op(&mut rng))
            .collect();
        if run(&ops).is_err() {
            let (ops, failure) = shrink(ops);
            panic!("seed {seed}: {failure}\nshortest failing sequence:\n{ops:#?}");
        }
        done += ops.len();
    }
    common::report(&format!("barecall-mm-differential-ops: {done}\n"));
}
