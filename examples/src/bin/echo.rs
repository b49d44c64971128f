//! An epoll echo server and its clients in one single-threaded program: `echo [CLIENTS]
//! [MESSAGES]` (8 and 100 by default; at most 64 clients) listens on 127.0.0.1 (port 0: the
//! kernel picks one, read back with `getsockname`), connects CLIENTS nonblocking TCP sockets to
//! it, and serves the listener, the accepted sockets and the clients from one edge-triggered
//! epoll loop. Each client sends MESSAGES messages of 1 to 3,000 bytes, one at a time, and
//! checks that each comes back byte for byte before sending the next; then it closes, and the
//! server closes its end when it reads the end of the stream.
//!
//! On success it prints `echo: C clients x M messages, N bytes echoed` and exits 0. A wrong
//! byte, an early end of stream, a failed call, or 10 seconds without any event (the program
//! fails rather than hang) prints `echo: ...` to stderr and exits 1; bad arguments exit 2.
#![no_std]
#![no_main]

use core::mem::MaybeUninit;

use barecall::event::epoll::{self, CreateFlags, Event, EventData, EventFlags};
use barecall::event::Timespec;
use barecall::fd::OwnedFd;
use barecall::io::Errno;
use barecall::net::{self, sockopt, AddressFamily, Ipv4Addr, SocketAddrV4};
use barecall::net::{RecvFlags, SendFlags, SocketFlags, SocketType};

barecall::main!(main);

/// Most clients (and so accepted connections) the fixed-size tables hold.
const MAX_CLIENTS: usize = 64;
/// The longest message.
const MAX_MESSAGE: usize = 3000;
/// What a server connection holds of bytes read and not yet written back: smaller than most
/// messages, so that echoing one takes several reads and writes.
const CONN_BUFFER: usize = 1024;
/// How long the loop waits for an event before it gives up.
const TIMEOUT: Timespec = Timespec {
    tv_sec: 10,
    tv_nsec: 0,
};

/// The epoll data of the listener; a client's is `CLIENT | index`, a server connection's its
/// slot.
const LISTENER: u64 = u64::MAX;
const CLIENT: u64 = 1 << 32;

fn main(startup: barecall::rt::Startup) -> i32 {
    let mut args = startup.args().skip(1);
    let clients = match args.next().map(|a| number(a.to_bytes())) {
        None => 8,
        Some(Some(n)) if (1..=MAX_CLIENTS as u64).contains(&n) => n as usize,
        Some(_) => return usage(),
    };
    let messages = match args.next().map(|a| number(a.to_bytes())) {
        None => 100,
        Some(Some(n)) if n <= u64::from(u32::MAX) => n as u32,
        Some(_) => return usage(),
    };
    if args.next().is_some() {
        return usage();
    }
    match run(clients, messages) {
        Ok(bytes) => {
            barecall::println!(
                "echo: {clients} clients x {messages} messages, {bytes} bytes echoed"
            );
            0
        }
        Err(Failed) => 1,
    }
}

fn usage() -> i32 {
    barecall::eprintln!("usage: echo [CLIENTS (1..=64)] [MESSAGES]");
    2
}

/// A decimal number, or `None` if `text` is not one or it does not fit a `u64`.
fn number(text: &[u8]) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0u64, |n, &b| {
        let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// A failure, already reported on stderr by [`failure`].
struct Failed;

/// Prints `echo: WHAT` (and the call's error, if a call failed) to stderr.
fn failure(errno: Option<Errno>, what: core::fmt::Arguments<'_>) -> Failed {
    match errno {
        Some(err) => barecall::eprintln!("echo: {what}: {} ({})", err.description(), err.name()),
        None => barecall::eprintln!("echo: {what}"),
    }
    Failed
}

/// `Err(Failed)` for a failed call, reported.
macro_rules! call {
    ($result:expr, $($what:tt)*) => {
        $result.map_err(|err| failure(Some(err), format_args!($($what)*)))
    };
}

/// The length of client `client`'s message `message`: 1 to [`MAX_MESSAGE`] bytes. (The xtask
/// computes the same to know the total the program must print.)
fn message_len(client: usize, message: u32) -> usize {
    1 + (client * 131 + message as usize * 71) % MAX_MESSAGE
}

/// Byte `at` of client `client`'s message `message`.
fn message_byte(client: usize, message: u32, at: usize) -> u8 {
    let x = ((client as u32) << 24) ^ (message << 12) ^ at as u32;
    (x.wrapping_mul(0x9E37_79B1) >> 24) as u8
}

/// One client: its socket (none once it is done), and where it is in its current message.
struct Client {
    fd: Option<OwnedFd>,
    connected: bool,
    message: u32,
    sent: usize,
    received: usize,
}

/// One accepted connection and the bytes it has read and not yet written back
/// (`buf[start..end]`).
struct Conn {
    fd: OwnedFd,
    buf: [u8; CONN_BUFFER],
    start: usize,
    end: usize,
    eof: bool,
}

/// Runs the server and the clients to the end; returns the bytes echoed.
fn run(clients: usize, messages: u32) -> Result<u64, Failed> {
    let epoll = call!(epoll::create(CreateFlags::CLOEXEC), "epoll::create")?;
    let nonblocking = SocketFlags::NONBLOCK | SocketFlags::CLOEXEC;
    let listener = call!(
        net::socket_with(AddressFamily::INET, SocketType::STREAM, nonblocking, None),
        "socket"
    )?;
    let any_port = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);
    call!(net::bind(&listener, &any_port), "bind 127.0.0.1:0")?;
    call!(net::listen(&listener, 128), "listen")?;
    let addr = call!(net::getsockname(&listener), "getsockname")?;
    let edge = EventFlags::IN | EventFlags::ET;
    call!(
        epoll::add(&epoll, &listener, EventData::new_u64(LISTENER), edge),
        "epoll::add the listener"
    )?;

    let both = EventFlags::IN | EventFlags::OUT | EventFlags::RDHUP | EventFlags::ET;
    let mut client_table: [Option<Client>; MAX_CLIENTS] = [const { None }; MAX_CLIENTS];
    for (i, slot) in client_table.iter_mut().enumerate().take(clients) {
        let fd = call!(
            net::socket_with(AddressFamily::INET, SocketType::STREAM, nonblocking, None),
            "client {i}: socket"
        )?;
        // Messages go one at a time: Nagle's algorithm would hold back each last segment.
        call!(
            sockopt::set_tcp_nodelay(&fd, true),
            "client {i}: TCP_NODELAY"
        )?;
        let connected = match net::connect(&fd, &addr) {
            Ok(()) => true,
            Err(Errno::INPROGRESS) => false,
            Err(err) => return Err(failure(Some(err), format_args!("client {i}: connect"))),
        };
        call!(
            epoll::add(&epoll, &fd, EventData::new_u64(CLIENT | i as u64), both),
            "client {i}: epoll::add"
        )?;
        *slot = Some(Client {
            fd: Some(fd),
            connected,
            message: 0,
            sent: 0,
            received: 0,
        });
    }

    let mut conns: [Option<Conn>; MAX_CLIENTS] = [const { None }; MAX_CLIENTS];
    let (mut accepted, mut closed, mut done) = (0, 0, 0);
    let mut bytes = 0u64;
    let mut events = [MaybeUninit::<Event>::uninit(); 64];
    while done < clients || closed < clients {
        let (ready, _) = match epoll::wait(&epoll, &mut events, Some(&TIMEOUT)) {
            Err(Errno::INTR) => continue,
            other => call!(other, "epoll::wait")?,
        };
        if ready.is_empty() {
            return Err(failure(
                None,
                format_args!(
                    "no event for {} s: {done} of {clients} clients done, {accepted} accepted, \
                     {closed} closed",
                    TIMEOUT.tv_sec
                ),
            ));
        }
        for event in ready.iter() {
            let (flags, token) = (event.flags, event.data.u64());
            if token == LISTENER {
                // Edge-triggered: accept until there is nothing left to accept.
                loop {
                    let fd = match net::accept_with(&listener, nonblocking) {
                        Err(Errno::AGAIN) => break,
                        Err(Errno::INTR | Errno::CONNABORTED) => continue,
                        other => call!(other, "accept")?,
                    };
                    let Some(slot) = conns.iter().position(Option::is_none) else {
                        return Err(failure(None, format_args!("more connections than clients")));
                    };
                    call!(sockopt::set_tcp_nodelay(&fd, true), "server: TCP_NODELAY")?;
                    call!(
                        epoll::add(&epoll, &fd, EventData::new_u64(slot as u64), both),
                        "server: epoll::add"
                    )?;
                    conns[slot] = Some(Conn {
                        fd,
                        buf: [0; CONN_BUFFER],
                        start: 0,
                        end: 0,
                        eof: false,
                    });
                    accepted += 1;
                }
            } else if token & CLIENT != 0 {
                let i = (token & !CLIENT) as usize;
                let Some(Some(client)) = client_table.get_mut(i) else {
                    return Err(failure(
                        None,
                        format_args!("an event for no client ({token:#x})"),
                    ));
                };
                if client.fd.is_some() && pump_client(client, i, messages, flags, &mut bytes)? {
                    done += 1;
                }
            } else {
                let slot = token as usize;
                let Some(entry) = conns.get_mut(slot) else {
                    return Err(failure(
                        None,
                        format_args!("an event for no slot ({token:#x})"),
                    ));
                };
                if let Some(conn) = entry {
                    if pump_conn(conn, slot)? {
                        // Closing the socket takes it out of the interest list.
                        *entry = None;
                        closed += 1;
                    }
                }
            }
        }
    }
    Ok(bytes)
}

/// Moves a server connection along: reads what it can (while there is room), writes back what
/// it holds, until neither makes progress (edge-triggered: the next event comes when one
/// could). Returns whether the connection is finished (the peer's end of stream, everything
/// written back) and so closed.
fn pump_conn(conn: &mut Conn, slot: usize) -> Result<bool, Failed> {
    loop {
        let mut progress = false;
        if conn.start > 0 {
            conn.buf.copy_within(conn.start..conn.end, 0);
            (conn.start, conn.end) = (0, conn.end - conn.start);
        }
        if !conn.eof && conn.end < CONN_BUFFER {
            match net::recv(&conn.fd, &mut conn.buf[conn.end..], RecvFlags::empty()) {
                Ok((0, _)) => {
                    conn.eof = true;
                    progress = true;
                }
                Ok((n, _)) => {
                    conn.end += n;
                    progress = true;
                }
                Err(Errno::AGAIN) => {}
                Err(Errno::INTR) => progress = true,
                Err(err) => return Err(failure(Some(err), format_args!("server {slot}: recv"))),
            }
        }
        if conn.start < conn.end {
            let pending = &conn.buf[conn.start..conn.end];
            match net::send(&conn.fd, pending, SendFlags::NOSIGNAL) {
                Ok(n) => {
                    conn.start += n;
                    progress = true;
                }
                Err(Errno::AGAIN) => {}
                Err(Errno::INTR) => progress = true,
                Err(err) => return Err(failure(Some(err), format_args!("server {slot}: send"))),
            }
        }
        if conn.eof && conn.start == conn.end {
            return Ok(true);
        }
        if !progress {
            return Ok(false);
        }
    }
}

/// Moves a client along: finishes connecting (`SO_ERROR` says how the connect went), then
/// sends its current message and reads the echo, checking each byte, message after message,
/// until neither sending nor receiving makes progress. Returns whether the client is done (all
/// its messages echoed; its socket is then closed).
fn pump_client(
    client: &mut Client,
    i: usize,
    messages: u32,
    flags: EventFlags,
    bytes: &mut u64,
) -> Result<bool, Failed> {
    if !client.connected {
        let Some(fd) = client.fd.as_ref() else {
            return Ok(false);
        };
        if !flags.intersects(EventFlags::OUT | EventFlags::ERR | EventFlags::HUP) {
            return Ok(false);
        }
        match call!(sockopt::socket_error(fd), "client {i}: SO_ERROR")? {
            Ok(()) => client.connected = true,
            Err(err) => return Err(failure(Some(err), format_args!("client {i}: connect"))),
        }
    }
    let mut chunk = [0u8; 512];
    loop {
        if client.message == messages {
            client.fd = None;
            return Ok(true);
        }
        let Some(fd) = client.fd.as_ref() else {
            return Ok(false);
        };
        let (message, len) = (client.message, message_len(i, client.message));
        let mut progress = false;
        if client.sent < len {
            let n = (len - client.sent).min(chunk.len());
            for (k, byte) in chunk[..n].iter_mut().enumerate() {
                *byte = message_byte(i, message, client.sent + k);
            }
            match net::send(fd, &chunk[..n], SendFlags::NOSIGNAL) {
                Ok(n) => {
                    client.sent += n;
                    progress = true;
                }
                Err(Errno::AGAIN) => {}
                Err(Errno::INTR) => progress = true,
                Err(err) => return Err(failure(Some(err), format_args!("client {i}: send"))),
            }
        }
        let want = (len - client.received).min(chunk.len());
        match net::recv(fd, &mut chunk[..want], RecvFlags::empty()) {
            Ok((0, _)) => {
                return Err(failure(
                    None,
                    format_args!("client {i}: the server closed during message {message}"),
                ))
            }
            Ok((n, _)) => {
                for (k, &got) in chunk[..n].iter().enumerate() {
                    let at = client.received + k;
                    let expected = message_byte(i, message, at);
                    if got != expected {
                        return Err(failure(
                            None,
                            format_args!(
                                "client {i}: message {message} byte {at}: got {got:#04x}, \
                                 expected {expected:#04x}"
                            ),
                        ));
                    }
                }
                client.received += n;
                *bytes += n as u64;
                progress = true;
            }
            Err(Errno::AGAIN) => {}
            Err(Errno::INTR) => progress = true,
            Err(err) => return Err(failure(Some(err), format_args!("client {i}: recv"))),
        }
        if client.received == len {
            (client.message, client.sent, client.received) = (message + 1, 0, 0);
            progress = true;
        }
        if !progress {
            return Ok(false);
        }
    }
}
