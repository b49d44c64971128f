mod common;

use barecall::io::{self, Errno};
use std::error::Error;
use std::ffi::CStr;
use std::io::ErrorKind;

/// Every constant with libc's value for it and the name it must report. Aliases report the name
/// of the code they share.
fn all_constants() -> Vec<(Errno, i32, &'static str)> {
    vec![
        (Errno::PERM, libc::EPERM, "EPERM"),
        (Errno::NOENT, libc::ENOENT, "ENOENT"),
        (Errno::SRCH, libc::ESRCH, "ESRCH"),
        (Errno::INTR, libc::EINTR, "EINTR"),
        (Errno::IO, libc::EIO, "EIO"),
        (Errno::NXIO, libc::ENXIO, "ENXIO"),
        (Errno::TOOBIG, libc::E2BIG, "E2BIG"),
        (Errno::NOEXEC, libc::ENOEXEC, "ENOEXEC"),
        (Errno::BADF, libc::EBADF, "EBADF"),
        (Errno::CHILD, libc::ECHILD, "ECHILD"),
        (Errno::AGAIN, libc::EAGAIN, "EAGAIN"),
        (Errno::NOMEM, libc::ENOMEM, "ENOMEM"),
        (Errno::ACCESS, libc::EACCES, "EACCES"),
        (Errno::FAULT, libc::EFAULT, "EFAULT"),
        (Errno::NOTBLK, libc::ENOTBLK, "ENOTBLK"),
        (Errno::BUSY, libc::EBUSY, "EBUSY"),
        (Errno::EXIST, libc::EEXIST, "EEXIST"),
        (Errno::XDEV, libc::EXDEV, "EXDEV"),
        (Errno::NODEV, libc::ENODEV, "ENODEV"),
        (Errno::NOTDIR, libc::ENOTDIR, "ENOTDIR"),
        (Errno::ISDIR, libc::EISDIR, "EISDIR"),
        (Errno::INVAL, libc::EINVAL, "EINVAL"),
        (Errno::NFILE, libc::ENFILE, "ENFILE"),
        (Errno::MFILE, libc::EMFILE, "EMFILE"),
        (Errno::NOTTY, libc::ENOTTY, "ENOTTY"),
        (Errno::TXTBSY, libc::ETXTBSY, "ETXTBSY"),
        (Errno::FBIG, libc::EFBIG, "EFBIG"),
        (Errno::NOSPC, libc::ENOSPC, "ENOSPC"),
        (Errno::SPIPE, libc::ESPIPE, "ESPIPE"),
        (Errno::ROFS, libc::EROFS, "EROFS"),
        (Errno::MLINK, libc::EMLINK, "EMLINK"),
        (Errno::PIPE, libc::EPIPE, "EPIPE"),
        (Errno::DOM, libc::EDOM, "EDOM"),
        (Errno::RANGE, libc::ERANGE, "ERANGE"),
        (Errno::DEADLK, libc::EDEADLK, "EDEADLK"),
        (Errno::NAMETOOLONG, libc::ENAMETOOLONG, "ENAMETOOLONG"),
        (Errno::NOLCK, libc::ENOLCK, "ENOLCK"),
        (Errno::NOSYS, libc::ENOSYS, "ENOSYS"),
        (Errno::NOTEMPTY, libc::ENOTEMPTY, "ENOTEMPTY"),
        (Errno::LOOP, libc::ELOOP, "ELOOP"),
        (Errno::NOMSG, libc::ENOMSG, "ENOMSG"),
        (Errno::IDRM, libc::EIDRM, "EIDRM"),
        (Errno::CHRNG, libc::ECHRNG, "ECHRNG"),
        (Errno::L2NSYNC, libc::EL2NSYNC, "EL2NSYNC"),
        (Errno::L3HLT, libc::EL3HLT, "EL3HLT"),
        (Errno::L3RST, libc::EL3RST, "EL3RST"),
        (Errno::LNRNG, libc::ELNRNG, "ELNRNG"),
        (Errno::UNATCH, libc::EUNATCH, "EUNATCH"),
        (Errno::NOCSI, libc::ENOCSI, "ENOCSI"),
        (Errno::L2HLT, libc::EL2HLT, "EL2HLT"),
        (Errno::BADE, libc::EBADE, "EBADE"),
        (Errno::BADR, libc::EBADR, "EBADR"),
        (Errno::XFULL, libc::EXFULL, "EXFULL"),
        (Errno::NOANO, libc::ENOANO, "ENOANO"),
        (Errno::BADRQC, libc::EBADRQC, "EBADRQC"),
        (Errno::BADSLT, libc::EBADSLT, "EBADSLT"),
        (Errno::BFONT, libc::EBFONT, "EBFONT"),
        (Errno::NOSTR, libc::ENOSTR, "ENOSTR"),
        (Errno::NODATA, libc::ENODATA, "ENODATA"),
        (Errno::TIME, libc::ETIME, "ETIME"),
        (Errno::NOSR, libc::ENOSR, "ENOSR"),
        (Errno::NONET, libc::ENONET, "ENONET"),
        (Errno::NOPKG, libc::ENOPKG, "ENOPKG"),
        (Errno::REMOTE, libc::EREMOTE, "EREMOTE"),
        (Errno::NOLINK, libc::ENOLINK, "ENOLINK"),
        (Errno::ADV, libc::EADV, "EADV"),
        (Errno::SRMNT, libc::ESRMNT, "ESRMNT"),
        (Errno::COMM, libc::ECOMM, "ECOMM"),
        (Errno::PROTO, libc::EPROTO, "EPROTO"),
        (Errno::MULTIHOP, libc::EMULTIHOP, "EMULTIHOP"),
        (Errno::DOTDOT, libc::EDOTDOT, "EDOTDOT"),
        (Errno::BADMSG, libc::EBADMSG, "EBADMSG"),
        (Errno::OVERFLOW, libc::EOVERFLOW, "EOVERFLOW"),
        (Errno::NOTUNIQ, libc::ENOTUNIQ, "ENOTUNIQ"),
        (Errno::BADFD, libc::EBADFD, "EBADFD"),
        (Errno::REMCHG, libc::EREMCHG, "EREMCHG"),
        (Errno::LIBACC, libc::ELIBACC, "ELIBACC"),
        (Errno::LIBBAD, libc::ELIBBAD, "ELIBBAD"),
        (Errno::LIBSCN, libc::ELIBSCN, "ELIBSCN"),
        (Errno::LIBMAX, libc::ELIBMAX, "ELIBMAX"),
        (Errno::LIBEXEC, libc::ELIBEXEC, "ELIBEXEC"),
        (Errno::ILSEQ, libc::EILSEQ, "EILSEQ"),
        (Errno::RESTART, libc::ERESTART, "ERESTART"),
        (Errno::STRPIPE, libc::ESTRPIPE, "ESTRPIPE"),
        (Errno::USERS, libc::EUSERS, "EUSERS"),
        (Errno::NOTSOCK, libc::ENOTSOCK, "ENOTSOCK"),
        (Errno::DESTADDRREQ, libc::EDESTADDRREQ, "EDESTADDRREQ"),
        (Errno::MSGSIZE, libc::EMSGSIZE, "EMSGSIZE"),
        (Errno::PROTOTYPE, libc::EPROTOTYPE, "EPROTOTYPE"),
        (Errno::NOPROTOOPT, libc::ENOPROTOOPT, "ENOPROTOOPT"),
        (
            Errno::PROTONOSUPPORT,
            libc::EPROTONOSUPPORT,
            "EPROTONOSUPPORT",
        ),
        (
            Errno::SOCKTNOSUPPORT,
            libc::ESOCKTNOSUPPORT,
            "ESOCKTNOSUPPORT",
        ),
        (Errno::OPNOTSUPP, libc::EOPNOTSUPP, "EOPNOTSUPP"),
        (Errno::PFNOSUPPORT, libc::EPFNOSUPPORT, "EPFNOSUPPORT"),
        (Errno::AFNOSUPPORT, libc::EAFNOSUPPORT, "EAFNOSUPPORT"),
        (Errno::ADDRINUSE, libc::EADDRINUSE, "EADDRINUSE"),
        (Errno::ADDRNOTAVAIL, libc::EADDRNOTAVAIL, "EADDRNOTAVAIL"),
        (Errno::NETDOWN, libc::ENETDOWN, "ENETDOWN"),
        (Errno::NETUNREACH, libc::ENETUNREACH, "ENETUNREACH"),
        (Errno::NETRESET, libc::ENETRESET, "ENETRESET"),
        (Errno::CONNABORTED, libc::ECONNABORTED, "ECONNABORTED"),
        (Errno::CONNRESET, libc::ECONNRESET, "ECONNRESET"),
        (Errno::NOBUFS, libc::ENOBUFS, "ENOBUFS"),
        (Errno::ISCONN, libc::EISCONN, "EISCONN"),
        (Errno::NOTCONN, libc::ENOTCONN, "ENOTCONN"),
        (Errno::SHUTDOWN, libc::ESHUTDOWN, "ESHUTDOWN"),
        (Errno::TOOMANYREFS, libc::ETOOMANYREFS, "ETOOMANYREFS"),
        (Errno::TIMEDOUT, libc::ETIMEDOUT, "ETIMEDOUT"),
        (Errno::CONNREFUSED, libc::ECONNREFUSED, "ECONNREFUSED"),
        (Errno::HOSTDOWN, libc::EHOSTDOWN, "EHOSTDOWN"),
        (Errno::HOSTUNREACH, libc::EHOSTUNREACH, "EHOSTUNREACH"),
        (Errno::ALREADY, libc::EALREADY, "EALREADY"),
        (Errno::INPROGRESS, libc::EINPROGRESS, "EINPROGRESS"),
        (Errno::STALE, libc::ESTALE, "ESTALE"),
        (Errno::UCLEAN, libc::EUCLEAN, "EUCLEAN"),
        (Errno::NOTNAM, libc::ENOTNAM, "ENOTNAM"),
        (Errno::NAVAIL, libc::ENAVAIL, "ENAVAIL"),
        (Errno::ISNAM, libc::EISNAM, "EISNAM"),
        (Errno::REMOTEIO, libc::EREMOTEIO, "EREMOTEIO"),
        (Errno::DQUOT, libc::EDQUOT, "EDQUOT"),
        (Errno::NOMEDIUM, libc::ENOMEDIUM, "ENOMEDIUM"),
        (Errno::MEDIUMTYPE, libc::EMEDIUMTYPE, "EMEDIUMTYPE"),
        (Errno::CANCELED, libc::ECANCELED, "ECANCELED"),
        (Errno::NOKEY, libc::ENOKEY, "ENOKEY"),
        (Errno::KEYEXPIRED, libc::EKEYEXPIRED, "EKEYEXPIRED"),
        (Errno::KEYREVOKED, libc::EKEYREVOKED, "EKEYREVOKED"),
        (Errno::KEYREJECTED, libc::EKEYREJECTED, "EKEYREJECTED"),
        (Errno::OWNERDEAD, libc::EOWNERDEAD, "EOWNERDEAD"),
        (
            Errno::NOTRECOVERABLE,
            libc::ENOTRECOVERABLE,
            "ENOTRECOVERABLE",
        ),
        (Errno::RFKILL, libc::ERFKILL, "ERFKILL"),
        (Errno::HWPOISON, libc::EHWPOISON, "EHWPOISON"),
        (Errno::WOULDBLOCK, libc::EWOULDBLOCK, "EAGAIN"),
        (Errno::DEADLOCK, libc::EDEADLOCK, "EDEADLK"),
        (Errno::NOTSUP, libc::ENOTSUP, "EOPNOTSUPP"),
    ]
}

#[test]
fn constants_match_libc() {
    let _check = common::FdCheck::new();
    let constants = all_constants();
    assert_eq!(constants.len(), 131 + 3);
    for (errno, raw, name) in constants {
        assert_eq!(errno.raw_os_error(), raw, "{name}");
        assert_eq!(errno.name(), name);
        assert_eq!(Errno::from_raw_os_error(raw), errno, "{name}");
    }
}

#[test]
fn aliases_are_the_same_codes() {
    let _check = common::FdCheck::new();
    assert_eq!(Errno::WOULDBLOCK, Errno::AGAIN);
    assert_eq!(Errno::DEADLOCK, Errno::DEADLK);
    assert_eq!(Errno::NOTSUP, Errno::OPNOTSUPP);
    assert_eq!(format!("{:?}", Errno::WOULDBLOCK), "EAGAIN");
}

#[test]
fn every_code_up_to_133_round_trips() {
    let _check = common::FdCheck::new();
    for n in 1..=133 {
        let errno = Errno::from_raw_os_error(n);
        assert_eq!(errno.raw_os_error(), n);
        if n == 41 || n == 58 {
            assert_eq!(errno.name(), "EUNKNOWN", "{n}");
            assert_eq!(errno.description(), "Unknown error", "{n}");
            assert_eq!(format!("{errno:?}"), format!("Errno({n})"));
        } else {
            let name = errno.name();
            assert!(name.starts_with('E') && name.len() >= 3, "{n}: {name}");
            assert_ne!(name, "EUNKNOWN", "{n}");
            assert_ne!(errno.description(), "Unknown error", "{n}");
            assert_eq!(format!("{errno:?}"), name);
        }
    }
}

#[cfg(target_env = "gnu")]
extern "C" {
    /// glibc 2.32+: the `E*` name of a code, or NULL.
    fn strerrorname_np(e: libc::c_int) -> *const libc::c_char;
}

#[cfg(target_env = "gnu")]
fn glibc_name(n: i32) -> Option<String> {
    let ptr = unsafe { strerrorname_np(n) };
    if ptr.is_null() {
        None
    } else {
        Some(unsafe { CStr::from_ptr(ptr) }.to_str().unwrap().to_owned())
    }
}

#[cfg(target_env = "gnu")]
fn glibc_message(n: i32) -> String {
    // `strerror` is not thread-safe; `FdCheck` serializes the tests of this binary.
    let ptr = unsafe { libc::strerror(n) };
    assert!(!ptr.is_null());
    unsafe { CStr::from_ptr(ptr) }.to_str().unwrap().to_owned()
}

#[cfg(target_env = "gnu")]
#[test]
fn names_and_messages_match_glibc() {
    let _check = common::FdCheck::new();
    for n in 1..=133 {
        let errno = Errno::from_raw_os_error(n);
        match glibc_name(n) {
            Some(name) => {
                assert_eq!(errno.name(), name, "name of {n}");
                assert_eq!(errno.description(), glibc_message(n), "message of {n}");
            }
            None => {
                assert!(n == 41 || n == 58, "glibc has no name for {n}");
                assert_eq!(errno.name(), "EUNKNOWN");
                assert_eq!(
                    format!("{} {n}", errno.description()),
                    glibc_message(n),
                    "message of {n}"
                );
            }
        }
    }
    assert_eq!(glibc_name(134), None);
    assert_eq!(Errno::from_raw_os_error(134).name(), "EUNKNOWN");
}

#[test]
fn out_of_range_values_are_inval() {
    let _check = common::FdCheck::new();
    for raw in [0, -1, -4095, 4096, 65536, i32::MAX, i32::MIN] {
        assert_eq!(Errno::from_raw_os_error(raw), Errno::INVAL, "{raw}");
        assert_eq!(Errno::from_raw_os_error(raw).raw_os_error(), libc::EINVAL);
    }
    let max = Errno::from_raw_os_error(4095);
    assert_eq!(max.raw_os_error(), 4095);
    assert_eq!(max.name(), "EUNKNOWN");
    assert_eq!(format!("{max:?}"), "Errno(4095)");
}

#[test]
fn display_and_debug() {
    let _check = common::FdCheck::new();
    assert_eq!(
        Errno::BADF.to_string(),
        "Bad file descriptor (EBADF, os error 9)"
    );
    assert_eq!(format!("{:?}", Errno::BADF), "EBADF");
    assert_eq!(format!("{:?}", Errno::from_raw_os_error(500)), "Errno(500)");
    assert_eq!(
        Errno::from_raw_os_error(500).to_string(),
        "Unknown error (EUNKNOWN, os error 500)"
    );
    assert_eq!(
        Errno::NOENT.to_string(),
        "No such file or directory (ENOENT, os error 2)"
    );
}

#[test]
fn std_io_error_interop() {
    let _check = common::FdCheck::new();
    let err = std::io::Error::from(Errno::NOENT);
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.raw_os_error(), Some(libc::ENOENT));

    assert_eq!(Errno::NOENT.kind(), ErrorKind::NotFound);
    assert_eq!(Errno::AGAIN.kind(), ErrorKind::WouldBlock);
    assert_eq!(Errno::INTR.kind(), ErrorKind::Interrupted);
    assert_eq!(Errno::PIPE.kind(), ErrorKind::BrokenPipe);
    assert_eq!(Errno::ACCESS.kind(), ErrorKind::PermissionDenied);
    assert_eq!(Errno::EXIST.kind(), ErrorKind::AlreadyExists);
    assert_eq!(Errno::INVAL.kind(), ErrorKind::InvalidInput);

    for (errno, raw, _) in all_constants() {
        let io_err = std::io::Error::from(errno);
        assert_eq!(io_err.raw_os_error(), Some(raw));
        assert_eq!(Errno::from_io_error(&io_err), Some(errno));
        assert_eq!(io_err.kind(), errno.kind());
    }
    let unknown = std::io::Error::from_raw_os_error(500);
    assert_eq!(
        Errno::from_io_error(&unknown),
        Some(Errno::from_raw_os_error(500))
    );

    let custom = std::io::Error::other("not an OS error");
    assert_eq!(Errno::from_io_error(&custom), None);
    assert_eq!(Errno::from_io_error(&ErrorKind::NotFound.into()), None);
    assert_eq!(
        Errno::from_io_error(&std::io::Error::from_raw_os_error(0)),
        None
    );
    assert_eq!(
        Errno::from_io_error(&std::io::Error::from_raw_os_error(4096)),
        None
    );
    assert_eq!(
        Errno::from_io_error(&std::io::Error::from_raw_os_error(-1)),
        None
    );
}

#[test]
fn errors_from_real_calls_convert() {
    let _check = common::FdCheck::new();
    assert!(!common::is_open(900));
    let closed = unsafe { barecall::fd::BorrowedFd::borrow_raw(900) };
    let err = io::write(closed, b"x").unwrap_err();
    assert_eq!(err, Errno::BADF);
    let io_err: std::io::Error = err.into();
    assert_eq!(io_err.raw_os_error(), Some(libc::EBADF));
    assert_eq!(Errno::from_io_error(&io_err), Some(Errno::BADF));
}

fn fails_with_box() -> Result<(), Box<dyn Error>> {
    Err(Errno::BADF)?;
    Ok(())
}

fn fails_with_box_send_sync() -> Result<(), Box<dyn Error + Send + Sync + 'static>> {
    Err(Errno::NOENT)?;
    Ok(())
}

#[test]
fn works_as_boxed_error() {
    let _check = common::FdCheck::new();
    let err = fails_with_box().unwrap_err();
    assert_eq!(err.to_string(), "Bad file descriptor (EBADF, os error 9)");
    assert_eq!(err.downcast_ref::<Errno>(), Some(&Errno::BADF));
    assert!(err.source().is_none());

    let err = fails_with_box_send_sync().unwrap_err();
    assert_eq!(err.downcast_ref::<Errno>(), Some(&Errno::NOENT));

    let boxed: Box<dyn Error> = Box::new(Errno::PIPE);
    assert_eq!(boxed.to_string(), "Broken pipe (EPIPE, os error 32)");
}
