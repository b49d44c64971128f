//! The rand module's types.

use linux_raw_sys::general as k;

flags! {
    /// `GRND_*` flags for [`getrandom`](crate::rand::getrandom).
    pub struct GetRandomFlags: u32 {
        /// `GRND_RANDOM`: draw from the `random` source (`/dev/random`) rather than `urandom`.
        const RANDOM = k::GRND_RANDOM;
        /// `GRND_NONBLOCK`: fail with `Errno::AGAIN` instead of waiting for the pool to be
        /// initialized.
        const NONBLOCK = k::GRND_NONBLOCK;
        /// `GRND_INSECURE`: do not wait for the pool, and accept bytes that may not be
        /// cryptographically secure yet (Linux 5.6). Not with `RANDOM`.
        const INSECURE = k::GRND_INSECURE;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}
