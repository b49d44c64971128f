// A program written against rustix 1.x's `event` module, as a user would write it: `poll`,
// `PollFd`, `PollFlags`, `epoll`'s functions and types, `eventfd`, `Timespec`, and
// `buffer::spare_capacity` for `epoll::wait`. `event_port.rs` includes it under
// `use rustix::{...}` and under `use barecall::{...}`. Whatever it observes goes into the
// returned lines: values, errno numbers, event flags and data.

use std::mem::MaybeUninit;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};

use event::epoll;

/// What a call returned: the value, or the errno number.
fn seen<T: std::fmt::Debug>(result: io::Result<T>) -> String {
    match result {
        Ok(value) => format!("ok {value:?}"),
        Err(errno) => format!("errno {}", errno.raw_os_error()),
    }
}

fn events(list: &[epoll::Event]) -> String {
    let mut pairs: Vec<(u32, u64)> = list
        .iter()
        .map(|e| ({ e.flags }.bits(), e.data.u64()))
        .collect();
    pairs.sort_unstable();
    format!("{pairs:?}")
}

fn poke(fd: &OwnedFd, n: u64) -> String {
    seen(io::write(fd, &n.to_ne_bytes()))
}

fn take(fd: &OwnedFd) -> String {
    let mut buf = [0u8; 8];
    seen(io::read(fd, &mut buf).map(|n| (n, u64::from_ne_bytes(buf))))
}

pub fn run() -> Vec<String> {
    let mut out = Vec::new();
    let now = event::Timespec {
        tv_sec: 0 as event::Secs,
        tv_nsec: 0 as event::Nsecs,
    };
    let closed = unsafe { BorrowedFd::borrow_raw(900) };

    // eventfd: counter and semaphore modes, overflow, flags.
    let counter = event::eventfd(
        5,
        event::EventfdFlags::NONBLOCK | event::EventfdFlags::CLOEXEC,
    )
    .unwrap();
    out.push(format!("counter read: {}", take(&counter)));
    out.push(format!("counter empty: {}", take(&counter)));
    out.push(format!("counter max: {}", poke(&counter, u64::MAX)));
    out.push(format!(
        "counter near max: {}",
        poke(&counter, u64::MAX - 1)
    ));
    out.push(format!("counter overflow: {}", poke(&counter, 1)));
    out.push(format!("counter drained: {}", take(&counter)));
    out.push(format!(
        "short read: {}",
        seen(io::read(&counter, &mut [0u8; 4]))
    ));
    let sem = event::eventfd(
        2,
        event::EventfdFlags::SEMAPHORE | event::EventfdFlags::NONBLOCK,
    )
    .unwrap();
    for i in 0..3 {
        out.push(format!("semaphore read {i}: {}", take(&sem)));
    }
    out.push(format!(
        "eventfd unknown bits: {}",
        seen(event::eventfd(0, event::EventfdFlags::from_bits_retain(0x10)).map(drop))
    ));

    // poll.
    let (reader, writer) = pipe::pipe().unwrap();
    let mut fds = [
        event::PollFd::new(&reader, event::PollFlags::IN),
        event::PollFd::new(&writer, event::PollFlags::OUT),
        event::PollFd::from_borrowed_fd(closed, event::PollFlags::IN),
    ];
    out.push(format!("poll: {}", seen(event::poll(&mut fds, Some(&now)))));
    for (i, fd) in fds.iter().enumerate() {
        out.push(format!("poll revents {i}: {:?}", fd.revents()));
    }
    io::write(&writer, b"x").unwrap();
    out.push(format!(
        "poll after write: {}",
        seen(event::poll(&mut fds[..1], None))
    ));
    out.push(format!("revents: {:?}", fds[0].revents()));
    fds[0].clear_revents();
    out.push(format!("cleared: {:?}", fds[0].revents()));
    fds[1].set_fd(&reader);
    out.push(format!(
        "set_fd: {}",
        fds[1].as_fd().as_raw_fd() == reader.as_raw_fd()
    ));
    let bad = event::Timespec {
        tv_sec: -1,
        tv_nsec: 0,
    };
    out.push(format!(
        "poll negative timeout: {}",
        seen(event::poll(&mut fds[..1], Some(&bad)))
    ));
    let long = event::Timespec {
        tv_sec: 3_000_000,
        tv_nsec: 0,
    };
    out.push(format!(
        "poll 3e6 s timeout, ready: {}",
        seen(event::poll(&mut fds[..1], Some(&long)))
    ));
    let fine = event::Timespec {
        tv_sec: 0,
        tv_nsec: 1_000_000,
    };
    out.push(format!(
        "poll 1 ms: {}",
        seen(event::poll(&mut [], Some(&fine)))
    ));

    // epoll.
    let ep = epoll::create(epoll::CreateFlags::CLOEXEC).unwrap();
    out.push(format!(
        "create unknown bits: {}",
        seen(epoll::create(epoll::CreateFlags::from_bits_retain(1)).map(drop))
    ));
    let c = event::eventfd(0, event::EventfdFlags::NONBLOCK).unwrap();
    out.push(format!(
        "add: {}",
        seen(epoll::add(
            &ep,
            &c,
            epoll::EventData::new_u64(1),
            epoll::EventFlags::IN | epoll::EventFlags::ET
        ))
    ));
    out.push(format!(
        "add again: {}",
        seen(epoll::add(
            &ep,
            &c,
            epoll::EventData::new_u64(1),
            epoll::EventFlags::IN
        ))
    ));
    out.push(format!(
        "add reader: {}",
        seen(epoll::add(
            &ep,
            &reader,
            epoll::EventData::new_u64(2),
            epoll::EventFlags::IN
        ))
    ));
    out.push(format!(
        "add closed: {}",
        seen(epoll::add(
            &ep,
            closed,
            epoll::EventData::new_u64(0),
            epoll::EventFlags::IN
        ))
    ));
    out.push(format!(
        "add self: {}",
        seen(epoll::add(
            &ep,
            &ep,
            epoll::EventData::new_u64(0),
            epoll::EventFlags::IN
        ))
    ));
    poke(&c, 1);
    let mut uninit = [MaybeUninit::<epoll::Event>::uninit(); 8];
    match epoll::wait(&ep, &mut uninit, Some(&now)) {
        Ok((ready, rest)) => out.push(format!(
            "wait uninit: {} rest {}",
            events(ready),
            rest.len()
        )),
        Err(e) => out.push(format!("wait uninit: errno {}", e.raw_os_error())),
    }
    // Edge-triggered: the counter is not reported again; the level-triggered reader is.
    let mut list = Vec::with_capacity(8);
    out.push(format!(
        "wait spare: {}",
        seen(epoll::wait(
            &ep,
            buffer::spare_capacity(&mut list),
            Some(&now)
        ))
    ));
    out.push(format!("spare events: {}", events(&list)));
    out.push(format!(
        "modify: {}",
        seen(epoll::modify(
            &ep,
            &c,
            epoll::EventData::new_u64(3),
            epoll::EventFlags::OUT | epoll::EventFlags::ONESHOT
        ))
    ));
    let blank = epoll::Event {
        flags: epoll::EventFlags::empty(),
        data: epoll::EventData::new_u64(0),
    };
    let mut array = [blank; 4];
    for i in 0..2 {
        let n = epoll::wait(&ep, &mut array, Some(&now));
        out.push(format!(
            "wait array {i}: {}",
            seen(n.map(|n| events(&array[..n])))
        ));
    }
    out.push(format!(
        "modify missing: {}",
        seen(epoll::modify(
            &ep,
            &writer,
            epoll::EventData::new_u64(0),
            epoll::EventFlags::IN
        ))
    ));
    out.push(format!("delete: {}", seen(epoll::delete(&ep, &reader))));
    out.push(format!(
        "delete again: {}",
        seen(epoll::delete(&ep, &reader))
    ));
    out.push(format!(
        "delete closed: {}",
        seen(epoll::delete(&ep, closed))
    ));
    out.push(format!(
        "wait empty buffer: {}",
        seen(epoll::wait(&ep, &mut [] as &mut [epoll::Event], Some(&now)))
    ));
    out.push(format!(
        "wait not epoll: {}",
        seen(epoll::wait(&c, &mut array, Some(&now)))
    ));
    out.push(format!(
        "event data: {} {}",
        epoll::EventData::new_u64(7) == epoll::EventData::new_u64(7),
        epoll::EventData::new_ptr(std::ptr::null_mut()).u64()
    ));
    out.push(format!("default flags: {:?}", epoll::EventFlags::default()));
    out
}
