//! Echo round trips per second over TCP loopback: one single-threaded, level-triggered epoll
//! loop serving `clients` client sockets and their accepted server sockets, each client sending
//! a 64-byte message and sending the next once the echo is back. The loop is one generic
//! function; [`Barecall`] runs it on barecall's `net` and `event::epoll`, [`StdLibc`] on std's
//! `TcpStream` (its `read` and `write`: `recv` and `send`) and libc's `epoll_ctl` and
//! `epoll_wait`. The two run in alternation, the order rotating each round; the ratio is taken
//! within each round.

use std::io::{self, Read, Write};
use std::mem::MaybeUninit;
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

/// The size of each message.
const MESSAGE: usize = 64;
/// Most events one wait reads.
const EVENTS: usize = 64;
/// The epoll data of client `i` is `CLIENT | i`; its server socket's is `i`.
const CLIENT: u64 = 1 << 32;
/// A wait this long with nothing ready fails the run.
const TIMEOUT_MS: i32 = 5_000;

/// What the loop needs of a socket and epoll implementation.
trait Net {
    type Listener;
    type Sock;
    type Epoll;
    /// A listener on 127.0.0.1, port chosen by the kernel, and that port.
    fn listener() -> io::Result<(Self::Listener, u16)>;
    /// A connected client: blocking connect, then nonblocking, `TCP_NODELAY`.
    fn connect(port: u16) -> io::Result<Self::Sock>;
    /// The next accepted connection, nonblocking, `TCP_NODELAY`.
    fn accept(listener: &Self::Listener) -> io::Result<Self::Sock>;
    fn epoll() -> io::Result<Self::Epoll>;
    /// Adds `sock` for `IN`, level-triggered, with `data`.
    fn add(epoll: &Self::Epoll, sock: &Self::Sock, data: u64) -> io::Result<()>;
    /// Waits for events; writes their data to `ready`, returns how many.
    fn wait(epoll: &Self::Epoll, ready: &mut [u64; EVENTS]) -> io::Result<usize>;
    fn send(sock: &Self::Sock, buf: &[u8]) -> io::Result<usize>;
    /// `None` if nothing is there to read.
    fn recv(sock: &Self::Sock, buf: &mut [u8]) -> io::Result<Option<usize>>;
}

/// barecall's sockets and epoll.
pub struct Barecall;

impl Net for Barecall {
    type Listener = OwnedFd;
    type Sock = OwnedFd;
    type Epoll = OwnedFd;

    fn listener() -> io::Result<(OwnedFd, u16)> {
        use barecall::net::*;
        let listener = socket_with(
            AddressFamily::INET,
            SocketType::STREAM,
            SocketFlags::CLOEXEC,
            None,
        )?;
        bind(&listener, &SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))?;
        listen(&listener, 128)?;
        let addr = SocketAddrV4::try_from(getsockname(&listener)?)?;
        Ok((listener, addr.port()))
    }

    fn connect(port: u16) -> io::Result<OwnedFd> {
        use barecall::net::*;
        let sock = socket_with(
            AddressFamily::INET,
            SocketType::STREAM,
            SocketFlags::CLOEXEC,
            None,
        )?;
        connect(&sock, &SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))?;
        barecall::io::ioctl_fionbio(&sock, true)?;
        sockopt::set_tcp_nodelay(&sock, true)?;
        Ok(sock)
    }

    fn accept(listener: &OwnedFd) -> io::Result<OwnedFd> {
        use barecall::net::*;
        let sock = accept_with(listener, SocketFlags::NONBLOCK | SocketFlags::CLOEXEC)?;
        sockopt::set_tcp_nodelay(&sock, true)?;
        Ok(sock)
    }

    fn epoll() -> io::Result<OwnedFd> {
        use barecall::event::epoll;
        Ok(epoll::create(epoll::CreateFlags::CLOEXEC)?)
    }

    fn add(ep: &OwnedFd, sock: &OwnedFd, data: u64) -> io::Result<()> {
        use barecall::event::epoll;
        let data = epoll::EventData::new_u64(data);
        Ok(epoll::add(ep, sock, data, epoll::EventFlags::IN)?)
    }

    #[inline]
    fn wait(ep: &OwnedFd, ready: &mut [u64; EVENTS]) -> io::Result<usize> {
        use barecall::event::{epoll, Timespec};
        const TIMEOUT: Timespec = Timespec {
            tv_sec: TIMEOUT_MS as i64 / 1000,
            tv_nsec: 0,
        };
        let mut events = [MaybeUninit::<epoll::Event>::uninit(); EVENTS];
        let (events, _) = epoll::wait(ep, &mut events, Some(&TIMEOUT))?;
        for (slot, event) in ready.iter_mut().zip(events.iter()) {
            *slot = event.data.u64();
        }
        Ok(events.len())
    }

    #[inline]
    fn send(sock: &OwnedFd, buf: &[u8]) -> io::Result<usize> {
        use barecall::net::{send, SendFlags};
        Ok(send(sock, buf, SendFlags::NOSIGNAL)?)
    }

    #[inline]
    fn recv(sock: &OwnedFd, buf: &mut [u8]) -> io::Result<Option<usize>> {
        use barecall::net::{recv, RecvFlags};
        match recv(sock, buf, RecvFlags::empty()) {
            Ok((n, _)) => Ok(Some(n)),
            Err(barecall::io::Errno::AGAIN) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }
}

/// std's `TcpListener` and `TcpStream`, and libc's epoll.
pub struct StdLibc;

/// An epoll fd from libc's `epoll_create1`.
pub struct LibcEpoll(OwnedFd);

impl Net for StdLibc {
    type Listener = TcpListener;
    type Sock = TcpStream;
    type Epoll = LibcEpoll;

    fn listener() -> io::Result<(TcpListener, u16)> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        Ok((listener, port))
    }

    fn connect(port: u16) -> io::Result<TcpStream> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_nonblocking(true)?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    fn accept(listener: &TcpListener) -> io::Result<TcpStream> {
        let (stream, _) = listener.accept()?;
        stream.set_nonblocking(true)?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    fn epoll() -> io::Result<LibcEpoll> {
        // SAFETY: epoll_create1 takes no pointers; a non-negative result is a new fd we own.
        let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a new fd, owned by nothing else.
        Ok(LibcEpoll(unsafe {
            std::os::fd::FromRawFd::from_raw_fd(fd)
        }))
    }

    fn add(ep: &LibcEpoll, sock: &TcpStream, data: u64) -> io::Result<()> {
        let mut event = libc::epoll_event {
            events: libc::EPOLLIN as u32,
            u64: data,
        };
        let (ep, fd) = (ep.0.as_raw_fd(), sock.as_raw_fd());
        // SAFETY: the event is live and readable for the call.
        if unsafe { libc::epoll_ctl(ep, libc::EPOLL_CTL_ADD, fd, &mut event) } < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    #[inline]
    fn wait(ep: &LibcEpoll, ready: &mut [u64; EVENTS]) -> io::Result<usize> {
        let mut events = [MaybeUninit::<libc::epoll_event>::uninit(); EVENTS];
        // SAFETY: the buffer has room for `EVENTS` events.
        let n = unsafe {
            libc::epoll_wait(
                ep.0.as_raw_fd(),
                events.as_mut_ptr().cast(),
                EVENTS as i32,
                TIMEOUT_MS,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        for (slot, event) in ready.iter_mut().zip(&events[..n as usize]) {
            // SAFETY: epoll_wait wrote the first `n` events.
            *slot = unsafe { event.assume_init_ref() }.u64;
        }
        Ok(n as usize)
    }

    #[inline]
    fn send(mut sock: &TcpStream, buf: &[u8]) -> io::Result<usize> {
        sock.write(buf)
    }

    #[inline]
    fn recv(mut sock: &TcpStream, buf: &mut [u8]) -> io::Result<Option<usize>> {
        match sock.read(buf) {
            Ok(n) => Ok(Some(n)),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => Ok(None),
            Err(err) => Err(err),
        }
    }
}

/// One round: sets up `clients` connections, then runs the loop for `length`; returns the
/// round trips per second.
fn round<N: Net>(clients: usize, length: Duration) -> io::Result<f64> {
    let (listener, port) = N::listener()?;
    let epoll = N::epoll()?;
    let (mut client_socks, mut server_socks) = (Vec::new(), Vec::new());
    for i in 0..clients as u64 {
        let client = N::connect(port)?;
        let server = N::accept(&listener)?;
        N::add(&epoll, &client, CLIENT | i)?;
        N::add(&epoll, &server, i)?;
        client_socks.push(client);
        server_socks.push(server);
    }
    let message = [0x5a_u8; MESSAGE];
    let mut received = vec![0usize; clients];
    let mut buf = [0u8; 4096];
    let mut ready = [0u64; EVENTS];
    let short = || io::Error::other("a short send");
    for client in &client_socks {
        if N::send(client, &message)? != MESSAGE {
            return Err(short());
        }
    }
    let start = Instant::now();
    let mut trips = 0u64;
    while start.elapsed() < length {
        let n = N::wait(&epoll, &mut ready)?;
        if n == 0 {
            return Err(io::Error::other("no event for 5 s"));
        }
        for &data in &ready[..n] {
            let i = (data & !CLIENT) as usize;
            if data & CLIENT != 0 {
                let Some(got) = N::recv(&client_socks[i], &mut buf)? else {
                    continue;
                };
                if got == 0 || received[i] + got > MESSAGE || buf[..got].iter().any(|&b| b != 0x5a)
                {
                    return Err(io::Error::other("a wrong echo"));
                }
                received[i] += got;
                if received[i] == MESSAGE {
                    received[i] = 0;
                    trips += 1;
                    if N::send(&client_socks[i], &message)? != MESSAGE {
                        return Err(short());
                    }
                }
            } else {
                let Some(got) = N::recv(&server_socks[i], &mut buf)? else {
                    continue;
                };
                if got == 0 {
                    return Err(io::Error::other("a client closed"));
                }
                if N::send(&server_socks[i], &buf[..got])? != got {
                    return Err(short());
                }
            }
        }
    }
    Ok(trips as f64 / start.elapsed().as_secs_f64())
}

/// Runs `reps` rounds of each implementation of `millis` ms with `clients` clients, alternating;
/// prints the medians.
pub fn run(clients: usize, millis: u64, reps: usize) -> Result<(), String> {
    let length = Duration::from_millis(millis);
    let fail = |name: &str, e: io::Error| format!("echo ({name}): {e}");
    let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for rep in 0..reps {
        let (a, b) = if rep % 2 == 0 {
            let a = round::<Barecall>(clients, length).map_err(|e| fail("barecall", e))?;
            let b = round::<StdLibc>(clients, length).map_err(|e| fail("std+libc", e))?;
            (a, b)
        } else {
            let b = round::<StdLibc>(clients, length).map_err(|e| fail("std+libc", e))?;
            let a = round::<Barecall>(clients, length).map_err(|e| fail("barecall", e))?;
            (a, b)
        };
        ours.push(a);
        theirs.push(b);
        ratios.push(a / b);
    }
    let median = crate::harness::median;
    println!(
        "echo: {clients} clients, {MESSAGE}-byte messages, median of {reps} rounds of {millis} ms"
    );
    println!("echo-rate barecall {:.0}", median(&mut ours));
    println!("echo-rate std+libc {:.0}", median(&mut theirs));
    println!("echo-ratio {:.3}", median(&mut ratios));
    Ok(())
}
