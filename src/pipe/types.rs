//! The pipe module's types.

use linux_raw_sys::general as k;

flags! {
    /// `O_*` flags for [`pipe_with`](crate::pipe::pipe_with).
    pub struct PipeFlags: u32 {
        /// `O_CLOEXEC`
        const CLOEXEC = k::O_CLOEXEC;
        /// `O_DIRECT`: packet mode.
        const DIRECT = k::O_DIRECT;
        /// `O_NONBLOCK`
        const NONBLOCK = k::O_NONBLOCK;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}
