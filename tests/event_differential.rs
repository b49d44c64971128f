//! Differential tests: barecall's `event` functions (`eventfd`, `epoll::*`, `poll`, and `io`'s
//! reads and writes on eventfds and pipes) against the target's libc, as
//! `tests/differential.rs` does for `io` and `tests/fs_differential.rs` for `fs`.
//!
//! Two "worlds" hold twin fds in the same slots: eventfds, pipe ends and epoll instances, with
//! the same flags, counters, queued bytes and interest lists. Each operation runs in the
//! barecall world through barecall and in the libc world through libc: `eventfd`, `pipe`,
//! `epoll::create`, `epoll::add`, `epoll::modify`, `epoll::delete`, `epoll::wait` with a zero
//! timeout (into each `Buffer` form in turn), `write` and `read` of eventfd counters and pipe
//! bytes, `poll` with a zero timeout, and `close`. Then the return value and errno are
//! compared, with what the call hands back (the events `wait` reports, flags and data, in the
//! kernel's order; `poll`'s `revents`; the whole read buffer), whether each new fd took the
//! lowest free number, and the state of every slot, read through libc: its kind, `F_GETFD`,
//! `F_GETFL`, and its readiness (`POLLIN`, `POLLOUT`, `POLLPRI`, `POLLRDHUP` and the rest, from
//! a libc `poll` with a zero timeout), which for an epoll instance says whether it has events.
//!
//! Invalid input is in the mix: slots that were closed (a number just freed) or never open,
//! epoll calls on fds that are not epoll instances, an epoll instance added to itself or in a
//! loop, fds added twice, modified or deleted without being added, unknown flag bits (in
//! `eventfd`, `epoll::create` and the events of `add` and `modify`, `EXCLUSIVE` where it is
//! refused), `wait` with room for no event, eventfd writes of `u64::MAX` and writes that would
//! overflow the counter, reads and writes shorter than 8 bytes.
//!
//! No operation may block: a read or write that could (a blocking fd that libc's `poll` finds
//! not ready) is skipped in both worlds and not counted. Waits and polls have a zero timeout;
//! their timeouts that barecall refuses (negative, too long for milliseconds) are tested in
//! tests/event.rs and tests/epoll.rs, since libc would wait forever on a negative one.
//!
//! The seed is printed (`barecall-event-differential-seed:`); `BARECALL_SEED=<seed>` repeats a
//! run. A mismatch is shrunk by dropping operations while it still fails, and the shortest
//! failing sequence is printed. It compares at least 10,000 operations natively and 2,000
//! under qemu-user, or `BARECALL_EVENT_DIFFERENTIAL_OPS`, and goes on past that until every
//! function has both succeeded and failed (but `pipe`, `close` and `poll`, which cannot fail
//! here); the count is the last line on stderr,
//! `barecall-event-differential-ops: N`, and `--nocapture` shows it per function.

mod common;

use barecall::buffer::spare_capacity;
use barecall::event::epoll::{self, CreateFlags, Event, EventData, EventFlags};
use barecall::event::{self as bc_event, EventfdFlags, PollFd, PollFlags, Timespec};
use barecall::io;
use barecall::pipe::{pipe_with, PipeFlags};
use libc::c_int;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::mem::MaybeUninit;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

/// Operations compared per run, natively and under qemu-user.
const OPS_NATIVE: usize = 10_000;
const OPS_QEMU: usize = 2_000;
/// Random operations per episode, after the fixed start; each episode starts from fresh worlds.
const EPISODE_LEN: usize = 60;
/// fd slots per world.
const SLOTS: usize = 8;
/// What read buffers hold before the call.
const FILL: u8 = 0xA5;
/// fd numbers that are never open here (`-1` is not one: std's `BorrowedFd` cannot hold it).
const NOT_OPEN: [RawFd; 5] = [-2, i32::MIN, 900, 4096, i32::MAX];
/// No wait.
const NOW: Timespec = Timespec {
    tv_sec: 0,
    tv_nsec: 0,
};

// ---- Random numbers --------------------------------------------------------------------------

/// splitmix64: small, fast, and good enough to pick operations.
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

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// The seed of this run: `BARECALL_SEED` (decimal or `0x` hex), else the clock and the pid.
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

// ---- Operations ------------------------------------------------------------------------------

/// An fd an operation names: a slot's (a number just freed, if the slot is empty), or a number
/// never open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fd {
    Slot(usize),
    NotOpen(RawFd),
}

/// The `Buffer` form barecall's `epoll::wait` reads into; libc's is always an array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// `&mut [Event]`
    Slice,
    /// `&mut [MaybeUninit<Event>]`
    Uninit,
    /// `&mut [MaybeUninit<Event>; 8]` (when the operation asks for 8)
    Array,
    /// `spare_capacity(&mut Vec<Event>)`, after one event already in the `Vec`
    Spare,
    /// `&mut Vec<Event>`
    Vec,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Op {
    Eventfd {
        slot: usize,
        initval: u32,
        flags: u32,
    },
    /// Made by barecall's `pipe_with` in its world and libc's `pipe2` in the other.
    Pipe {
        reader: usize,
        writer: usize,
        nonblock: bool,
    },
    EpollCreate {
        slot: usize,
        flags: u32,
    },
    Add {
        epoll: Fd,
        target: Fd,
        events: u32,
        data: u64,
    },
    Modify {
        epoll: Fd,
        target: Fd,
        events: u32,
        data: u64,
    },
    Delete {
        epoll: Fd,
        target: Fd,
    },
    /// `epoll::wait` with a zero timeout and room for `max` events.
    Wait {
        epoll: Fd,
        max: usize,
        form: Form,
    },
    /// `write` of the first `len` bytes of `value`'s native-endian bytes (then zeros).
    Write {
        target: Fd,
        value: u64,
        len: usize,
    },
    Read {
        target: Fd,
        len: usize,
    },
    /// `poll` with a zero timeout.
    Poll {
        fds: Vec<(Fd, u16)>,
    },
    Close {
        slot: usize,
    },
}

/// Every function the random sequences compare, as `Op::function` names them.
const FUNCTIONS: [&str; 11] = [
    "eventfd",
    "pipe",
    "epoll::create",
    "epoll::add",
    "epoll::modify",
    "epoll::delete",
    "epoll::wait",
    "write",
    "read",
    "poll",
    "close",
];

impl Op {
    fn function(&self) -> &'static str {
        match self {
            Op::Eventfd { .. } => "eventfd",
            Op::Pipe { .. } => "pipe",
            Op::EpollCreate { .. } => "epoll::create",
            Op::Add { .. } => "epoll::add",
            Op::Modify { .. } => "epoll::modify",
            Op::Delete { .. } => "epoll::delete",
            Op::Wait { .. } => "epoll::wait",
            Op::Write { .. } => "write",
            Op::Read { .. } => "read",
            Op::Poll { .. } => "poll",
            Op::Close { .. } => "close",
        }
    }
}

const UNKNOWN_EVENT_BIT: u32 = 1 << 20;

fn random_fd(rng: &mut Rng) -> Fd {
    if rng.chance(6) {
        Fd::NotOpen(rng.pick(&NOT_OPEN))
    } else {
        Fd::Slot(rng.below(SLOTS))
    }
}

/// Where epoll instances mostly are (slot 0 from the start; `EpollCreate` mostly fills these).
const EPOLL_SLOTS: [usize; 5] = [0, 0, 0, 4, 5];
/// Where the fds to watch, read and write mostly are (eventfds, pipe ends; 4 may be an epoll
/// instance, to nest).
const TARGET_SLOTS: [usize; 7] = [1, 1, 2, 3, 6, 7, 4];

fn epoll_fd(rng: &mut Rng) -> Fd {
    if rng.chance(85) {
        Fd::Slot(rng.pick(&EPOLL_SLOTS))
    } else {
        random_fd(rng)
    }
}

fn target_fd(rng: &mut Rng) -> Fd {
    if rng.chance(85) {
        Fd::Slot(rng.pick(&TARGET_SLOTS))
    } else {
        random_fd(rng)
    }
}

fn random_events(rng: &mut Rng) -> u32 {
    let mut events = 0;
    for (bit, percent) in [
        (libc::EPOLLIN as u32, 70),
        (libc::EPOLLOUT as u32, 40),
        (libc::EPOLLPRI as u32, 10),
        (libc::EPOLLRDHUP as u32, 10),
        (libc::EPOLLRDNORM as u32, 10),
        (libc::EPOLLWRNORM as u32, 5),
        (libc::EPOLLERR as u32, 5),
        (libc::EPOLLHUP as u32, 5),
        (libc::EPOLLET as u32, 30),
        (libc::EPOLLONESHOT as u32, 20),
        (libc::EPOLLEXCLUSIVE as u32, 5),
        (UNKNOWN_EVENT_BIT, 4),
    ] {
        if rng.chance(percent) {
            events |= bit;
        }
    }
    events
}

fn random_data(rng: &mut Rng) -> u64 {
    match rng.below(4) {
        0 => rng.below(16) as u64,
        1 => rng.pick(&[0, u64::MAX, 1 << 32, 0xDEAD_BEEF_0000_0001]),
        _ => rng.next(),
    }
}

fn random_op(rng: &mut Rng) -> Op {
    let slot = rng.below(SLOTS);
    match rng.below(100) {
        0..=2 => Op::Eventfd {
            slot: if rng.chance(80) {
                rng.pick(&[1, 6, 7])
            } else {
                slot
            },
            initval: rng.pick(&[0, 0, 1, 2, 7, u32::MAX]),
            flags: {
                let mut flags = 0;
                if rng.chance(50) {
                    flags |= libc::EFD_NONBLOCK as u32;
                }
                if rng.chance(30) {
                    flags |= libc::EFD_SEMAPHORE as u32;
                }
                if rng.chance(30) {
                    flags |= libc::EFD_CLOEXEC as u32;
                }
                if rng.chance(5) {
                    flags |= rng.pick(&[0x4, 0x10, 1 << 30]);
                }
                flags
            },
        },
        3..=4 => {
            let (reader, writer) = match rng.below(3) {
                0 => (2, 3),
                1 => (6, 7),
                _ => (slot, (slot + 1 + rng.below(SLOTS - 1)) % SLOTS),
            };
            Op::Pipe {
                reader,
                writer,
                nonblock: rng.chance(60),
            }
        }
        5..=7 => Op::EpollCreate {
            slot: if rng.chance(80) {
                rng.pick(&[0, 4, 5])
            } else {
                slot
            },
            flags: match rng.below(10) {
                0 => rng.pick(&[1, libc::O_NONBLOCK as u32, 1 << 30]),
                1..=5 => libc::EPOLL_CLOEXEC as u32,
                _ => 0,
            },
        },
        8..=30 => Op::Add {
            epoll: epoll_fd(rng),
            target: target_fd(rng),
            events: random_events(rng),
            data: random_data(rng),
        },
        31..=41 => Op::Modify {
            epoll: epoll_fd(rng),
            target: target_fd(rng),
            events: random_events(rng),
            data: random_data(rng),
        },
        42..=47 => Op::Delete {
            epoll: epoll_fd(rng),
            target: target_fd(rng),
        },
        48..=62 => Op::Wait {
            epoll: epoll_fd(rng),
            max: rng.pick(&[0, 1, 2, 3, 8, 8, 8]),
            form: rng.pick(&[
                Form::Slice,
                Form::Uninit,
                Form::Array,
                Form::Spare,
                Form::Vec,
            ]),
        },
        63..=74 => Op::Write {
            target: target_fd(rng),
            value: match rng.below(6) {
                0 => u64::MAX,
                1 => u64::MAX - 1,
                2 => 0,
                _ => rng.below(5) as u64 + 1,
            },
            len: rng.pick(&[8, 8, 8, 8, 4, 1]),
        },
        75..=86 => Op::Read {
            target: target_fd(rng),
            len: rng.pick(&[8, 8, 8, 16, 4, 1]),
        },
        87..=94 => Op::Poll {
            fds: (0..=rng.below(4))
                .map(|_| {
                    let events = rng.pick(&[
                        libc::POLLIN,
                        libc::POLLOUT,
                        libc::POLLIN | libc::POLLOUT,
                        libc::POLLPRI | libc::POLLRDHUP,
                        0,
                        -0x8000,
                    ]) as u16;
                    (target_fd(rng), events)
                })
                .collect(),
        },
        _ => Op::Close { slot },
    }
}

/// Every episode starts with epoll instances in slots 0 and 4, eventfds in slots 1 and 6
/// (a counter and a semaphore) and a pipe in slots 2 and 3, then random operations; all of them compared, and dropped when shrinking
/// like any other. Reproducible from `(seed, episode)`.
fn episode_ops(seed: u64, episode: usize) -> Vec<Op> {
    let mut rng = Rng(seed ^ (episode as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let mut ops = start_ops();
    ops.extend((0..EPISODE_LEN).map(|_| random_op(&mut rng)));
    ops
}

fn start_ops() -> Vec<Op> {
    vec![
        Op::EpollCreate {
            slot: 0,
            flags: libc::EPOLL_CLOEXEC as u32,
        },
        Op::Eventfd {
            slot: 1,
            initval: 0,
            flags: libc::EFD_NONBLOCK as u32,
        },
        Op::Pipe {
            reader: 2,
            writer: 3,
            nonblock: true,
        },
        Op::EpollCreate { slot: 4, flags: 0 },
        Op::Eventfd {
            slot: 6,
            initval: 2,
            flags: (libc::EFD_SEMAPHORE | libc::EFD_NONBLOCK) as u32,
        },
    ]
}

// ---- Results ---------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq)]
enum Ret {
    /// Success without a value.
    Done,
    /// A count.
    Ok(u64),
    Err(i32),
    /// A new fd (two for a pipe), put in a slot, and whether it took the lowest free number.
    NewFd {
        lowest_free: bool,
    },
    /// A read: the result, and the whole buffer afterwards.
    Read(Result<u64, i32>, Vec<u8>),
    /// `epoll::wait`'s events, flags and data, in the kernel's order.
    Events(Vec<(u32, u64)>),
    /// `poll`'s count and every `revents`.
    Polled(u64, Vec<u16>),
    /// Not run: `close` of an empty slot, or a read or write that could block.
    Skipped,
}

fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn lc_unit(ret: c_int) -> Ret {
    match ret {
        0 => Ret::Done,
        -1 => Ret::Err(errno()),
        other => Ret::Ok(other as u64),
    }
}

fn bc_unit(ret: io::Result<()>) -> Ret {
    match ret {
        Ok(()) => Ret::Done,
        Err(err) => Ret::Err(err.raw_os_error()),
    }
}

fn borrow<'a>(raw: RawFd) -> BorrowedFd<'a> {
    assert_ne!(raw, -1, "std's BorrowedFd cannot hold -1");
    unsafe { BorrowedFd::borrow_raw(raw) }
}

/// A number that is not open: the lowest free one, just closed. Nothing opens an fd between
/// this and the call that uses it.
fn closed_number() -> RawFd {
    let mut fds = [0 as c_int; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "pipe");
    unsafe {
        libc::close(fds[0]);
        libc::close(fds[1]);
    }
    fds[0]
}

// ---- Worlds ----------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Barecall,
    Libc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Eventfd,
    PipeReader,
    PipeWriter,
    Epoll,
}

struct Slot {
    fd: OwnedFd,
    kind: Kind,
}

/// What libc sees of a slot.
#[derive(Clone, Debug, PartialEq, Eq)]
struct SlotState {
    kind: Option<Kind>,
    fd_flags: c_int,
    status_flags: c_int,
    revents: i16,
}

struct World {
    side: Side,
    slots: Vec<Option<Slot>>,
}

/// The events a slot's readiness is read for.
const STATE_EVENTS: i16 = libc::POLLIN | libc::POLLOUT | libc::POLLPRI | libc::POLLRDHUP;

impl World {
    fn new(side: Side) -> Self {
        Self {
            side,
            slots: (0..SLOTS).map(|_| None).collect(),
        }
    }

    fn raw(&self, fd: Fd) -> RawFd {
        match fd {
            Fd::Slot(i) => match &self.slots[i] {
                Some(slot) => slot.fd.as_raw_fd(),
                None => closed_number(),
            },
            Fd::NotOpen(n) => n,
        }
    }

    /// Puts a new fd in `slot`, closing what was there.
    fn put(&mut self, slot: usize, fd: OwnedFd, kind: Kind) -> bool {
        let lowest_free = common::is_lowest_free(fd.as_raw_fd(), 0);
        self.slots[slot] = Some(Slot { fd, kind });
        lowest_free
    }

    fn new_fd(&mut self, slot: usize, result: Result<OwnedFd, i32>, kind: Kind) -> Ret {
        match result {
            Ok(fd) => {
                // The slot's old fd closes only now, after the new one took its number.
                let lowest_free = self.put(slot, fd, kind);
                Ret::NewFd { lowest_free }
            }
            Err(errno) => Ret::Err(errno),
        }
    }

    /// Whether a read (`write == false`) or write of `raw` could block: a blocking fd that
    /// libc's `poll` finds not ready for it, or a blocking eventfd and a write of a value above
    /// 1 (`POLLOUT` says only that 1 more fits).
    fn could_block(&self, raw: RawFd, write: Option<(u64, usize)>) -> bool {
        let flags = unsafe { libc::fcntl(raw, libc::F_GETFL) };
        if flags == -1 || flags & libc::O_NONBLOCK != 0 {
            return false;
        }
        let eventfd = self
            .slots
            .iter()
            .flatten()
            .any(|slot| slot.fd.as_raw_fd() == raw && slot.kind == Kind::Eventfd);
        if let Some((value, len)) = write {
            if eventfd && len == 8 && (2..u64::MAX).contains(&value) {
                return true;
            }
        }
        let write = write.is_some();
        let events = if write { libc::POLLOUT } else { libc::POLLIN };
        let mut pfd = libc::pollfd {
            fd: raw,
            events,
            revents: 0,
        };
        let ready = unsafe { libc::poll(&mut pfd, 1, 0) };
        // Ready, or an error condition (a read end with no writer reads 0, a write end with no
        // reader fails with EPIPE, which SIGPIPE ignored lets through): no blocking.
        !(ready == 1 && pfd.revents != 0)
    }

    fn exec(&mut self, op: &Op) -> Ret {
        match *op {
            Op::Eventfd {
                slot,
                initval,
                flags,
            } => {
                let result = match self.side {
                    Side::Barecall => {
                        bc_event::eventfd(initval, EventfdFlags::from_bits_retain(flags))
                            .map_err(|e| e.raw_os_error())
                    }
                    Side::Libc => match unsafe { libc::eventfd(initval, flags as c_int) } {
                        -1 => Err(errno()),
                        fd => Ok(unsafe { OwnedFd::from_raw_fd(fd) }),
                    },
                };
                self.new_fd(slot, result, Kind::Eventfd)
            }
            Op::Pipe {
                reader,
                writer,
                nonblock,
            } => {
                let result = match self.side {
                    Side::Barecall => {
                        let flags = if nonblock {
                            PipeFlags::NONBLOCK
                        } else {
                            PipeFlags::empty()
                        };
                        pipe_with(flags).map_err(|e| e.raw_os_error())
                    }
                    Side::Libc => {
                        let mut fds = [0 as c_int; 2];
                        let flags = if nonblock { libc::O_NONBLOCK } else { 0 };
                        if unsafe { libc::pipe2(fds.as_mut_ptr(), flags) } == 0 {
                            Ok(unsafe {
                                (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1]))
                            })
                        } else {
                            Err(errno())
                        }
                    }
                };
                match result {
                    Ok((r, w)) => {
                        let lowest_free = common::is_lowest_free(r.as_raw_fd(), 0)
                            && common::is_lowest_free(w.as_raw_fd(), 0);
                        self.slots[reader] = Some(Slot {
                            fd: r,
                            kind: Kind::PipeReader,
                        });
                        self.slots[writer] = Some(Slot {
                            fd: w,
                            kind: Kind::PipeWriter,
                        });
                        Ret::NewFd { lowest_free }
                    }
                    Err(errno) => Ret::Err(errno),
                }
            }
            Op::EpollCreate { slot, flags } => {
                let result = match self.side {
                    Side::Barecall => epoll::create(CreateFlags::from_bits_retain(flags))
                        .map_err(|e| e.raw_os_error()),
                    Side::Libc => match unsafe { libc::epoll_create1(flags as c_int) } {
                        -1 => Err(errno()),
                        fd => Ok(unsafe { OwnedFd::from_raw_fd(fd) }),
                    },
                };
                self.new_fd(slot, result, Kind::Epoll)
            }
            Op::Add {
                epoll: ep,
                target,
                events,
                data,
            }
            | Op::Modify {
                epoll: ep,
                target,
                events,
                data,
            } => {
                let add = matches!(op, Op::Add { .. });
                let (ep, target) = (self.raw(ep), self.raw(target));
                match self.side {
                    Side::Barecall => {
                        let (ep, target) = (borrow(ep), borrow(target));
                        let (data, flags) = (
                            EventData::new_u64(data),
                            EventFlags::from_bits_retain(events),
                        );
                        bc_unit(if add {
                            epoll::add(ep, target, data, flags)
                        } else {
                            epoll::modify(ep, target, data, flags)
                        })
                    }
                    Side::Libc => {
                        let mut event = libc::epoll_event { events, u64: data };
                        let ctl = if add {
                            libc::EPOLL_CTL_ADD
                        } else {
                            libc::EPOLL_CTL_MOD
                        };
                        lc_unit(unsafe { libc::epoll_ctl(ep, ctl, target, &mut event) })
                    }
                }
            }
            Op::Delete { epoll: ep, target } => {
                let (ep, target) = (self.raw(ep), self.raw(target));
                match self.side {
                    Side::Barecall => bc_unit(epoll::delete(borrow(ep), borrow(target))),
                    Side::Libc => lc_unit(unsafe {
                        libc::epoll_ctl(ep, libc::EPOLL_CTL_DEL, target, std::ptr::null_mut())
                    }),
                }
            }
            Op::Wait {
                epoll: ep,
                max,
                form,
            } => {
                let ep = self.raw(ep);
                match self.side {
                    Side::Barecall => bc_wait(borrow(ep), max, form),
                    Side::Libc => {
                        let mut events = vec![libc::epoll_event { events: 0, u64: 0 }; max];
                        let n =
                            unsafe { libc::epoll_wait(ep, events.as_mut_ptr(), max as c_int, 0) };
                        if n < 0 {
                            Ret::Err(errno())
                        } else {
                            Ret::Events(
                                events[..n as usize]
                                    .iter()
                                    .map(|e| (e.events, e.u64))
                                    .collect(),
                            )
                        }
                    }
                }
            }
            Op::Write { target, value, len } => {
                let raw = self.raw(target);
                if self.could_block(raw, Some((value, len.min(8)))) {
                    return Ret::Skipped;
                }
                let mut bytes = [0u8; 8];
                bytes.copy_from_slice(&value.to_ne_bytes());
                let buf = &bytes[..len.min(8)];
                match self.side {
                    Side::Barecall => match io::write(borrow(raw), buf) {
                        Ok(n) => Ret::Ok(n as u64),
                        Err(err) => Ret::Err(err.raw_os_error()),
                    },
                    Side::Libc => {
                        let n = unsafe { libc::write(raw, buf.as_ptr().cast(), buf.len()) };
                        if n < 0 {
                            Ret::Err(errno())
                        } else {
                            Ret::Ok(n as u64)
                        }
                    }
                }
            }
            Op::Read { target, len } => {
                let raw = self.raw(target);
                if self.could_block(raw, None) {
                    return Ret::Skipped;
                }
                let mut buf = vec![FILL; len];
                let result = match self.side {
                    Side::Barecall => io::read(borrow(raw), &mut buf[..])
                        .map(|n| n as u64)
                        .map_err(|e| e.raw_os_error()),
                    Side::Libc => {
                        let n = unsafe { libc::read(raw, buf.as_mut_ptr().cast(), len) };
                        if n < 0 {
                            Err(errno())
                        } else {
                            Ok(n as u64)
                        }
                    }
                };
                Ret::Read(result, buf)
            }
            Op::Poll { ref fds } => {
                let raws: Vec<(RawFd, u16)> = fds
                    .iter()
                    .map(|&(fd, events)| (self.raw(fd), events))
                    .collect();
                match self.side {
                    Side::Barecall => {
                        let mut pollfds: Vec<PollFd<'_>> = raws
                            .iter()
                            .map(|&(raw, events)| {
                                PollFd::from_borrowed_fd(
                                    borrow(raw),
                                    PollFlags::from_bits_retain(events),
                                )
                            })
                            .collect();
                        match bc_event::poll(&mut pollfds, Some(&NOW)) {
                            Ok(n) => Ret::Polled(
                                n as u64,
                                pollfds.iter().map(|p| p.revents().bits()).collect(),
                            ),
                            Err(err) => Ret::Err(err.raw_os_error()),
                        }
                    }
                    Side::Libc => {
                        let mut pollfds: Vec<libc::pollfd> = raws
                            .iter()
                            .map(|&(fd, events)| libc::pollfd {
                                fd,
                                events: events as i16,
                                revents: 0,
                            })
                            .collect();
                        let n = unsafe {
                            libc::poll(pollfds.as_mut_ptr(), pollfds.len() as libc::nfds_t, 0)
                        };
                        if n < 0 {
                            Ret::Err(errno())
                        } else {
                            Ret::Polled(
                                n as u64,
                                pollfds.iter().map(|p| p.revents as u16).collect(),
                            )
                        }
                    }
                }
            }
            Op::Close { slot } => match self.slots[slot].take() {
                None => Ret::Skipped,
                Some(slot) => match self.side {
                    Side::Barecall => {
                        unsafe { io::close(std::os::fd::IntoRawFd::into_raw_fd(slot.fd)) };
                        Ret::Done
                    }
                    Side::Libc => lc_unit(unsafe {
                        libc::close(std::os::fd::IntoRawFd::into_raw_fd(slot.fd))
                    }),
                },
            },
        }
    }

    fn state(&self) -> Vec<SlotState> {
        self.slots
            .iter()
            .map(|slot| match slot {
                None => SlotState {
                    kind: None,
                    fd_flags: -1,
                    status_flags: -1,
                    revents: 0,
                },
                Some(slot) => {
                    let raw = slot.fd.as_raw_fd();
                    let mut pfd = libc::pollfd {
                        fd: raw,
                        events: STATE_EVENTS,
                        revents: 0,
                    };
                    let ready = unsafe { libc::poll(&mut pfd, 1, 0) };
                    assert!(ready >= 0, "libc poll of slot fd {raw}");
                    SlotState {
                        kind: Some(slot.kind),
                        fd_flags: common::libc_fd_flags(raw),
                        status_flags: common::libc_status_flags(raw),
                        revents: pfd.revents,
                    }
                }
            })
            .collect()
    }
}

/// barecall's `epoll::wait` into `form`, with room for `max` events and a zero timeout.
fn bc_wait(ep: BorrowedFd<'_>, max: usize, form: Form) -> Ret {
    let pairs = |events: &[Event]| -> Vec<(u32, u64)> {
        events
            .iter()
            .map(|e| ({ e.flags }.bits(), e.data.u64()))
            .collect()
    };
    let blank = Event {
        flags: EventFlags::empty(),
        data: EventData::new_u64(0),
    };
    let result = match form {
        Form::Slice => {
            let mut events = vec![blank; max];
            epoll::wait(ep, &mut events[..], Some(&NOW)).map(|n| pairs(&events[..n]))
        }
        Form::Uninit => {
            let mut events = vec![MaybeUninit::<Event>::uninit(); max];
            epoll::wait(ep, &mut events[..], Some(&NOW)).map(|(filled, _)| pairs(filled))
        }
        Form::Array if max == 8 => {
            let mut events = [MaybeUninit::<Event>::uninit(); 8];
            epoll::wait(ep, &mut events, Some(&NOW)).map(|(filled, rest)| {
                assert_eq!(filled.len() + rest.len(), 8);
                pairs(filled)
            })
        }
        Form::Spare => {
            let mut events = Vec::with_capacity(max + 1);
            events.push(blank);
            if events.capacity() == max + 1 {
                epoll::wait(ep, spare_capacity(&mut events), Some(&NOW)).map(|n| {
                    assert_eq!(events.len(), n + 1);
                    assert_eq!(events[0], blank);
                    pairs(&events[1..])
                })
            } else {
                // The allocator gave more room than asked: as a slice of `max`.
                return bc_wait(ep, max, Form::Slice);
            }
        }
        Form::Vec | Form::Array => {
            let mut events = vec![blank; max];
            epoll::wait(ep, &mut events, Some(&NOW)).map(|n| pairs(&events[..n]))
        }
    };
    match result {
        Ok(events) => Ret::Events(events),
        Err(err) => Ret::Err(err.raw_os_error()),
    }
}

// ---- Episodes --------------------------------------------------------------------------------

struct Mismatch {
    index: usize,
    what: String,
}

struct Episode {
    outcomes: Vec<Ret>,
    /// Per function: the calls compared that succeeded, and those that failed.
    compared: BTreeMap<&'static str, (usize, usize)>,
}

impl Episode {
    fn compared(&self) -> usize {
        self.compared.values().map(|(ok, err)| ok + err).sum()
    }
}

/// Runs `ops` in fresh twin worlds; stops at the first difference.
fn run_episode(ops: &[Op]) -> Result<Episode, Mismatch> {
    let mut ours = World::new(Side::Barecall);
    let mut theirs = World::new(Side::Libc);
    let mut outcomes = Vec::with_capacity(ops.len());
    let mut compared = BTreeMap::new();
    for (index, op) in ops.iter().enumerate() {
        let (a, b) = (ours.exec(op), theirs.exec(op));
        if a != b {
            return Err(Mismatch {
                index,
                what: format!("barecall returned {a:?}\n    libc returned {b:?}"),
            });
        }
        let (x, y) = (ours.state(), theirs.state());
        if x != y {
            let slot = x.iter().zip(&y).position(|(x, y)| x != y).unwrap_or(0);
            return Err(Mismatch {
                index,
                what: format!(
                    "slot {slot} afterwards:\n    barecall: {:?}\n    libc:     {:?}",
                    x[slot], y[slot]
                ),
            });
        }
        if a != Ret::Skipped {
            let (ok, err) = compared.entry(op.function()).or_insert((0, 0));
            match a {
                Ret::Err(_) | Ret::Read(Err(_), _) => *err += 1,
                _ => *ok += 1,
            }
        }
        outcomes.push(a);
    }
    Ok(Episode { outcomes, compared })
}

/// Drops operations while the sequence still fails; returns the shortest failing sequence.
fn shrink(mut ops: Vec<Op>, mut mismatch: Mismatch) -> (Vec<Op>, Mismatch) {
    ops.truncate(mismatch.index + 1);
    loop {
        let mut shrunk = false;
        let mut i = ops.len();
        while i > 0 {
            i -= 1;
            if i >= ops.len() {
                continue;
            }
            let mut candidate = ops.clone();
            candidate.remove(i);
            if let Err(found) = run_episode(&candidate) {
                candidate.truncate(found.index + 1);
                ops = candidate;
                mismatch = found;
                shrunk = true;
            }
        }
        if !shrunk {
            return (ops, mismatch);
        }
    }
}

fn report(ops: &[Op], mismatch: &Mismatch, context: &str) -> String {
    let mut text = format!(
        "barecall and libc differ ({context}); shortest failing sequence, {} operation{}:\n",
        ops.len(),
        if ops.len() == 1 { "" } else { "s" }
    );
    for (i, op) in ops.iter().enumerate() {
        let _ = writeln!(text, "  {i:3}: {op:?}");
    }
    let _ = write!(text, "at operation {}: {}", mismatch.index, mismatch.what);
    text
}

/// Runs fixed cases: each operation with, optionally, barecall's expected result.
fn run_cases(cases: &[(Op, Option<Ret>)]) -> usize {
    let ops: Vec<Op> = cases.iter().map(|(op, _)| op.clone()).collect();
    let episode = match run_episode(&ops) {
        Ok(episode) => episode,
        Err(mismatch) => {
            let (short, mismatch) = shrink(ops, mismatch);
            panic!("{}", report(&short, &mismatch, "fixed cases"));
        }
    };
    for (i, ((op, expected), outcome)) in cases.iter().zip(&episode.outcomes).enumerate() {
        if let Some(expected) = expected {
            assert_eq!(outcome, expected, "case {i}: {op:?}");
        }
    }
    episode.compared()
}

/// A write end whose reader is gone fails with `EPIPE` in both worlds, not with a signal.
fn ignore_sigpipe() {
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
}

/// The functions that have not yet both succeeded and failed in both worlds. Making a pipe,
/// closing a slot's fd and polling with a zero timeout cannot fail here; everything else must.
fn uncovered(by_function: &BTreeMap<&str, (usize, usize)>) -> Vec<&'static str> {
    FUNCTIONS
        .into_iter()
        .filter(|function| {
            let (ok, err) = by_function.get(function).copied().unwrap_or((0, 0));
            ok == 0 || (err == 0 && !["pipe", "close", "poll"].contains(function))
        })
        .collect()
}

#[test]
fn random_sequences_match_libc() {
    let _check = common::FdCheck::new();
    ignore_sigpipe();
    let seed = run_seed();
    let target = match std::env::var("BARECALL_EVENT_DIFFERENTIAL_OPS") {
        Ok(count) => count
            .parse()
            .unwrap_or_else(|_| panic!("BARECALL_EVENT_DIFFERENTIAL_OPS={count:?} is not a count")),
        Err(_) if common::under_qemu_user() => OPS_QEMU,
        Err(_) => OPS_NATIVE,
    };
    common::report(&format!(
        "barecall-event-differential-seed: {seed:#x} (BARECALL_SEED={seed:#x} repeats this run)\n"
    ));
    let mut compared = 0;
    let mut episode = 0;
    let mut by_function: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    // Past the floor, episodes go on until every function has both succeeded and failed (some
    // failures are rare draws: a 2,000-operation run lacked one in 1 run of 12), so the
    // coverage asserted below is a property of the run, not of the seed's luck.
    while compared < target || !uncovered(&by_function).is_empty() {
        let ops = episode_ops(seed, episode);
        match run_episode(&ops) {
            Ok(result) => {
                compared += result.compared();
                for (function, (ok, err)) in result.compared {
                    let total = by_function.entry(function).or_insert((0, 0));
                    *total = (total.0 + ok, total.1 + err);
                }
            }
            Err(mismatch) => {
                let (short, mismatch) = shrink(ops, mismatch);
                let context = format!("seed {seed:#x}, episode {episode}");
                panic!("{}", report(&short, &mismatch, &context));
            }
        }
        episode += 1;
        assert!(
            episode <= 10 * target.max(OPS_QEMU) / EPISODE_LEN + 1,
            "too few operations compared: {compared} in {episode} episodes; never both \
             succeeded and failed: {:?}",
            uncovered(&by_function)
        );
    }
    // `--nocapture` shows what was compared.
    println!("{compared} operations compared:");
    for (function, (ok, err)) in &by_function {
        println!("  {function:16} {ok:5} succeeded {err:5} failed, in both");
    }
    common::report(&format!("barecall-event-differential-ops: {compared}\n"));
}

// ---- Fixed cases -----------------------------------------------------------------------------

#[test]
fn fixed_cases_match_libc() {
    let _check = common::FdCheck::new();
    ignore_sigpipe();
    let done = Some(Ret::Done);
    let new_fd = Some(Ret::NewFd { lowest_free: true });
    let err = |errno| Some(Ret::Err(errno));
    let (ep, counter, reader, writer) = (Fd::Slot(0), Fd::Slot(1), Fd::Slot(2), Fd::Slot(3));
    let in_ = libc::EPOLLIN as u32;
    let wait = |max| Op::Wait {
        epoll: ep,
        max,
        form: Form::Uninit,
    };
    let add = |target, events, data| Op::Add {
        epoll: ep,
        target,
        events,
        data,
    };
    let write = |target, value| Op::Write {
        target,
        value,
        len: 8,
    };
    let mut cases: Vec<(Op, Option<Ret>)> = start_ops()
        .into_iter()
        .map(|op| (op, new_fd.clone()))
        .collect();
    cases.extend([
        (wait(8), Some(Ret::Events(vec![]))),
        (add(counter, in_ | libc::EPOLLET as u32, 11), done.clone()),
        (add(counter, in_, 11), err(libc::EEXIST)),
        (add(reader, in_, 22), done.clone()),
        (add(ep, in_, 0), err(libc::EINVAL)),
        (add(Fd::NotOpen(900), in_, 0), err(libc::EBADF)),
        (
            Op::Add {
                epoll: counter,
                target: reader,
                events: in_,
                data: 0,
            },
            err(libc::EINVAL),
        ),
        (write(counter, 3), Some(Ret::Ok(8))),
        (wait(8), Some(Ret::Events(vec![(in_, 11)]))),
        // Edge-triggered: no new edge, no event.
        (wait(8), Some(Ret::Events(vec![]))),
        (write(writer, 0x41), Some(Ret::Ok(8))),
        (wait(8), Some(Ret::Events(vec![(in_, 22)]))),
        // Level-triggered: still there.
        (wait(1), Some(Ret::Events(vec![(in_, 22)]))),
        (wait(0), err(libc::EINVAL)),
        (
            Op::Modify {
                epoll: ep,
                target: writer,
                events: in_,
                data: 0,
            },
            err(libc::ENOENT),
        ),
        (
            Op::Modify {
                epoll: ep,
                target: reader,
                events: in_ | libc::EPOLLEXCLUSIVE as u32,
                data: 0,
            },
            err(libc::EINVAL),
        ),
        (write(counter, u64::MAX), err(libc::EINVAL)),
        (write(counter, u64::MAX - 4), Some(Ret::Ok(8))),
        (write(counter, 1), err(libc::EAGAIN)),
        (
            Op::Read {
                target: counter,
                len: 4,
            },
            Some(Ret::Read(Err(libc::EINVAL), vec![FILL; 4])),
        ),
        (
            Op::Read {
                target: counter,
                len: 8,
            },
            Some(Ret::Read(Ok(8), (u64::MAX - 1).to_ne_bytes().to_vec())),
        ),
        (
            Op::Read {
                target: counter,
                len: 8,
            },
            Some(Ret::Read(Err(libc::EAGAIN), vec![FILL; 8])),
        ),
        (
            Op::Poll {
                fds: vec![
                    (counter, libc::POLLIN as u16 | libc::POLLOUT as u16),
                    (reader, libc::POLLIN as u16),
                    (Fd::NotOpen(900), libc::POLLIN as u16),
                ],
            },
            Some(Ret::Polled(
                3,
                vec![
                    libc::POLLOUT as u16,
                    libc::POLLIN as u16,
                    libc::POLLNVAL as u16,
                ],
            )),
        ),
        // Closing a registered fd takes it out; the number is then EBADF.
        (Op::Close { slot: 1 }, done.clone()),
        (
            Op::Delete {
                epoll: ep,
                target: counter,
            },
            err(libc::EBADF),
        ),
        (
            Op::Delete {
                epoll: ep,
                target: reader,
            },
            done.clone(),
        ),
        (
            Op::Delete {
                epoll: ep,
                target: reader,
            },
            err(libc::ENOENT),
        ),
        (wait(8), Some(Ret::Events(vec![]))),
        (
            Op::Eventfd {
                slot: 4,
                initval: 0,
                flags: 1 << 30,
            },
            None,
        ),
        (Op::EpollCreate { slot: 5, flags: 1 }, err(libc::EINVAL)),
        (Op::Close { slot: 7 }, Some(Ret::Skipped)),
    ]);
    assert!(run_cases(&cases) > 20);
}
