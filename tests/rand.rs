//! `rand::getrandom` into every kind of buffer, and the kernel's answers to its flags.

use barecall::buffer::spare_capacity;
use barecall::io::Errno;
use barecall::rand::{getrandom, GetRandomFlags};
use std::mem::MaybeUninit;

/// Whether every byte is zero: for 32 random bytes, a chance of 2^-256.
fn all_zero(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| b == 0)
}

#[test]
fn getrandom_fills_up_to_256_bytes_whole() {
    for len in [1, 16, 32, 255, 256] {
        let mut buf = vec![0u8; len];
        assert_eq!(getrandom(&mut buf[..], GetRandomFlags::empty()), Ok(len));
    }
    let mut buf = [0u8; 256];
    assert_eq!(getrandom(&mut buf, GetRandomFlags::empty()), Ok(256));
    // 256 random bytes that are all zero: probability 2^-2048.
    assert!(!all_zero(&buf));
    // An empty buffer asks for nothing.
    assert_eq!(getrandom(&mut [0u8; 0], GetRandomFlags::empty()), Ok(0));
}

#[test]
fn getrandom_of_more_than_256_bytes_may_be_short_but_not_empty() {
    let mut buf = vec![0u8; 1 << 20];
    let n = getrandom(&mut buf[..], GetRandomFlags::empty()).unwrap();
    assert!((1..=buf.len()).contains(&n), "{n}");
    assert!(!all_zero(&buf[n - n.min(32)..n]));
}

#[test]
fn two_calls_differ() {
    let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
    assert_eq!(getrandom(&mut a, GetRandomFlags::empty()), Ok(32));
    assert_eq!(getrandom(&mut b, GetRandomFlags::empty()), Ok(32));
    assert_ne!(a, b);
    assert!(!all_zero(&a) && !all_zero(&b));
}

#[test]
fn getrandom_into_uninitialized_memory_and_spare_capacity() {
    let mut storage = [MaybeUninit::<u8>::uninit(); 48];
    let (filled, rest) = getrandom(&mut storage[..], GetRandomFlags::empty()).unwrap();
    assert_eq!((filled.len(), rest.len()), (48, 0));
    assert!(!all_zero(&filled[..32]));

    let mut storage = [MaybeUninit::<u8>::uninit(); 40];
    let (filled, rest) = getrandom(&mut storage, GetRandomFlags::empty()).unwrap();
    assert_eq!((filled.len(), rest.len()), (40, 0));

    let mut vec = Vec::with_capacity(64);
    vec.extend_from_slice(b"prefix");
    let spare = vec.capacity() - vec.len();
    assert_eq!(
        getrandom(spare_capacity(&mut vec), GetRandomFlags::empty()),
        Ok(spare)
    );
    assert_eq!(vec.len(), 6 + spare);
    assert_eq!(&vec[..6], b"prefix");
    assert!(!all_zero(&vec[6..38]));
}

#[test]
fn getrandom_flags_the_kernel_takes() {
    let mut buf = [0u8; 32];
    // The pool of a running system is initialized, so nothing waits and NONBLOCK succeeds.
    assert_eq!(getrandom(&mut buf, GetRandomFlags::NONBLOCK), Ok(32));
    assert_eq!(
        getrandom(&mut buf, GetRandomFlags::RANDOM | GetRandomFlags::NONBLOCK),
        Ok(32)
    );
    assert!(!all_zero(&buf));
    // INSECURE is new in Linux 5.6: older kernels refuse it as an unknown flag.
    let expected = if kernel_version() >= (5, 6) {
        Ok(32)
    } else {
        Err(Errno::INVAL)
    };
    assert_eq!(getrandom(&mut buf, GetRandomFlags::INSECURE), expected);
}

/// The running kernel's `(major, minor)`, from libc's `uname`.
fn kernel_version() -> (u32, u32) {
    let mut name: libc::utsname = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::uname(&mut name) }, 0);
    let release = unsafe { std::ffi::CStr::from_ptr(name.release.as_ptr()) };
    let mut numbers = release
        .to_str()
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .map(|n| n.parse().unwrap_or(0));
    (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0))
}

#[test]
fn getrandom_refuses_unknown_and_contradictory_flags() {
    let mut buf = [0u8; 16];
    for bits in [0x8, 0x100, 0x8000_0000] {
        assert_eq!(
            getrandom(&mut buf, GetRandomFlags::from_bits_retain(bits)),
            Err(Errno::INVAL),
            "flags {bits:#x}"
        );
    }
    assert_eq!(
        getrandom(&mut buf, GetRandomFlags::INSECURE | GetRandomFlags::RANDOM),
        Err(Errno::INVAL)
    );
    // The same answers as libc's.
    let r = unsafe { libc::getrandom(buf.as_mut_ptr().cast(), buf.len(), 0x8) };
    assert_eq!(r, -1);
    assert_eq!(
        std::io::Error::last_os_error().raw_os_error(),
        Some(libc::EINVAL)
    );
}
