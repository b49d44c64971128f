//! `system::uname` against libc's, and `thread::sched_yield`.

use barecall::system::uname;
use std::ffi::CStr;

#[test]
fn uname_is_libcs() {
    let mut raw: libc::utsname = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::uname(&mut raw) }, 0);
    let field = |chars: &[libc::c_char]| unsafe { CStr::from_ptr(chars.as_ptr()) }.to_owned();
    let name = uname();
    assert_eq!(name.sysname(), field(&raw.sysname).as_c_str());
    assert_eq!(name.sysname(), c"Linux");
    assert_eq!(name.nodename(), field(&raw.nodename).as_c_str());
    assert_eq!(name.release(), field(&raw.release).as_c_str());
    assert_eq!(name.version(), field(&raw.version).as_c_str());
    assert_eq!(name.machine(), field(&raw.machine).as_c_str());
    assert_eq!(name.domainname(), field(&raw.domainname).as_c_str());
    assert!(!name.release().is_empty() && !name.machine().is_empty());
    let debug = format!("{name:?}");
    assert!(
        debug.starts_with("Uname { sysname: \"Linux\", nodename: "),
        "{debug}"
    );
}

#[test]
fn nodename_is_the_host_name() {
    let mut buf = [0u8; 256];
    assert_eq!(
        unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) },
        0
    );
    let host = CStr::from_bytes_until_nul(&buf).unwrap();
    assert_eq!(uname().nodename(), host);
}

#[test]
fn sched_yield_returns() {
    for _ in 0..100 {
        barecall::thread::sched_yield();
    }
}
