//! `mm`: mappings, protections, remapping, advice, msync and locking, checked through their
//! contents, through libc, and through faults seen from a forked child.

mod common;

use barecall::io::Errno;
use barecall::mm::{
    self, Advice, MapFlags, MlockAllFlags, MlockFlags, MprotectFlags, MremapFlags, MsyncFlags,
    ProtFlags,
};
use std::ffi::c_void;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::ptr::null_mut;

fn page() -> usize {
    unsafe { libc::sysconf(libc::_SC_PAGESIZE) as usize }
}

/// A range no mapping can be given: address 0, below `vm.mmap_min_addr`. A range this test
/// just unmapped is no such range: the tests run on parallel threads, and the kernel may hand
/// it to another one at once (then a probe of it would change that test's memory).
fn never_mapped() -> *mut c_void {
    null_mut()
}

/// `len` bytes of fresh read-write private anonymous memory.
fn anon(len: usize) -> *mut c_void {
    let ptr = unsafe {
        mm::mmap_anonymous(
            null_mut(),
            len,
            ProtFlags::READ | ProtFlags::WRITE,
            MapFlags::PRIVATE,
        )
    }
    .expect("mmap_anonymous");
    assert_eq!(ptr as usize % page(), 0);
    ptr
}

fn bytes<'a>(ptr: *mut c_void, len: usize) -> &'a mut [u8] {
    unsafe { std::slice::from_raw_parts_mut(ptr.cast(), len) }
}

/// Runs `touch` in a forked child that then `_exit`s with 0, and returns the child's wait
/// status.
fn in_child(touch: impl FnOnce()) -> i32 {
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        touch();
        unsafe { libc::_exit(0) };
    }
    let mut status = 0;
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    status
}

fn faulted(status: i32) -> bool {
    libc::WIFSIGNALED(status)
        && (libc::WTERMSIG(status) == libc::SIGSEGV || libc::WTERMSIG(status) == libc::SIGBUS)
}

fn libc_ret(ret: libc::c_int) -> Result<(), Errno> {
    if ret == 0 {
        Ok(())
    } else {
        Err(Errno::from_raw_os_error(
            std::io::Error::last_os_error().raw_os_error().unwrap(),
        ))
    }
}

/// libc's `mremap`, as a `Result` of nothing (only errors are compared).
fn libc_mremap(
    old: *mut c_void,
    old_len: usize,
    new_len: usize,
    flags: libc::c_int,
    new: *mut c_void,
) -> Result<(), Errno> {
    let got = unsafe { libc::mremap(old, old_len, new_len, flags, new) };
    if got == libc::MAP_FAILED {
        libc_ret(-1)
    } else {
        // Not expected: every call made with it is an error case.
        panic!("libc's mremap succeeded at {got:?}")
    }
}

/// Checks an answer that comes from the kernel's view of the address space. Natively it must
/// be `expected`, and libc's call must agree. qemu-user keeps its own page table and answers
/// some of these differently from Linux (an unmapped range is `Ok` for `mprotect`, `madvise`
/// and `msync`; an unaligned `mremap` is `ENOMEM`): there ours must be what libc's call gets
/// through the same emulator, and the exact-errno check is reported as a named skip.
fn kernel_answer(
    name: &str,
    ours: Result<(), Errno>,
    libc: Result<(), Errno>,
    expected: Result<(), Errno>,
) {
    assert_eq!(ours, libc, "{name}: barecall and libc differ");
    if common::under_qemu_user() && ours != expected {
        common::skip(
            name,
            &format!("qemu-user answers {ours:?} where Linux answers {expected:?}"),
        );
    } else {
        assert_eq!(ours, expected, "{name}");
    }
}

#[test]
fn anonymous_is_zeroed_and_writable() {
    let len = 3 * page();
    let ptr = anon(len);
    let mem = bytes(ptr, len);
    assert!(mem.iter().all(|&b| b == 0));
    mem.fill(0x5a);
    assert!(mem.iter().all(|&b| b == 0x5a));
    unsafe { mm::munmap(ptr, len) }.unwrap();
}

#[test]
fn mmap_errors() {
    let p = page();
    // Zero length, no SHARED/PRIVATE, unknown prot bits, unaligned fixed address.
    let rw = ProtFlags::READ | ProtFlags::WRITE;
    assert_eq!(
        unsafe { mm::mmap_anonymous(null_mut(), 0, rw, MapFlags::PRIVATE) },
        Err(Errno::INVAL)
    );
    assert_eq!(
        unsafe { mm::mmap_anonymous(null_mut(), p, rw, MapFlags::empty()) },
        Err(Errno::INVAL)
    );
    let unknown = ProtFlags::from_bits_retain(0x0100_0000);
    let ours = unsafe { mm::mmap_anonymous(null_mut(), p, unknown, MapFlags::PRIVATE) };
    let theirs = unsafe {
        libc::mmap(
            null_mut(),
            p,
            0x0100_0000,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    // The kernel's answer, whichever it is (x86_64 ignores unknown mmap prot bits; mprotect
    // refuses them, below): the same as libc's.
    match ours {
        Ok(ptr) => {
            assert_ne!(theirs, libc::MAP_FAILED);
            unsafe { mm::munmap(ptr, p) }.unwrap();
            assert_eq!(unsafe { libc::munmap(theirs, p) }, 0);
        }
        Err(e) => {
            assert_eq!(theirs, libc::MAP_FAILED);
            assert_eq!(
                e.raw_os_error(),
                std::io::Error::last_os_error().raw_os_error().unwrap()
            );
        }
    }
    let base = anon(2 * p);
    let unaligned = unsafe { base.cast::<u8>().add(1) }.cast();
    assert_eq!(
        unsafe { mm::mmap_anonymous(unaligned, p, rw, MapFlags::PRIVATE | MapFlags::FIXED) },
        Err(Errno::INVAL)
    );
    // Lengths near usize::MAX are the kernel's answer (ENOMEM), not an overflow here.
    assert_eq!(
        unsafe { mm::mmap_anonymous(null_mut(), usize::MAX, rw, MapFlags::PRIVATE) },
        Err(Errno::NOMEM)
    );
    assert_eq!(
        unsafe { mm::mmap_anonymous(null_mut(), usize::MAX - p, rw, MapFlags::PRIVATE) },
        Err(Errno::NOMEM)
    );
    // A file mapping: bad fd, and an unaligned offset.
    let file = common::scratch_file_with(&vec![1u8; p]);
    let closed = unsafe { std::os::fd::BorrowedFd::borrow_raw(999) };
    assert_eq!(
        unsafe { mm::mmap(null_mut(), p, ProtFlags::READ, MapFlags::SHARED, closed, 0) },
        Err(Errno::BADF)
    );
    assert_eq!(
        unsafe { mm::mmap(null_mut(), p, ProtFlags::READ, MapFlags::SHARED, &file, 5) },
        Err(Errno::INVAL)
    );
    unsafe { mm::munmap(base, 2 * p) }.unwrap();
}

#[test]
fn map_fixed_over_our_own_mapping() {
    let p = page();
    let base = anon(2 * p);
    bytes(base, 2 * p).fill(7);
    let second = unsafe { base.cast::<u8>().add(p) }.cast();
    let got = unsafe {
        mm::mmap_anonymous(
            second,
            p,
            ProtFlags::READ | ProtFlags::WRITE,
            MapFlags::PRIVATE | MapFlags::FIXED,
        )
    }
    .unwrap();
    assert_eq!(got, second);
    let mem = bytes(base, 2 * p);
    assert!(mem[..p].iter().all(|&b| b == 7));
    assert!(
        mem[p..].iter().all(|&b| b == 0),
        "the fixed mapping replaced the page"
    );
    // FIXED_NOREPLACE over it refuses.
    let refused = unsafe {
        mm::mmap_anonymous(
            second,
            p,
            ProtFlags::READ,
            MapFlags::PRIVATE | MapFlags::FIXED_NOREPLACE,
        )
    };
    match refused {
        // qemu-user does not know MAP_FIXED_NOREPLACE and maps elsewhere, as for a hint.
        Ok(other) if common::under_qemu_user() && other != second => {
            unsafe { mm::munmap(other, p) }.unwrap();
            common::skip(
                "map_fixed_noreplace",
                "qemu-user treats MAP_FIXED_NOREPLACE as a hint",
            );
        }
        refused => assert_eq!(refused, Err(Errno::EXIST)),
    }
    unsafe { mm::munmap(base, 2 * p) }.unwrap();
}

#[test]
fn munmap_cases() {
    let p = page();
    let base = anon(4 * p);
    unsafe { mm::munmap(base, 4 * p) }.unwrap();
    // Unmapping a range with nothing mapped is Ok.
    assert_eq!(unsafe { mm::munmap(never_mapped(), 4 * p) }, Ok(()));
    let unaligned = unsafe { base.cast::<u8>().add(1) }.cast();
    assert_eq!(unsafe { mm::munmap(unaligned, p) }, Err(Errno::INVAL));
    assert_eq!(unsafe { mm::munmap(base, 0) }, Err(Errno::INVAL));
}

#[test]
fn mprotect_none_faults_and_read_only_refuses_writes() {
    let p = page();
    let ptr = anon(p);
    bytes(ptr, p)[0] = 42;
    unsafe { mm::mprotect(ptr, p, MprotectFlags::READ) }.unwrap();
    assert_eq!(bytes(ptr, p)[0], 42);
    let status = in_child(|| unsafe { ptr.cast::<u8>().write_volatile(1) });
    assert!(
        faulted(status),
        "write to a read-only page: status {status:#x}"
    );
    unsafe { mm::mprotect(ptr, p, MprotectFlags::empty()) }.unwrap();
    let status = in_child(|| {
        let _ = unsafe { ptr.cast::<u8>().read_volatile() };
    });
    assert!(
        faulted(status),
        "read of a PROT_NONE page: status {status:#x}"
    );
    unsafe { mm::mprotect(ptr, p, MprotectFlags::READ | MprotectFlags::WRITE) }.unwrap();
    assert_eq!(bytes(ptr, p)[0], 42);
    // The control: the child touching a readable page exits normally.
    let status = in_child(|| {
        let _ = unsafe { ptr.cast::<u8>().read_volatile() };
    });
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    // Errors: unaligned address, unknown bits, unmapped range.
    let unaligned = unsafe { ptr.cast::<u8>().add(1) }.cast();
    assert_eq!(
        unsafe { mm::mprotect(unaligned, p, MprotectFlags::READ) },
        Err(Errno::INVAL)
    );
    assert_eq!(
        unsafe { mm::mprotect(ptr, p, MprotectFlags::from_bits_retain(0x0100_0000)) },
        Err(Errno::INVAL)
    );
    unsafe { mm::munmap(ptr, p) }.unwrap();
    kernel_answer(
        "mprotect_unmapped",
        unsafe { mm::mprotect(never_mapped(), p, MprotectFlags::READ) },
        libc_ret(unsafe { libc::mprotect(never_mapped(), p, libc::PROT_READ) }),
        Err(Errno::NOMEM),
    );
}

#[test]
fn mremap_grows_keeping_contents() {
    let p = page();
    let ptr = anon(p);
    bytes(ptr, p)
        .iter_mut()
        .enumerate()
        .for_each(|(i, b)| *b = i as u8);
    let grown = unsafe { mm::mremap(ptr, p, 16 * p, MremapFlags::MAYMOVE) }.unwrap();
    let mem = bytes(grown, 16 * p);
    assert!(mem[..p].iter().enumerate().all(|(i, &b)| b == i as u8));
    assert!(mem[p..].iter().all(|&b| b == 0));
    mem[16 * p - 1] = 9;
    // Fixed: move it to a place we reserved.
    let target = anon(16 * p);
    let moved =
        unsafe { mm::mremap_fixed(grown, 16 * p, 16 * p, MremapFlags::MAYMOVE, target) }.unwrap();
    assert_eq!(moved, target);
    let mem = bytes(moved, 16 * p);
    assert_eq!(mem[5], 5);
    assert_eq!(mem[16 * p - 1], 9);
    // Errors: unaligned old address, unknown flags, fixed without MAYMOVE, zero new size.
    let unaligned = unsafe { moved.cast::<u8>().add(1) }.cast();
    kernel_answer(
        "mremap_unaligned",
        unsafe { mm::mremap(unaligned, p, 2 * p, MremapFlags::MAYMOVE) }.map(drop),
        libc_mremap(unaligned, p, 2 * p, libc::MREMAP_MAYMOVE, null_mut()),
        Err(Errno::INVAL),
    );
    kernel_answer(
        "mremap_unknown_flags",
        unsafe { mm::mremap(moved, p, 2 * p, MremapFlags::from_bits_retain(0x100)) }.map(drop),
        libc_mremap(moved, p, 2 * p, 0x100, null_mut()),
        Err(Errno::INVAL),
    );
    kernel_answer(
        "mremap_fixed_without_maymove",
        unsafe { mm::mremap_fixed(moved, p, p, MremapFlags::empty(), grown) }.map(drop),
        libc_mremap(moved, p, p, libc::MREMAP_FIXED, grown),
        Err(Errno::INVAL),
    );
    kernel_answer(
        "mremap_zero_size",
        unsafe { mm::mremap(moved, p, 0, MremapFlags::MAYMOVE) }.map(drop),
        libc_mremap(moved, p, 0, libc::MREMAP_MAYMOVE, null_mut()),
        Err(Errno::INVAL),
    );
    unsafe { mm::munmap(moved, 16 * p) }.unwrap();
}

#[test]
fn madvise_dontneed_zeroes_private_anonymous() {
    let p = page();
    let ptr = anon(2 * p);
    bytes(ptr, 2 * p).fill(0xaa);
    unsafe { mm::madvise(ptr, p, Advice::LinuxDontNeed) }.unwrap();
    let mem = bytes(ptr, 2 * p);
    assert!(mem[..p].iter().all(|&b| b == 0));
    assert!(mem[p..].iter().all(|&b| b == 0xaa));
    // POSIX's DontNeed is Normal on Linux, and keeps contents.
    assert_eq!(Advice::DontNeed, Advice::Normal);
    unsafe { mm::madvise(ptr, 2 * p, Advice::DontNeed) }.unwrap();
    assert!(bytes(ptr, 2 * p)[p..].iter().all(|&b| b == 0xaa));
    unsafe { mm::madvise(ptr, 2 * p, Advice::Sequential) }.unwrap();
    unsafe { mm::madvise(ptr, 2 * p, Advice::WillNeed) }.unwrap();
    let unaligned = unsafe { ptr.cast::<u8>().add(1) }.cast();
    assert_eq!(
        unsafe { mm::madvise(unaligned, p, Advice::Normal) },
        Err(Errno::INVAL)
    );
    unsafe { mm::munmap(ptr, 2 * p) }.unwrap();
    kernel_answer(
        "madvise_unmapped",
        unsafe { mm::madvise(never_mapped(), p, Advice::WillNeed) },
        libc_ret(unsafe { libc::madvise(never_mapped(), p, libc::MADV_WILLNEED) }),
        Err(Errno::NOMEM),
    );
}

#[test]
fn shared_file_mapping_sees_writes_and_msync() {
    let p = page();
    let mut file = common::scratch_file_with(&vec![b'a'; 2 * p]);
    let ptr = unsafe {
        mm::mmap(
            null_mut(),
            2 * p,
            ProtFlags::READ | ProtFlags::WRITE,
            MapFlags::SHARED,
            &file,
            p as u64,
        )
    }
    .unwrap();
    // The mapping is the file's second page.
    file.write_all_at(b"hello", p as u64).unwrap();
    let mem = bytes(ptr, p);
    assert_eq!(&mem[..5], b"hello");
    assert_eq!(mem[5], b'a');
    // Writes through the mapping reach the file.
    mem[10..15].copy_from_slice(b"world");
    unsafe { mm::msync(ptr, p, MsyncFlags::SYNC) }.unwrap();
    unsafe { mm::msync(ptr, p, MsyncFlags::ASYNC | MsyncFlags::INVALIDATE) }.unwrap();
    let mut back = vec![0u8; p];
    file.seek(SeekFrom::Start(p as u64)).unwrap();
    file.read_exact(&mut back).unwrap();
    assert_eq!(&back[10..15], b"world");
    // msync errors: SYNC with ASYNC, unknown bits, unaligned, unmapped.
    assert_eq!(
        unsafe { mm::msync(ptr, p, MsyncFlags::SYNC | MsyncFlags::ASYNC) },
        Err(Errno::INVAL)
    );
    assert_eq!(
        unsafe { mm::msync(ptr, p, MsyncFlags::from_bits_retain(0x100)) },
        Err(Errno::INVAL)
    );
    let unaligned = unsafe { ptr.cast::<u8>().add(1) }.cast();
    assert_eq!(
        unsafe { mm::msync(unaligned, p, MsyncFlags::SYNC) },
        Err(Errno::INVAL)
    );
    unsafe { mm::munmap(ptr, 2 * p) }.unwrap();
    kernel_answer(
        "msync_unmapped",
        unsafe { mm::msync(never_mapped(), p, MsyncFlags::SYNC) },
        libc_ret(unsafe { libc::msync(never_mapped(), p, libc::MS_SYNC) }),
        Err(Errno::NOMEM),
    );
    drop(file);
}

#[test]
fn private_file_mapping_is_a_copy() {
    let p = page();
    let file = common::scratch_file_with(&vec![b'x'; p]);
    let ptr = unsafe {
        mm::mmap(
            null_mut(),
            p,
            ProtFlags::READ | ProtFlags::WRITE,
            MapFlags::PRIVATE,
            &file,
            0,
        )
    }
    .unwrap();
    bytes(ptr, p)[0] = b'y';
    let mut first = [0u8; 1];
    file.read_exact_at(&mut first, 0).unwrap();
    assert_eq!(&first, b"x");
    unsafe { mm::munmap(ptr, p) }.unwrap();
}

#[test]
fn writable_shared_mapping_of_read_only_fd_is_eacces() {
    let p = page();
    let path = std::env::temp_dir().join(format!("barecall-mm-ro-{}", std::process::id()));
    std::fs::write(&path, vec![b'x'; p]).unwrap();
    let ro = std::fs::File::open(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let got = unsafe {
        mm::mmap(
            null_mut(),
            p,
            ProtFlags::READ | ProtFlags::WRITE,
            MapFlags::SHARED,
            &ro,
            0,
        )
    };
    assert_eq!(got, Err(Errno::ACCESS));
}

#[test]
fn mlock_one_page() {
    let p = page();
    let ptr = anon(p);
    unsafe { mm::mlock(ptr, p) }.unwrap();
    unsafe { mm::munlock(ptr, p) }.unwrap();
    match unsafe { mm::mlock_with(ptr, p, MlockFlags::ONFAULT) } {
        Ok(()) => unsafe { mm::munlock(ptr, p) }.unwrap(),
        Err(Errno::NOSYS) if common::under_qemu_user() => {
            common::skip("mlock_with", "ENOSYS under qemu-user")
        }
        Err(e) => panic!("mlock2: {e:?}"),
    }
    // Unknown bits: EINVAL (qemu-user, which has no mlock2: ENOSYS, reported above).
    let qemu = common::under_qemu_user();
    assert_eq!(
        unsafe { mm::mlock_with(ptr, p, MlockFlags::from_bits_retain(0x100)) }
            .map_err(|e| e == Errno::INVAL || (qemu && e == Errno::NOSYS)),
        Err(true)
    );
    unsafe { mm::munmap(ptr, p) }.unwrap();
    assert_eq!(unsafe { mm::mlock(never_mapped(), p) }, Err(Errno::NOMEM));
    // mlockall with unknown bits or no bits is EINVAL; munlockall always succeeds.
    assert_eq!(mm::mlockall(MlockAllFlags::empty()), Err(Errno::INVAL));
    assert_eq!(
        mm::mlockall(MlockAllFlags::from_bits_retain(0x100)),
        Err(Errno::INVAL)
    );
    mm::munlockall().unwrap();
}

#[test]
fn address_with_top_bit_is_decoded_as_address() {
    // Whatever the kernel returns is an address unless it is in -4095..=-1. On 32-bit arm a
    // fixed mapping near the top of user space (3 GiB split: top bit set) must come back as
    // itself; on the 64-bit ABIs user addresses never set the top bit, so the same request at
    // a high, unused user address checks that decoding keeps the whole value.
    let p = page();
    let high: u64 = if cfg!(target_pointer_width = "32") {
        0xb000_0000
    } else {
        0x3f_0000_0000
    };
    let high = usize::try_from(high).unwrap() as *mut c_void;
    match unsafe {
        mm::mmap_anonymous(
            high,
            p,
            ProtFlags::READ,
            MapFlags::PRIVATE | MapFlags::FIXED_NOREPLACE,
        )
    } {
        Ok(got) => {
            assert_eq!(got, high);
            unsafe { mm::munmap(got, p) }.unwrap();
        }
        // Something of ours is already there.
        Err(Errno::EXIST) => {}
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn mmap_offset_past_4_gib() {
    // On 32-bit arm this goes through mmap2's 4096-byte units.
    const FIVE_GIB: u64 = 5 << 30;
    let p = page();
    let file = common::scratch_file();
    file.write_all_at(b"far away", FIVE_GIB).unwrap();
    if cfg!(target_pointer_width = "32") && common::under_qemu_user() {
        common::skip(
            "mmap_offset_past_4_gib",
            "qemu-user truncates a 32-bit guest's mmap offsets past 4 GiB",
        );
        return;
    }
    let ptr = unsafe {
        mm::mmap(
            null_mut(),
            p,
            ProtFlags::READ,
            MapFlags::SHARED,
            &file,
            FIVE_GIB,
        )
    }
    .unwrap();
    assert_eq!(&bytes(ptr, p)[..8], b"far away");
    unsafe { mm::munmap(ptr, p) }.unwrap();
    // An offset that mmap2 units cannot say: not a multiple of 4096, or past 2^44.
    assert_eq!(
        unsafe {
            mm::mmap(
                null_mut(),
                p,
                ProtFlags::READ,
                MapFlags::SHARED,
                &file,
                FIVE_GIB + 5,
            )
        },
        Err(Errno::INVAL)
    );
}

#[test]
fn offsets_mmap2_cannot_say_are_inval() {
    // 32-bit arm: past 2^44 (mmap2's 32-bit count of 4096-byte units) is INVAL before any
    // call; the 64-bit ABIs take the byte offset as is and map it (the file is short, so
    // the page is not touched). A misaligned offset is INVAL on both.
    let p = page();
    let file = common::scratch_file_with(b"x");
    let far = unsafe {
        mm::mmap(
            null_mut(),
            p,
            ProtFlags::READ,
            MapFlags::SHARED,
            &file,
            1 << 44,
        )
    };
    if cfg!(target_pointer_width = "32") {
        assert_eq!(far, Err(Errno::INVAL));
    } else {
        unsafe { mm::munmap(far.unwrap(), p) }.unwrap();
    }
    assert_eq!(
        unsafe {
            mm::mmap(
                null_mut(),
                p,
                ProtFlags::READ,
                MapFlags::SHARED,
                &file,
                4097,
            )
        },
        Err(Errno::INVAL)
    );
}
