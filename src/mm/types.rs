//! The mm module's types.

use linux_raw_sys::general as k;

flags! {
    /// `PROT_*` flags for [`mmap`](crate::mm::mmap) and
    /// [`mmap_anonymous`](crate::mm::mmap_anonymous).
    pub struct ProtFlags: u32 {
        /// `PROT_READ`: the pages may be read.
        const READ = k::PROT_READ;
        /// `PROT_WRITE`: the pages may be written.
        const WRITE = k::PROT_WRITE;
        /// `PROT_EXEC`: the pages may be executed.
        const EXEC = k::PROT_EXEC;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `PROT_*` flags for [`mprotect`](crate::mm::mprotect), which takes a few more than
    /// `mmap` does.
    pub struct MprotectFlags: u32 {
        /// `PROT_READ`: the pages may be read.
        const READ = k::PROT_READ;
        /// `PROT_WRITE`: the pages may be written.
        const WRITE = k::PROT_WRITE;
        /// `PROT_EXEC`: the pages may be executed.
        const EXEC = k::PROT_EXEC;
        /// `PROT_GROWSUP`: apply to the whole of an upward-growing stack mapping, up to its end.
        const GROWSUP = k::PROT_GROWSUP;
        /// `PROT_GROWSDOWN`: apply to the whole of a downward-growing stack mapping, down to
        /// its start.
        const GROWSDOWN = k::PROT_GROWSDOWN;
        /// `PROT_SEM`: the pages may be used for atomic operations (a no-op on most arches).
        const SEM = k::PROT_SEM;
        /// `PROT_BTI`: branch target identification is enforced in the pages (aarch64).
        #[cfg(target_arch = "aarch64")]
        const BTI = k::PROT_BTI;
        /// `PROT_MTE`: memory tagging is enabled in the pages (aarch64).
        #[cfg(target_arch = "aarch64")]
        const MTE = k::PROT_MTE;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `MAP_*` flags for [`mmap`](crate::mm::mmap) and
    /// [`mmap_anonymous`](crate::mm::mmap_anonymous). Exactly one of `SHARED`,
    /// `SHARED_VALIDATE` and `PRIVATE` is needed.
    pub struct MapFlags: u32 {
        /// `MAP_SHARED`: writes reach the file and other mappings of it.
        const SHARED = k::MAP_SHARED;
        /// `MAP_SHARED_VALIDATE`: as `SHARED`, but unknown flags are `Errno::OPNOTSUPP`
        /// instead of ignored.
        const SHARED_VALIDATE = k::MAP_SHARED_VALIDATE;
        /// `MAP_PRIVATE`: a copy-on-write mapping; writes stay in this process.
        const PRIVATE = k::MAP_PRIVATE;
        /// `MAP_DENYWRITE`: ignored by the kernel.
        const DENYWRITE = k::MAP_DENYWRITE;
        /// `MAP_FIXED`: map exactly at the address given, replacing what is there.
        const FIXED = k::MAP_FIXED;
        /// `MAP_FIXED_NOREPLACE`: map exactly at the address given, or fail with
        /// `Errno::EXIST` if something is mapped there (Linux 4.17).
        const FIXED_NOREPLACE = k::MAP_FIXED_NOREPLACE;
        /// `MAP_GROWSDOWN`: a stack that grows down.
        const GROWSDOWN = k::MAP_GROWSDOWN;
        /// `MAP_HUGETLB`: use huge pages.
        const HUGETLB = k::MAP_HUGETLB;
        /// `MAP_HUGE_2MB`: with `HUGETLB`, 2 MiB pages.
        const HUGE_2MB = k::MAP_HUGE_2MB;
        /// `MAP_HUGE_1GB`: with `HUGETLB`, 1 GiB pages.
        const HUGE_1GB = k::MAP_HUGE_1GB;
        /// `MAP_LOCKED`: lock the pages in memory, as `mlock`.
        const LOCKED = k::MAP_LOCKED;
        /// `MAP_NORESERVE`: do not reserve swap space for the mapping.
        const NORESERVE = k::MAP_NORESERVE;
        /// `MAP_POPULATE`: fault the pages in now.
        const POPULATE = k::MAP_POPULATE;
        /// `MAP_STACK`: the mapping is a thread stack.
        const STACK = k::MAP_STACK;
        /// `MAP_SYNC`: with `SHARED_VALIDATE`, synchronous page faults for DAX files.
        const SYNC = k::MAP_SYNC;
        /// `MAP_UNINITIALIZED`: anonymous pages are not cleared (only kernels built for it).
        const UNINITIALIZED = k::MAP_UNINITIALIZED;
        /// `MAP_DROPPABLE`: the kernel may drop the pages under memory pressure (Linux 6.11).
        const DROPPABLE = k::MAP_DROPPABLE;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `MREMAP_*` flags for [`mremap`](crate::mm::mremap) and
    /// [`mremap_fixed`](crate::mm::mremap_fixed).
    pub struct MremapFlags: u32 {
        /// `MREMAP_MAYMOVE`: the mapping may move to grow.
        const MAYMOVE = k::MREMAP_MAYMOVE;
        /// `MREMAP_DONTUNMAP`: with `MAYMOVE`, leave the old range mapped (Linux 5.7).
        const DONTUNMAP = k::MREMAP_DONTUNMAP;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `MS_*` flags for [`msync`](crate::mm::msync).
    pub struct MsyncFlags: u32 {
        /// `MS_SYNC`: write the pages back and wait for it.
        const SYNC = k::MS_SYNC;
        /// `MS_ASYNC`: schedule the write-back and return.
        const ASYNC = k::MS_ASYNC;
        /// `MS_INVALIDATE`: ask that other mappings of the file see the written values.
        const INVALIDATE = k::MS_INVALIDATE;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `MLOCK_*` flags for [`mlock_with`](crate::mm::mlock_with).
    pub struct MlockFlags: u32 {
        /// `MLOCK_ONFAULT`: lock pages as they are faulted in, not all of them now.
        const ONFAULT = k::MLOCK_ONFAULT;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

flags! {
    /// `MCL_*` flags for [`mlockall`](crate::mm::mlockall).
    pub struct MlockAllFlags: u32 {
        /// `MCL_ONFAULT`: with `CURRENT` or `FUTURE`, lock pages as they are faulted in.
        const ONFAULT = k::MCL_ONFAULT;
        /// `MCL_FUTURE`: lock the mappings made from now on.
        const FUTURE = k::MCL_FUTURE;
        /// `MCL_CURRENT`: lock every page mapped now.
        const CURRENT = k::MCL_CURRENT;
        /// Bits this version does not name: kept, and passed to the kernel as they are.
        const _ = !0;
    }
}

/// `MADV_*` advice for [`madvise`](crate::mm::madvise), with rustix's names: the POSIX ones
/// plain, the Linux-only ones prefixed `Linux`.
#[derive(Debug, Copy, Clone, Eq, PartialEq)]
#[repr(u32)]
#[non_exhaustive]
pub enum Advice {
    /// `MADV_NORMAL`: no special treatment.
    Normal = k::MADV_NORMAL,
    /// `MADV_SEQUENTIAL`: expect sequential access.
    Sequential = k::MADV_SEQUENTIAL,
    /// `MADV_RANDOM`: expect random access.
    Random = k::MADV_RANDOM,
    /// `MADV_WILLNEED`: the pages will be needed soon.
    WillNeed = k::MADV_WILLNEED,
    /// `MADV_DONTNEED`: drop the pages; a private anonymous page reads as zeros afterwards.
    LinuxDontNeed = k::MADV_DONTNEED,
    /// `MADV_FREE`: the pages may be freed lazily (Linux 4.5).
    LinuxFree = k::MADV_FREE,
    /// `MADV_REMOVE`: free the pages and the file's backing store for them.
    LinuxRemove = k::MADV_REMOVE,
    /// `MADV_DONTFORK`: a child of `fork` does not get the range.
    LinuxDontFork = k::MADV_DONTFORK,
    /// `MADV_DOFORK`: undo `LinuxDontFork`.
    LinuxDoFork = k::MADV_DOFORK,
    /// `MADV_HWPOISON`: poison the pages (privileged, for testing).
    LinuxHwPoison = k::MADV_HWPOISON,
    /// `MADV_SOFT_OFFLINE`: move the contents away and take the pages offline (privileged).
    LinuxSoftOffline = k::MADV_SOFT_OFFLINE,
    /// `MADV_MERGEABLE`: the pages may be merged with identical ones (KSM).
    LinuxMergeable = k::MADV_MERGEABLE,
    /// `MADV_UNMERGEABLE`: undo `LinuxMergeable`.
    LinuxUnmergeable = k::MADV_UNMERGEABLE,
    /// `MADV_HUGEPAGE`: use transparent huge pages for the range.
    LinuxHugepage = k::MADV_HUGEPAGE,
    /// `MADV_NOHUGEPAGE`: do not use transparent huge pages for the range.
    LinuxNoHugepage = k::MADV_NOHUGEPAGE,
    /// `MADV_DONTDUMP`: leave the range out of core dumps (Linux 3.4).
    LinuxDontDump = k::MADV_DONTDUMP,
    /// `MADV_DODUMP`: undo `LinuxDontDump` (Linux 3.4).
    LinuxDoDump = k::MADV_DODUMP,
    /// `MADV_WIPEONFORK`: a child of `fork` sees the range zeroed (Linux 4.14).
    LinuxWipeOnFork = k::MADV_WIPEONFORK,
    /// `MADV_KEEPONFORK`: undo `LinuxWipeOnFork` (Linux 4.14).
    LinuxKeepOnFork = k::MADV_KEEPONFORK,
    /// `MADV_COLD`: the pages are unlikely to be used soon (Linux 5.4).
    LinuxCold = k::MADV_COLD,
    /// `MADV_PAGEOUT`: reclaim the pages now (Linux 5.4).
    LinuxPageOut = k::MADV_PAGEOUT,
    /// `MADV_POPULATE_READ`: fault the pages in, readable (Linux 5.14).
    LinuxPopulateRead = k::MADV_POPULATE_READ,
    /// `MADV_POPULATE_WRITE`: fault the pages in, writable (Linux 5.14).
    LinuxPopulateWrite = k::MADV_POPULATE_WRITE,
    /// `MADV_DONTNEED_LOCKED`: as `LinuxDontNeed`, also for locked pages (Linux 5.18).
    LinuxDontneedLocked = k::MADV_DONTNEED_LOCKED,
}

#[allow(non_upper_case_globals)]
impl Advice {
    /// POSIX's `POSIX_MADV_DONTNEED`, which on Linux is `Normal`, as in rustix: Linux's
    /// `MADV_DONTNEED` discards the contents, which POSIX's advice must not; that one is
    /// [`Advice::LinuxDontNeed`].
    pub const DontNeed: Self = Self::Normal;
}
