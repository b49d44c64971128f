//! Memory mappings: rustix's `mm` module (feature `mm`): `mmap`, `munmap`, `mprotect`,
//! `mremap`, `madvise`, `msync` and the `mlock` family.

mod madvise;
mod mmap;
mod msync;
pub(crate) mod syscalls;
mod types;

pub use madvise::madvise;
pub use mmap::{
    mlock, mlock_with, mlockall, mmap, mmap_anonymous, mprotect, mremap, mremap_fixed, munlock,
    munlockall, munmap,
};
pub use msync::msync;
pub use types::{
    Advice, MapFlags, MlockAllFlags, MlockFlags, MprotectFlags, MremapFlags, MsyncFlags, ProtFlags,
};
