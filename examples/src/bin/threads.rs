//! Threads without libc: barecall's `thread::spawn`, `sync` locks and stacks that free
//! themselves, checked from inside a freestanding program (a libc program cannot have these
//! threads). `threads check` runs each check, prints `threads: NAME ok` or `threads: NAME
//! FAILED: why`, and exits 1 if any failed; `threads checksum N` checksums 8 MiB of generated
//! bytes with N threads and with one, and prints the value once they agree.
#![no_std]
#![no_main]

extern crate alloc;

// `sort` uses all of it (the heap limit too).
#[allow(dead_code)]
#[path = "../heap.rs"]
mod heap;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use barecall::sync::{Condvar, Mutex, Once};
use barecall::thread::{self, Builder};
use core::sync::atomic::{AtomicUsize, Ordering};

#[global_allocator]
static HEAP: heap::Heap = heap::Heap::new();

barecall::main!(main);

fn main(startup: barecall::rt::Startup) -> i32 {
    let mut args = startup.args().skip(1);
    match args.next().map(|a| a.to_bytes()) {
        Some(b"check") => check(),
        Some(b"checksum") => match args.next().and_then(|n| parse(n.to_bytes())) {
            Some(threads) if threads > 0 => checksum_command(threads),
            _ => usage(),
        },
        _ => usage(),
    }
}

fn usage() -> i32 {
    barecall::eprintln!("usage: threads check | threads checksum THREADS");
    2
}

fn parse(digits: &[u8]) -> Option<usize> {
    core::str::from_utf8(digits).ok()?.parse().ok()
}

type Check = fn() -> Result<(), String>;

fn check() -> i32 {
    let checks: [(&str, Check); 8] = [
        ("spawn_join_one_at_a_time", spawn_join_one_at_a_time),
        ("spawn_join_eight_at_a_time", spawn_join_eight_at_a_time),
        ("thread_ids", thread_ids),
        (
            "detached_threads_free_their_stacks",
            detached_threads_free_their_stacks,
        ),
        ("mutex_counter", mutex_counter),
        ("condvar_ping_pong", condvar_ping_pong),
        ("once_among_racers", once_among_racers),
        ("stack_too_large", stack_too_large),
    ];
    let mut failed = 0;
    for (name, check) in checks {
        match check() {
            Ok(()) => barecall::println!("threads: {name} ok"),
            Err(why) => {
                barecall::println!("threads: {name} FAILED: {why}");
                failed += 1;
            }
        }
    }
    barecall::println!("threads: {} passed, {failed} failed", checks.len() - failed);
    i32::from(failed > 0)
}

/// The process's mappings (`start..end`), or `None` where `/proc` is not mounted.
fn mapped_ranges() -> Option<Vec<(usize, usize)>> {
    use barecall::fs::{self, Mode, OFlags};
    let fd = fs::open(
        "/proc/self/maps",
        OFlags::RDONLY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    let mut text = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match barecall::io::read(&fd, &mut buf) {
            Ok(0) => break,
            Ok(n) => text.extend_from_slice(&buf[..n]),
            Err(_) => return None,
        }
    }
    let hex = |digits: &[u8]| usize::from_str_radix(core::str::from_utf8(digits).ok()?, 16).ok();
    text.split(|&b| b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| {
            let range = line.split(|&b| b == b' ').next()?;
            let mut ends = range.split(|&b| b == b'-');
            Some((hex(ends.next()?)?, hex(ends.next()?)?))
        })
        .collect()
}

fn mappings() -> Option<usize> {
    mapped_ranges().map(|ranges| ranges.len())
}

/// Whether the page holding `addr` is mapped: by `/proc/self/maps` where it is mounted (under
/// qemu-user, a 32-bit guest's whole address space is mapped on the host, so only qemu's
/// emulated file knows), else by `msync`, which says `ENOMEM` for an unmapped page.
fn is_mapped(addr: usize) -> bool {
    if let Some(ranges) = mapped_ranges() {
        return ranges
            .iter()
            .any(|&(start, end)| (start..end).contains(&addr));
    }
    let page = barecall::param::page_size();
    let start = (addr & !(page - 1)) as *mut core::ffi::c_void;
    // SAFETY: MS_ASYNC on a private anonymous page writes nothing back and changes nothing.
    unsafe { barecall::mm::msync(start, page, barecall::mm::MsyncFlags::ASYNC) }.is_ok()
}

/// An address on the calling thread's stack.
#[inline(never)]
fn stack_address() -> usize {
    let local = 0u8;
    core::hint::black_box(&local) as *const u8 as usize
}

/// Each thread's stack, once joined, is unmapped; and the process's mappings are as before.
fn spawn_join(batch: usize, total: usize) -> Result<(), String> {
    // A first batch grows the heap (the handles, the `Vec`s), which then stays mapped.
    for handle in (0..batch).map(|_| thread::spawn(|| ())).collect::<Vec<_>>() {
        handle.map_err(|e| format!("spawn: {e}"))?.join();
    }
    let before = mappings();
    let mut stacks = Vec::new();
    let mut done = 0;
    while done < total {
        let handles: Vec<_> = (0..batch)
            .map(|i| thread::spawn(move || (done + i, stack_address())))
            .collect::<Result<_, _>>()
            .map_err(|e| format!("spawn: {e}"))?;
        for (i, handle) in handles.into_iter().enumerate() {
            let (value, stack) = handle.join();
            if value != done + i {
                return Err(format!("thread {} returned {value}", done + i));
            }
            stacks.push(stack);
        }
        done += batch;
        // The last batch's stacks are probed below; earlier ones' addresses are reused.
        if done < total {
            stacks.clear();
        }
    }
    if let Some(stack) = stacks.iter().find(|&&s| is_mapped(s)) {
        return Err(format!(
            "a joined thread's stack at {stack:#x} is still mapped"
        ));
    }
    match (before, mappings()) {
        (Some(before), Some(after)) if before != after => {
            Err(format!("{before} mappings before, {after} after"))
        }
        _ => Ok(()),
    }
}

fn spawn_join_one_at_a_time() -> Result<(), String> {
    spawn_join(1, 10_000)
}

fn spawn_join_eight_at_a_time() -> Result<(), String> {
    spawn_join(8, 10_000)
}

fn thread_ids() -> Result<(), String> {
    let main_id = thread::current_id();
    let handles: Vec<_> = (0..8)
        .map(|_| thread::spawn(thread::current_id))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("spawn: {e}"))?;
    let mut ids = Vec::new();
    for handle in handles {
        let reported = handle.thread_id();
        let seen = handle.join();
        if seen != reported {
            return Err(format!("handle says {reported:?}, the thread saw {seen:?}"));
        }
        ids.push(seen);
    }
    ids.push(main_id);
    ids.sort_unstable_by_key(|id| id.as_raw_pid());
    ids.dedup();
    if ids.len() != 9 {
        return Err(format!("thread IDs repeat: {ids:?}"));
    }
    if main_id.as_raw_pid() != barecall::process::getpid().as_raw_pid() {
        return Err(String::from("the first thread's ID is not the process ID"));
    }
    Ok(())
}

fn detached_threads_free_their_stacks() -> Result<(), String> {
    const THREADS: usize = 100;
    static STARTED: AtomicUsize = AtomicUsize::new(0);
    static STACKS: Mutex<Vec<usize>> = Mutex::new(Vec::new());
    let before = mappings();
    for _ in 0..THREADS {
        // Dropped at once: detached, and the thread unmaps its own stack at its end.
        drop(
            thread::spawn(|| {
                STACKS.lock().push(stack_address());
                STARTED.fetch_add(1, Ordering::SeqCst);
            })
            .map_err(|e| format!("spawn: {e}"))?,
        );
    }
    // Each unmaps its stack as it ends, a moment after it counted itself: wait for that.
    for _ in 0..10_000 {
        let all_started = STARTED.load(Ordering::SeqCst) == THREADS;
        if all_started && STACKS.lock().iter().all(|&s| !is_mapped(s)) {
            return match (before, mappings()) {
                (Some(before), Some(after)) if before != after => {
                    Err(format!("{before} mappings before, {after} after"))
                }
                _ => Ok(()),
            };
        }
        barecall::thread::sched_yield();
        sleep_ms(1);
    }
    Err(format!(
        "{} of {THREADS} started; some stacks still mapped after 10 s",
        STARTED.load(Ordering::SeqCst)
    ))
}

fn sleep_ms(ms: i64) {
    use barecall::thread::futex::{self, Flags, Timespec};
    let never_changes = core::sync::atomic::AtomicU32::new(0);
    let timeout = Timespec {
        tv_sec: 0,
        tv_nsec: ms * 1_000_000,
    };
    let _ = futex::wait(&never_changes, Flags::PRIVATE, 0, Some(&timeout));
}

fn mutex_counter() -> Result<(), String> {
    static COUNTER: Mutex<u64> = Mutex::new(0);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            thread::spawn(|| {
                for _ in 0..100_000 {
                    let mut guard = COUNTER.lock();
                    let value = *guard;
                    *guard = value + 1;
                }
            })
        })
        .collect::<Result<_, _>>()
        .map_err(|e| format!("spawn: {e}"))?;
    handles.into_iter().for_each(|h| h.join());
    match *COUNTER.lock() {
        400_000 => Ok(()),
        n => Err(format!("counted {n}, not 400000")),
    }
}

fn condvar_ping_pong() -> Result<(), String> {
    static TURN: Mutex<u32> = Mutex::new(0);
    static CHANGED: Condvar = Condvar::new();
    const ROUNDS: u32 = 10_000;
    let handles: Vec<_> = [0u32, 1]
        .into_iter()
        .map(|parity| {
            thread::spawn(move || {
                for _ in 0..ROUNDS {
                    let mut turn = CHANGED.wait_while(TURN.lock(), |t| *t % 2 != parity);
                    *turn += 1;
                    drop(turn);
                    CHANGED.notify_one();
                }
            })
        })
        .collect::<Result<_, _>>()
        .map_err(|e| format!("spawn: {e}"))?;
    handles.into_iter().for_each(|h| h.join());
    match *TURN.lock() {
        n if n == 2 * ROUNDS => Ok(()),
        n => Err(format!("{n} turns, not {}", 2 * ROUNDS)),
    }
}

fn once_among_racers() -> Result<(), String> {
    static ONCE: Once = Once::new();
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let handles: Vec<_> = (0..8)
        .map(|_| {
            thread::spawn(|| {
                ONCE.call_once(|| {
                    sleep_ms(20);
                    RUNS.fetch_add(1, Ordering::SeqCst);
                });
                RUNS.load(Ordering::SeqCst)
            })
        })
        .collect::<Result<_, _>>()
        .map_err(|e| format!("spawn: {e}"))?;
    for handle in handles {
        if handle.join() != 1 {
            return Err(String::from("a racer returned before the run"));
        }
    }
    match RUNS.load(Ordering::SeqCst) {
        1 => Ok(()),
        n => Err(format!("ran {n} times")),
    }
}

fn stack_too_large() -> Result<(), String> {
    // Past the end of the address space, on 64-bit targets and (3 GiB) on 32-bit arm.
    for size in [usize::MAX, usize::MAX / 4 * 3] {
        match Builder::new().stack_size(size).spawn(|| ()) {
            Err(barecall::io::Errno::NOMEM) => {}
            Err(e) => return Err(format!("stack of {size:#x} bytes: {e}, not ENOMEM")),
            Ok(handle) => {
                handle.join();
                return Err(format!("a stack of {size:#x} bytes was mapped"));
            }
        }
    }
    Ok(())
}

/// A checksum that parts can compute apart: the wrapping sum of each byte times its position
/// plus one.
fn checksum(bytes: &[u8], offset: usize) -> u64 {
    bytes.iter().enumerate().fold(0u64, |sum, (i, &b)| {
        sum.wrapping_add(u64::from(b).wrapping_mul((offset + i) as u64 + 1))
    })
}

/// 8 MiB from a 64-bit LCG (Knuth's MMIX constants), its high bytes: the xtask makes the same.
fn generated() -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..8 << 20)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect()
}

fn checksum_command(threads: usize) -> i32 {
    let data: &'static [u8] = alloc::boxed::Box::leak(generated().into_boxed_slice());
    let chunk = data.len().div_ceil(threads);
    let handles: Result<Vec<_>, _> = data
        .chunks(chunk)
        .enumerate()
        .map(|(i, part)| thread::spawn(move || checksum(part, i * chunk)))
        .collect();
    let parallel = match handles {
        Ok(handles) => handles
            .into_iter()
            .fold(0u64, |sum, h| sum.wrapping_add(h.join())),
        Err(e) => {
            barecall::eprintln!("threads: spawn: {e}");
            return 1;
        }
    };
    let single = checksum(data, 0);
    if parallel != single {
        barecall::eprintln!("threads: {threads} threads say {parallel:#x}, one says {single:#x}");
        return 1;
    }
    barecall::println!(
        "checksum: {} bytes, {threads} threads, {parallel:#018x}",
        data.len()
    );
    0
}
