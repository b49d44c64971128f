//! The system module's types.

use core::ffi::CStr;
use core::fmt;
use linux_raw_sys::system::new_utsname;

/// `struct utsname`—What [`uname`](crate::system::uname) returns: six NUL-terminated names.
#[doc(alias = "utsname")]
pub struct Uname(new_utsname);

impl Uname {
    /// Wraps what the kernel wrote, making sure every field ends in a NUL (the kernel's always
    /// do: each holds at most 64 bytes and its NUL, in 65), so that no accessor can read past
    /// its field.
    #[inline]
    pub(crate) fn from_kernel(mut raw: new_utsname) -> Self {
        for field in [
            &mut raw.sysname,
            &mut raw.nodename,
            &mut raw.release,
            &mut raw.version,
            &mut raw.machine,
            &mut raw.domainname,
        ] {
            if let Some(last) = field.last_mut() {
                *last = 0;
            }
        }
        Self(raw)
    }

    /// `sysname`—The kernel's name: `Linux`.
    #[inline]
    pub fn sysname(&self) -> &CStr {
        field(&self.0.sysname)
    }

    /// `nodename`—The host name (`gethostname`), in the process's UTS namespace.
    #[inline]
    pub fn nodename(&self) -> &CStr {
        field(&self.0.nodename)
    }

    /// `release`—The kernel's release (`6.1.0-18-amd64`).
    #[inline]
    pub fn release(&self) -> &CStr {
        field(&self.0.release)
    }

    /// `version`—The kernel's build (`#1 SMP PREEMPT_DYNAMIC Debian ...`).
    #[inline]
    pub fn version(&self) -> &CStr {
        field(&self.0.version)
    }

    /// `machine`—The hardware the kernel runs on (`x86_64`, `aarch64`, `riscv64`, `armv7l`).
    #[inline]
    pub fn machine(&self) -> &CStr {
        field(&self.0.machine)
    }

    /// `domainname`—The NIS domain name, in the process's UTS namespace (usually `(none)`).
    #[inline]
    pub fn domainname(&self) -> &CStr {
        field(&self.0.domainname)
    }
}

/// A field as a `CStr`, up to its first NUL.
#[inline]
fn field(bytes: &[core::ffi::c_char; 65]) -> &CStr {
    // SAFETY: `c_char` (`i8` or `u8`, by architecture) has the size and alignment of `u8`, and
    // every bit pattern is valid for both.
    let bytes = unsafe { &*core::ptr::from_ref(bytes).cast::<[u8; 65]>() };
    // `from_kernel` put a NUL in the last byte, so there always is one.
    CStr::from_bytes_until_nul(bytes).unwrap_or(c"")
}

impl fmt::Debug for Uname {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Uname")
            .field("sysname", &self.sysname())
            .field("nodename", &self.nodename())
            .field("release", &self.release())
            .field("version", &self.version())
            .field("machine", &self.machine())
            .field("domainname", &self.domainname())
            .finish()
    }
}
