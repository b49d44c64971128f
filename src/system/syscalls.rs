//! The system module's typed system calls.

use crate::conv::by_mut;
use crate::system::Uname;
use core::mem::MaybeUninit;
use linux_raw_sys::system::new_utsname;

#[inline]
pub(crate) fn uname() -> Uname {
    // Zeros (six empty names), should the call fail: it can only fail on a bad pointer.
    let mut raw = MaybeUninit::<new_utsname>::zeroed();
    // SAFETY: uname writes one `new_utsname` through the pointer, which is live and writable.
    let _ = unsafe { syscall!(__NR_uname, by_mut(&mut raw)) };
    // SAFETY: all zeros is a valid `new_utsname` (arrays of `c_char`), and so is what the
    // kernel wrote.
    Uname::from_kernel(unsafe { raw.assume_init() })
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_end_within_their_fields() {
        use linux_raw_sys::system::new_utsname;
        // A field with no NUL (which the kernel never writes) is cut at its last byte.
        let mut raw = new_utsname {
            sysname: [b'x' as _; 65],
            nodename: [0; 65],
            release: [0; 65],
            version: [0; 65],
            machine: [0; 65],
            domainname: [0; 65],
        };
        raw.nodename[..4].copy_from_slice(&[b'h' as _, b'o' as _, b's' as _, b't' as _]);
        let uname = crate::system::Uname::from_kernel(raw);
        assert_eq!(uname.sysname().to_bytes(), &[b'x'; 64][..]);
        assert_eq!(uname.nodename(), c"host");
        assert_eq!(uname.release(), c"");
    }
}
