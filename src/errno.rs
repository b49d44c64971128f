//! The `Errno` type: a Linux error code, with its name and message in `no_std`.

use core::fmt;
use core::num::NonZeroU32;
use linux_raw_sys::errno;

/// `errno`—An error code returned by the kernel.
///
/// The error type of every barecall call. It holds the code and nothing else, so `Result<T>`
/// stays two words. Unlike rustix without `std`, it knows each code's name ([`Errno::name`]) and
/// glibc's message for it ([`Errno::description`]) in `no_std` too.
///
/// # References
///  - [Linux `errno(3)`](https://man7.org/linux/man-pages/man3/errno.3.html)
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Errno(Code);

/// An error code: 32 bits, never 0.
///
/// 32 bits, although every code fits in 16, for the `Result`s of 32-bit values (`FdFlags`,
/// `OwnedFd`): with a 16-bit code their two payloads differ in size, so rustc lays the `Result`
/// out as one aggregate, which LLVM carries as a single packed word (tag, code and value). Where a
/// caller's `match` sends `Err` to a handler that returns, the two arms rejoin with that word,
/// and taking it apart again costs shifts and a second test of the tag on the success path: +4
/// instructions per `fcntl_getfd` in `cargo xtask bench`'s `match` rows. With both payloads 32
/// bits the `Result` is a pair of scalars, whose tag is a constant on each path into the join,
/// and the test after it folds away. Never 0, so that `Result<()>` and `Option<Errno>` are one
/// `u32`.
type Code = NonZeroU32;

/// A specialized `Result` whose error is [`Errno`].
pub type Result<T> = core::result::Result<T, Errno>;

// The layouts the paragraph above relies on (rustc's choice, so checked).
static_assertions::assert_eq_size!(Errno, u32);
static_assertions::assert_eq_size!(Option<Errno>, u32);
static_assertions::assert_eq_size!(Result<()>, u32);
static_assertions::assert_eq_size!(Result<usize>, [usize; 2]);

/// `EINVAL` as a code.
const EINVAL: Code = match Code::new(errno::EINVAL) {
    Some(code) => code,
    None => panic!("EINVAL is not 0"),
};

/// The largest code the kernel returns as `-errno` (`MAX_ERRNO`).
const MAX_ERRNO: u32 = 4095;

/// Declares one constant per code and the code-to-name-and-message lookup, from one table.
macro_rules! errno_table {
    ($($konst:ident = $ename:ident, $desc:literal;)*) => {
        impl Errno {
            $(
                #[doc = concat!("`", stringify!($ename), "`: ", $desc, ".")]
                pub const $konst: Self = Self::from_kernel(errno::$ename);
            )*
        }

        /// `(name, message)` of a code the kernel defines; the messages are glibc's `strerror`.
        const fn lookup(code: u32) -> Option<(&'static str, &'static str)> {
            #[allow(non_upper_case_globals)]
            mod code {
                $(pub(super) const $ename: u32 = super::errno::$ename;)*
            }
            match code {
                $(code::$ename => Some((stringify!($ename), $desc)),)*
                _ => None,
            }
        }
    };
}

errno_table! {
    PERM = EPERM, "Operation not permitted";
    NOENT = ENOENT, "No such file or directory";
    SRCH = ESRCH, "No such process";
    INTR = EINTR, "Interrupted system call";
    IO = EIO, "Input/output error";
    NXIO = ENXIO, "No such device or address";
    TOOBIG = E2BIG, "Argument list too long";
    NOEXEC = ENOEXEC, "Exec format error";
    BADF = EBADF, "Bad file descriptor";
    CHILD = ECHILD, "No child processes";
    AGAIN = EAGAIN, "Resource temporarily unavailable";
    NOMEM = ENOMEM, "Cannot allocate memory";
    ACCESS = EACCES, "Permission denied";
    FAULT = EFAULT, "Bad address";
    NOTBLK = ENOTBLK, "Block device required";
    BUSY = EBUSY, "Device or resource busy";
    EXIST = EEXIST, "File exists";
    XDEV = EXDEV, "Invalid cross-device link";
    NODEV = ENODEV, "No such device";
    NOTDIR = ENOTDIR, "Not a directory";
    ISDIR = EISDIR, "Is a directory";
    INVAL = EINVAL, "Invalid argument";
    NFILE = ENFILE, "Too many open files in system";
    MFILE = EMFILE, "Too many open files";
    NOTTY = ENOTTY, "Inappropriate ioctl for device";
    TXTBSY = ETXTBSY, "Text file busy";
    FBIG = EFBIG, "File too large";
    NOSPC = ENOSPC, "No space left on device";
    SPIPE = ESPIPE, "Illegal seek";
    ROFS = EROFS, "Read-only file system";
    MLINK = EMLINK, "Too many links";
    PIPE = EPIPE, "Broken pipe";
    DOM = EDOM, "Numerical argument out of domain";
    RANGE = ERANGE, "Numerical result out of range";
    DEADLK = EDEADLK, "Resource deadlock avoided";
    NAMETOOLONG = ENAMETOOLONG, "File name too long";
    NOLCK = ENOLCK, "No locks available";
    NOSYS = ENOSYS, "Function not implemented";
    NOTEMPTY = ENOTEMPTY, "Directory not empty";
    LOOP = ELOOP, "Too many levels of symbolic links";
    NOMSG = ENOMSG, "No message of desired type";
    IDRM = EIDRM, "Identifier removed";
    CHRNG = ECHRNG, "Channel number out of range";
    L2NSYNC = EL2NSYNC, "Level 2 not synchronized";
    L3HLT = EL3HLT, "Level 3 halted";
    L3RST = EL3RST, "Level 3 reset";
    LNRNG = ELNRNG, "Link number out of range";
    UNATCH = EUNATCH, "Protocol driver not attached";
    NOCSI = ENOCSI, "No CSI structure available";
    L2HLT = EL2HLT, "Level 2 halted";
    BADE = EBADE, "Invalid exchange";
    BADR = EBADR, "Invalid request descriptor";
    XFULL = EXFULL, "Exchange full";
    NOANO = ENOANO, "No anode";
    BADRQC = EBADRQC, "Invalid request code";
    BADSLT = EBADSLT, "Invalid slot";
    BFONT = EBFONT, "Bad font file format";
    NOSTR = ENOSTR, "Device not a stream";
    NODATA = ENODATA, "No data available";
    TIME = ETIME, "Timer expired";
    NOSR = ENOSR, "Out of streams resources";
    NONET = ENONET, "Machine is not on the network";
    NOPKG = ENOPKG, "Package not installed";
    REMOTE = EREMOTE, "Object is remote";
    NOLINK = ENOLINK, "Link has been severed";
    ADV = EADV, "Advertise error";
    SRMNT = ESRMNT, "Srmount error";
    COMM = ECOMM, "Communication error on send";
    PROTO = EPROTO, "Protocol error";
    MULTIHOP = EMULTIHOP, "Multihop attempted";
    DOTDOT = EDOTDOT, "RFS specific error";
    BADMSG = EBADMSG, "Bad message";
    OVERFLOW = EOVERFLOW, "Value too large for defined data type";
    NOTUNIQ = ENOTUNIQ, "Name not unique on network";
    BADFD = EBADFD, "File descriptor in bad state";
    REMCHG = EREMCHG, "Remote address changed";
    LIBACC = ELIBACC, "Can not access a needed shared library";
    LIBBAD = ELIBBAD, "Accessing a corrupted shared library";
    LIBSCN = ELIBSCN, ".lib section in a.out corrupted";
    LIBMAX = ELIBMAX, "Attempting to link in too many shared libraries";
    LIBEXEC = ELIBEXEC, "Cannot exec a shared library directly";
    ILSEQ = EILSEQ, "Invalid or incomplete multibyte or wide character";
    RESTART = ERESTART, "Interrupted system call should be restarted";
    STRPIPE = ESTRPIPE, "Streams pipe error";
    USERS = EUSERS, "Too many users";
    NOTSOCK = ENOTSOCK, "Socket operation on non-socket";
    DESTADDRREQ = EDESTADDRREQ, "Destination address required";
    MSGSIZE = EMSGSIZE, "Message too long";
    PROTOTYPE = EPROTOTYPE, "Protocol wrong type for socket";
    NOPROTOOPT = ENOPROTOOPT, "Protocol not available";
    PROTONOSUPPORT = EPROTONOSUPPORT, "Protocol not supported";
    SOCKTNOSUPPORT = ESOCKTNOSUPPORT, "Socket type not supported";
    OPNOTSUPP = EOPNOTSUPP, "Operation not supported";
    PFNOSUPPORT = EPFNOSUPPORT, "Protocol family not supported";
    AFNOSUPPORT = EAFNOSUPPORT, "Address family not supported by protocol";
    ADDRINUSE = EADDRINUSE, "Address already in use";
    ADDRNOTAVAIL = EADDRNOTAVAIL, "Cannot assign requested address";
    NETDOWN = ENETDOWN, "Network is down";
    NETUNREACH = ENETUNREACH, "Network is unreachable";
    NETRESET = ENETRESET, "Network dropped connection on reset";
    CONNABORTED = ECONNABORTED, "Software caused connection abort";
    CONNRESET = ECONNRESET, "Connection reset by peer";
    NOBUFS = ENOBUFS, "No buffer space available";
    ISCONN = EISCONN, "Transport endpoint is already connected";
    NOTCONN = ENOTCONN, "Transport endpoint is not connected";
    SHUTDOWN = ESHUTDOWN, "Cannot send after transport endpoint shutdown";
    TOOMANYREFS = ETOOMANYREFS, "Too many references: cannot splice";
    TIMEDOUT = ETIMEDOUT, "Connection timed out";
    CONNREFUSED = ECONNREFUSED, "Connection refused";
    HOSTDOWN = EHOSTDOWN, "Host is down";
    HOSTUNREACH = EHOSTUNREACH, "No route to host";
    ALREADY = EALREADY, "Operation already in progress";
    INPROGRESS = EINPROGRESS, "Operation now in progress";
    STALE = ESTALE, "Stale file handle";
    UCLEAN = EUCLEAN, "Structure needs cleaning";
    NOTNAM = ENOTNAM, "Not a XENIX named type file";
    NAVAIL = ENAVAIL, "No XENIX semaphores available";
    ISNAM = EISNAM, "Is a named type file";
    REMOTEIO = EREMOTEIO, "Remote I/O error";
    DQUOT = EDQUOT, "Disk quota exceeded";
    NOMEDIUM = ENOMEDIUM, "No medium found";
    MEDIUMTYPE = EMEDIUMTYPE, "Wrong medium type";
    CANCELED = ECANCELED, "Operation canceled";
    NOKEY = ENOKEY, "Required key not available";
    KEYEXPIRED = EKEYEXPIRED, "Key has expired";
    KEYREVOKED = EKEYREVOKED, "Key has been revoked";
    KEYREJECTED = EKEYREJECTED, "Key was rejected by service";
    OWNERDEAD = EOWNERDEAD, "Owner died";
    NOTRECOVERABLE = ENOTRECOVERABLE, "State not recoverable";
    RFKILL = ERFKILL, "Operation not possible due to RF-kill";
    HWPOISON = EHWPOISON, "Memory page has hardware error";
}

impl Errno {
    /// `EWOULDBLOCK`: the same code as [`Errno::AGAIN`] on Linux.
    pub const WOULDBLOCK: Self = Self::AGAIN;
    /// `EDEADLOCK`: the same code as [`Errno::DEADLK`] on the architectures barecall supports.
    pub const DEADLOCK: Self = Self::DEADLK;
    /// `ENOTSUP`: the same code as [`Errno::OPNOTSUPP`] on Linux.
    pub const NOTSUP: Self = Self::OPNOTSUPP;

    /// Wraps a code known to be in `1..=4095`: the decoder of syscall results calls this, and
    /// the constants above. 0, which it never gets, would become [`Errno::INVAL`].
    #[inline(always)]
    pub(crate) const fn from_kernel(code: u32) -> Self {
        match Code::new(code) {
            Some(code) => Self(code),
            None => Self(EINVAL),
        }
    }

    /// Makes an `Errno` from an `errno` value, such as one from libc.
    ///
    /// Never panics. The kernel's codes are `1..=4095`; any other value, which no system call
    /// produces, becomes [`Errno::INVAL`] (the value handed in is itself the invalid argument).
    #[inline]
    pub const fn from_raw_os_error(raw: i32) -> Self {
        if raw >= 1 && raw <= MAX_ERRNO as i32 {
            Self::from_kernel(raw as u32)
        } else {
            Self::INVAL
        }
    }

    /// The `errno` value, as `std::io::Error::raw_os_error` would give it.
    #[inline]
    pub const fn raw_os_error(self) -> i32 {
        self.0.get() as i32
    }

    /// The symbolic name, such as `"EBADF"`, as glibc's `strerrorname_np(3)` gives it.
    ///
    /// A code Linux does not define (41, 58, or anything above 133) has no name: `"EUNKNOWN"`.
    /// Aliases give the name of the code they share: `WOULDBLOCK.name()` is `"EAGAIN"`.
    pub const fn name(self) -> &'static str {
        match lookup(self.0.get()) {
            Some((name, _)) => name,
            None => "EUNKNOWN",
        }
    }

    /// The message glibc's `strerror(3)` gives, such as `"Bad file descriptor"`.
    ///
    /// A code Linux does not define gives `"Unknown error"` (glibc appends the number; `Display`
    /// shows it).
    pub const fn description(self) -> &'static str {
        match lookup(self.0.get()) {
            Some((_, description)) => description,
            None => "Unknown error",
        }
    }

    /// The `std::io::ErrorKind` that std gives this code.
    #[cfg(feature = "std")]
    pub fn kind(self) -> std::io::ErrorKind {
        std::io::Error::from(self).kind()
    }

    /// The `Errno` inside a `std::io::Error`, if it holds an OS error code in `1..=4095`.
    #[cfg(feature = "std")]
    pub fn from_io_error(io_err: &std::io::Error) -> Option<Self> {
        io_err
            .raw_os_error()
            .filter(|raw| (1..=MAX_ERRNO as i32).contains(raw))
            .map(Self::from_raw_os_error)
    }
}

/// `Bad file descriptor (EBADF, os error 9)`.
impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}, os error {})",
            self.description(),
            self.name(),
            self.0
        )
    }
}

/// `EBADF`; a code Linux does not define shows as `Errno(500)`.
impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match lookup(self.0.get()) {
            Some((name, _)) => f.write_str(name),
            None => write!(f, "Errno({})", self.0),
        }
    }
}

impl core::error::Error for Errno {}

#[cfg(feature = "std")]
impl From<Errno> for std::io::Error {
    #[inline]
    fn from(err: Errno) -> Self {
        Self::from_raw_os_error(err.raw_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_names_and_messages() {
        use std::string::ToString;
        for code in 1..=133 {
            let errno = Errno::from_raw_os_error(code);
            if code == 41 || code == 58 {
                assert_eq!(
                    (errno.name(), errno.description()),
                    ("EUNKNOWN", "Unknown error")
                );
            } else {
                assert!(errno.name().starts_with('E'), "{code}");
                assert_ne!(errno.description(), "Unknown error", "{code}");
            }
        }
        assert_eq!(Errno::BADF.name(), "EBADF");
        assert_eq!(Errno::BADF.description(), "Bad file descriptor");
        assert_eq!(
            Errno::BADF.to_string(),
            "Bad file descriptor (EBADF, os error 9)"
        );
        assert_eq!(std::format!("{:?}", Errno::WOULDBLOCK), "EAGAIN");
        assert_eq!(
            std::format!("{:?}", Errno::from_raw_os_error(500)),
            "Errno(500)"
        );
        assert_eq!(
            Errno::from_raw_os_error(4095).to_string(),
            "Unknown error (EUNKNOWN, os error 4095)"
        );
        for raw in [0, -1, 4096, i32::MAX, i32::MIN] {
            assert_eq!(Errno::from_raw_os_error(raw), Errno::INVAL);
        }
    }
}
