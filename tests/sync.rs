//! `sync`'s futex locks under real contention (std's threads: the locks touch no thread-local
//! state, so they are safe in a libc program): exact counts, every notification delivered,
//! one initialisation among racers, and no poisoning.

use barecall::sync::{Condvar, Mutex, Once, OnceLock};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Barrier;
use std::time::{Duration, Instant};

#[test]
fn a_mutex_counter_is_exact_under_four_threads() {
    const THREADS: usize = 4;
    const INCREMENTS: u64 = 100_000;
    let counter = Mutex::new(0u64);
    let start = Barrier::new(THREADS);
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                start.wait();
                for _ in 0..INCREMENTS {
                    // A read and a write apart: a lock that let two in would lose increments.
                    let mut guard = counter.lock();
                    let value = *guard;
                    *guard = value + 1;
                }
            });
        }
    });
    assert_eq!(counter.into_inner(), THREADS as u64 * INCREMENTS);
}

#[test]
fn a_held_mutex_refuses_try_lock_and_wakes_its_sleeper_on_unlock() {
    let mutex = Mutex::new(Vec::new());
    let guard = mutex.lock();
    assert!(mutex.try_lock().is_none());
    assert_eq!(format!("{mutex:?}"), "Mutex { data: <locked>, .. }");
    let waiting = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let sleeper = s.spawn(|| {
            waiting.store(1, Ordering::SeqCst);
            // Held: spins, then sleeps on the futex until the unlock below.
            mutex.lock().push("sleeper");
        });
        while waiting.load(Ordering::SeqCst) == 0 {
            std::thread::yield_now();
        }
        std::thread::sleep(Duration::from_millis(20));
        let mut guard = guard;
        guard.push("holder");
        drop(guard);
        sleeper.join().expect("the sleeper ran");
    });
    assert_eq!(*mutex.lock(), ["holder", "sleeper"]);
    assert_eq!(
        format!("{mutex:?}"),
        r#"Mutex { data: ["holder", "sleeper"], .. }"#
    );
    assert_eq!(format!("{:?}", mutex.lock()), r#"["holder", "sleeper"]"#);
    assert_eq!(format!("{:?}", Condvar::new()), "Condvar { .. }");
    let mut mutex = mutex;
    mutex.get_mut().clear();
    assert!(mutex.try_lock().is_some_and(|g| g.is_empty()));
}

#[test]
fn a_panic_while_locked_leaves_the_mutex_usable() {
    let mutex = Mutex::new(1);
    // Not poisoned, so not `RefUnwindSafe` either: the caller asserts it.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut guard = mutex.lock();
        *guard = 2;
        panic!("while holding the lock");
    }));
    assert!(result.is_err());
    // No poisoning: the data is as the panicking code left it, and the lock is free.
    assert_eq!(
        *mutex.try_lock().expect("unlocked by the unwinding guard"),
        2
    );
}

#[test]
fn a_condvar_ping_pong_takes_ten_thousand_turns() {
    const ROUNDS: u32 = 10_000;
    // Whose turn: even for the first thread, odd for the second.
    let turn = Mutex::new(0u32);
    let changed = Condvar::new();
    std::thread::scope(|s| {
        for parity in [0, 1] {
            let (turn, changed) = (&turn, &changed);
            s.spawn(move || {
                for _ in 0..ROUNDS {
                    let mut guard = changed.wait_while(turn.lock(), |t| *t % 2 != parity);
                    *guard += 1;
                    drop(guard);
                    changed.notify_one();
                }
            });
        }
    });
    assert_eq!(*turn.lock(), 2 * ROUNDS);
}

#[test]
fn notify_all_wakes_every_waiter() {
    const WAITERS: usize = 8;
    let state = Mutex::new((0usize, false));
    let changed = Condvar::new();
    std::thread::scope(|s| {
        for _ in 0..WAITERS {
            s.spawn(|| {
                let mut guard = state.lock();
                guard.0 += 1;
                changed.notify_all();
                let guard = changed.wait_while(guard, |(_, go)| !*go);
                assert!(guard.1);
            });
        }
        let guard = changed.wait_while(state.lock(), |(waiting, _)| *waiting < WAITERS);
        let mut guard = guard;
        guard.1 = true;
        drop(guard);
        changed.notify_all();
    });
    assert_eq!(state.lock().0, WAITERS);
}

#[test]
fn wait_timeout_times_out_without_a_notification() {
    let mutex = Mutex::new(());
    let condvar = Condvar::new();
    let start = Instant::now();
    let (guard, result) = condvar.wait_timeout(mutex.lock(), Duration::from_millis(20));
    assert!(result.timed_out());
    // The kernel sleeps at least the timeout: a semantic bound, not a speed one.
    assert!(start.elapsed() >= Duration::from_millis(20));
    drop(guard);
    assert!(
        mutex.try_lock().is_some(),
        "the wait relocked, and the guard's drop unlocked"
    );
    // Zero: at once.
    let (_guard, result) = condvar.wait_timeout(mutex.lock(), Duration::ZERO);
    assert!(result.timed_out());
}

#[test]
fn wait_timeout_returns_on_a_notification_and_a_huge_timeout_is_not_cut() {
    let ready = Mutex::new(false);
    let changed = Condvar::new();
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(10));
            *ready.lock() = true;
            changed.notify_one();
        });
        let mut guard = ready.lock();
        while !*guard {
            // Longer than `i64::MAX` seconds: as long as that, not cut to a short wait.
            let (g, result) = changed.wait_timeout(guard, Duration::MAX);
            assert!(!result.timed_out());
            guard = g;
        }
    });
}

#[test]
fn once_runs_once_among_eight_racing_threads() {
    const THREADS: usize = 8;
    let once = Once::new();
    let runs = AtomicUsize::new(0);
    let start = Barrier::new(THREADS);
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                start.wait();
                once.call_once(|| {
                    // Long enough that the others arrive while it runs, and sleep.
                    std::thread::sleep(Duration::from_millis(20));
                    runs.fetch_add(1, Ordering::SeqCst);
                });
                // Everyone returns after the run, and sees what it wrote.
                assert_eq!(runs.load(Ordering::SeqCst), 1);
                assert!(once.is_completed());
            });
        }
    });
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    once.call_once(|| panic!("a completed Once runs nothing"));
}

#[test]
fn a_panicking_initialiser_leaves_once_to_the_next_caller() {
    let once = Once::new();
    let result = std::panic::catch_unwind(|| once.call_once(|| panic!("first try")));
    assert!(result.is_err());
    assert!(!once.is_completed());
    let mut ran = false;
    once.call_once(|| ran = true);
    assert!(ran && once.is_completed());
    assert_eq!(format!("{once:?}"), "Once { completed: true }");
}

/// Counts its drops.
struct Counted<'a>(&'a AtomicUsize, u32);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn once_lock_initialises_once_and_drops_its_value_once() {
    const THREADS: usize = 8;
    let drops = AtomicUsize::new(0);
    let inits = AtomicUsize::new(0);
    let cell = OnceLock::new();
    let start = Barrier::new(THREADS);
    std::thread::scope(|s| {
        for i in 0..THREADS as u32 {
            let (cell, inits, drops, start) = (&cell, &inits, &drops, &start);
            s.spawn(move || {
                start.wait();
                let value = cell.get_or_init(|| {
                    inits.fetch_add(1, Ordering::SeqCst);
                    Counted(drops, i)
                });
                assert_eq!(cell.get().map(|c| c.1), Some(value.1));
            });
        }
    });
    assert_eq!(inits.load(Ordering::SeqCst), 1);
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    // Set already: `set` hands its value back (which is then dropped, once).
    let refused = cell.set(Counted(&drops, 99)).expect_err("already set");
    assert_eq!(refused.1, 99);
    drop(refused);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    drop(cell);
    assert_eq!(
        drops.load(Ordering::SeqCst),
        2,
        "the set value is dropped with the cell"
    );
}

#[test]
fn once_lock_set_take_and_into_inner() {
    let mut cell = OnceLock::new();
    assert_eq!(cell.get(), None);
    assert_eq!(format!("{cell:?}"), "OnceLock(<uninit>)");
    assert_eq!(cell.set(String::from("a")), Ok(()));
    assert_eq!(cell.set(String::from("b")), Err(String::from("b")));
    assert_eq!(format!("{cell:?}"), r#"OnceLock("a")"#);
    cell.get_mut().expect("set").push('!');
    assert_eq!(cell.take().as_deref(), Some("a!"));
    assert_eq!(cell.get(), None);
    assert_eq!(cell.get_or_init(|| String::from("c")), "c");
    assert_eq!(cell.into_inner().as_deref(), Some("c"));
    // A panicking initialiser leaves it empty.
    let cell: OnceLock<u8> = OnceLock::new();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        cell.get_or_init(|| panic!("no value"));
    }));
    assert!(result.is_err());
    assert_eq!(cell.get(), None);
    assert_eq!(*cell.get_or_init(|| 7), 7);
}
