//! `thread`'s IDs and CPU affinity against the kernel, as libc reports it: `gettid`,
//! `set_tid_address` (the kernel clears the word and wakes its waiter when the thread ends),
//! `sched_getaffinity`, `sched_setaffinity`, `sched_getcpu` and `CpuSet`.

mod common;

use barecall::io::Errno;
use barecall::thread::{self, futex, CpuSet, Pid};
use std::sync::atomic::{AtomicU32, Ordering};

/// A thread ID no thread has: above the kernel's `PID_MAX_LIMIT` (4,194,304).
const NO_SUCH_THREAD: i32 = 0x3fff_fff0;

fn libc_gettid() -> i32 {
    unsafe { libc::syscall(libc::SYS_gettid) as i32 }
}

#[test]
fn gettid_is_the_callers_thread_id() {
    assert_eq!(thread::gettid().as_raw_pid(), libc_gettid());
    let ids: Vec<(i32, i32)> = (0..4)
        .map(|_| std::thread::spawn(|| (thread::gettid().as_raw_pid(), libc_gettid())))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|handle| handle.join().expect("the thread ran"))
        .collect();
    for &(barecall_id, libc_id) in &ids {
        assert_eq!(barecall_id, libc_id);
    }
    let mut distinct: Vec<i32> = ids.iter().map(|&(id, _)| id).collect();
    distinct.push(libc_gettid());
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 5, "each thread has its own ID: {ids:?}");
}

/// Runs `child` in a forked child process and returns its exit status; the child's own
/// threads are its business, the test's threads stay out of it.
fn in_child(child: impl FnOnce() -> i32) -> i32 {
    match unsafe { libc::fork() } {
        -1 => panic!("fork: {}", std::io::Error::last_os_error()),
        0 => {
            let status =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(child)).unwrap_or(99);
            unsafe { libc::_exit(status) }
        }
        pid => {
            let mut status = 0;
            assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
            assert!(
                libc::WIFEXITED(status),
                "the child ended by signal: {status:#x}"
            );
            libc::WEXITSTATUS(status)
        }
    }
}

#[test]
fn a_processs_only_thread_has_the_process_id() {
    let status = in_child(|| {
        let (tid, pid) = (thread::gettid().as_raw_pid(), unsafe { libc::getpid() });
        if tid == pid {
            0
        } else {
            1
        }
    });
    assert_eq!(
        status, 0,
        "gettid differs from getpid in a single-threaded process"
    );
}

/// The word a thread's `set_tid_address` names, cleared by the kernel when that thread ends.
static CLEARED_AT_EXIT: AtomicU32 = AtomicU32::new(u32::MAX);

/// `set_tid_address` returns the caller's ID and, when the thread ends, the kernel writes 0 to
/// the word and wakes a waiter on it, with a shared (not `PRIVATE`) wake. The thread is std's,
/// detached: its own `clear_child_tid` pointer (glibc's, for `pthread_join`) is replaced, so
/// nothing may join it, and glibc never reuses its stack (a leak of one stack, in a test
/// process). No fork: a forked child of a threaded process that starts threads of its own hung
/// once under qemu-aarch64.
#[test]
fn set_tid_address_word_is_cleared_and_woken_at_thread_exit() {
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::spawn(move || {
        let tid = libc_gettid();
        CLEARED_AT_EXIT.store(tid as u32, Ordering::SeqCst);
        let ptr = CLEARED_AT_EXIT.as_ptr().cast();
        // SAFETY: the static lives for ever and nothing else writes it while the thread runs;
        // the kernel writes 0 to it when the thread ends, and nothing joins the thread.
        let returned = unsafe { thread::set_tid_address(ptr) };
        let _ = tx.send((tid, returned.as_raw_pid()));
    });
    // Detached, never joined: glibc's join would wait for its own word, which the kernel no
    // longer clears.
    drop(spawned);
    let (tid, returned) = rx.recv().expect("the thread reports");
    assert_eq!(returned, tid, "set_tid_address returns the caller's ID");
    let timeout = futex::Timespec {
        tv_sec: 30,
        tv_nsec: 0,
    };
    while CLEARED_AT_EXIT.load(Ordering::SeqCst) != 0 {
        match futex::wait(
            &CLEARED_AT_EXIT,
            futex::Flags::empty(),
            tid as u32,
            Some(&timeout),
        ) {
            Ok(()) | Err(Errno::AGAIN) | Err(Errno::INTR) => {}
            Err(e) => panic!("no clear-and-wake at the thread's exit: {e:?}"),
        }
    }
}

fn libc_affinity(pid: i32) -> Result<libc::cpu_set_t, i32> {
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    let ret = unsafe { libc::sched_getaffinity(pid, std::mem::size_of_val(&set), &mut set) };
    if ret == 0 {
        Ok(set)
    } else {
        Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    }
}

fn same_cpus(ours: &CpuSet, libcs: &libc::cpu_set_t) -> bool {
    (0..CpuSet::MAX_CPU).all(|cpu| ours.is_set(cpu) == unsafe { libc::CPU_ISSET(cpu, libcs) })
}

#[test]
fn getaffinity_is_libcs() {
    let ours = thread::sched_getaffinity(None).expect("sched_getaffinity");
    let libcs = libc_affinity(0).expect("libc's sched_getaffinity");
    assert!(same_cpus(&ours, &libcs), "{ours:?}");
    assert_eq!(ours.count(), unsafe { libc::CPU_COUNT(&libcs) } as u32);
    assert!(ours.count() >= 1);
    // Another thread's (the process's first, whose ID is the process ID): its own set.
    let pid = Pid::from_raw(unsafe { libc::getpid() });
    let first = thread::sched_getaffinity(pid).expect("the first thread's affinity");
    assert!(same_cpus(
        &first,
        &libc_affinity(unsafe { libc::getpid() }).unwrap()
    ));
    let missing = Pid::from_raw(NO_SUCH_THREAD);
    assert_eq!(thread::sched_getaffinity(missing), Err(Errno::SRCH));
    assert_eq!(libc_affinity(NO_SUCH_THREAD).err(), Some(libc::ESRCH));
}

/// In a thread of its own, which may be pinned without pinning the other tests' threads.
#[test]
fn setaffinity_pins_the_thread_to_each_allowed_cpu() {
    std::thread::spawn(|| {
        let allowed = thread::sched_getaffinity(None).expect("sched_getaffinity");
        let cpus: Vec<usize> = (0..CpuSet::MAX_CPU)
            .filter(|&c| allowed.is_set(c))
            .collect();
        for &cpu in &cpus {
            let mut one = CpuSet::new();
            one.set(cpu);
            assert_eq!(thread::sched_setaffinity(None, &one), Ok(()));
            let libcs = libc_affinity(0).expect("libc's sched_getaffinity");
            assert!(same_cpus(&one, &libcs), "pinned to cpu{cpu}");
            assert_eq!(thread::sched_getaffinity(None), Ok(one));
            // Pinned, the thread runs there and nowhere else.
            assert_eq!(thread::sched_getcpu(), cpu);
            assert_eq!(unsafe { libc::sched_getcpu() }, cpu as i32);
        }
        assert_eq!(thread::sched_setaffinity(None, &allowed), Ok(()));
        assert_eq!(thread::sched_getaffinity(None), Ok(allowed));
    })
    .join()
    .expect("the pinned thread's checks passed");
}

#[test]
fn setaffinity_errors_are_the_kernels() {
    // No CPU at all: nothing could run the thread.
    let empty = CpuSet::new();
    assert_eq!(thread::sched_setaffinity(None, &empty), Err(Errno::INVAL));
    let libc_empty: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    let ret =
        unsafe { libc::sched_setaffinity(0, std::mem::size_of_val(&libc_empty), &libc_empty) };
    assert_eq!(ret, -1);
    assert_eq!(
        std::io::Error::last_os_error().raw_os_error(),
        Some(libc::EINVAL)
    );
    // Only CPUs that do not exist: as good as none.
    let mut absent = CpuSet::new();
    absent.set(CpuSet::MAX_CPU - 1);
    if !thread::sched_getaffinity(None)
        .unwrap()
        .is_set(CpuSet::MAX_CPU - 1)
    {
        assert_eq!(thread::sched_setaffinity(None, &absent), Err(Errno::INVAL));
    }
    let all = thread::sched_getaffinity(None).unwrap();
    let missing = Pid::from_raw(NO_SUCH_THREAD);
    assert_eq!(thread::sched_setaffinity(missing, &all), Err(Errno::SRCH));
}

#[test]
fn sched_getcpu_is_an_allowed_cpu() {
    let allowed = thread::sched_getaffinity(None).expect("sched_getaffinity");
    let cpu = thread::sched_getcpu();
    assert!(cpu < CpuSet::MAX_CPU);
    assert!(allowed.is_set(cpu), "cpu{cpu} is not in {allowed:?}");
}

#[test]
fn cpu_sets_hold_what_is_put_in_them() {
    let mut set = CpuSet::default();
    assert_eq!(set, CpuSet::new());
    assert_eq!(set.count(), 0);
    for cpu in [0, 1, 63, 64, 65, 1023] {
        set.set(cpu);
        assert!(set.is_set(cpu));
    }
    assert_eq!(set.count(), 6);
    assert!(!set.is_set(2) && !set.is_set(1022));
    assert_eq!(
        format!("{set:?}"),
        "CpuSet { cpu0, cpu1, cpu63, cpu64, cpu65, cpu1023 }"
    );
    set.unset(64);
    set.unset(64);
    assert!(!set.is_set(64));
    assert_eq!(set.count(), 5);
    // Past the end: in no set, cannot be added, nothing to remove.
    assert!(!set.is_set(CpuSet::MAX_CPU));
    assert!(!set.is_set(usize::MAX));
    assert_eq!(set.try_set(CpuSet::MAX_CPU), Err(Errno::INVAL));
    assert_eq!(set.try_set(usize::MAX), Err(Errno::INVAL));
    set.unset(usize::MAX);
    assert_eq!(set.count(), 5);
    assert_eq!(set.try_set(2), Ok(()));
    assert!(set.is_set(2));
    let copy = set;
    set.clear();
    assert_eq!(set.count(), 0);
    assert_ne!(set, copy);
    assert_eq!(format!("{set:?}"), "CpuSet { }");
    use std::hash::BuildHasher;
    let state = std::hash::RandomState::new();
    assert_eq!(state.hash_one(copy), state.hash_one(copy));
    assert_ne!(state.hash_one(copy), state.hash_one(set));
}

#[test]
#[should_panic(expected = "CPU 1024 does not fit a CpuSet")]
fn setting_a_cpu_past_the_end_panics_as_rustixs_does() {
    CpuSet::new().set(CpuSet::MAX_CPU);
}

/// In a program with libc the thread pointer is libc's: each thread's own, never null, the
/// same on every read, and (where the ABI says exactly what it addresses) libc's own value.
#[test]
fn thread_pointer_is_each_threads_own() {
    let main = thread::tls::thread_pointer() as usize;
    assert_ne!(main, 0);
    assert_eq!(thread::tls::thread_pointer() as usize, main);
    // glibc's `pthread_self` is the thread control block, which x86_64's `fs` addresses.
    #[cfg(target_arch = "x86_64")]
    assert_eq!(main, unsafe { libc::pthread_self() } as usize);
    let others: Vec<usize> = (0..4)
        .map(|_| std::thread::spawn(|| thread::tls::thread_pointer() as usize))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|handle| handle.join().expect("thread"))
        .collect();
    // Threads that have ended may hand their memory on to later ones, so only the main
    // thread, alive throughout, is sure to differ from all of them.
    assert!(
        others.iter().all(|&tp| tp != 0 && tp != main),
        "{others:x?} vs {main:x}"
    );
}
