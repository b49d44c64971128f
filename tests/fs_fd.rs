//! `fs` calls on open files: fcntl_getfl/setfl, flock, fsync, fdatasync, ftruncate,
//! fallocate, fadvise, memfd_create, seals, copy_file_range and tell, checked against libc and
//! against what the file then holds. Offsets past 4 GiB catch 32-bit arm's register pairs.
mod common;

use barecall::fs::{
    self, Advice, FallocateFlags, FlockOperation, MemfdFlags, Mode, OFlags, SealFlags, SeekFrom,
};
use barecall::io::{self, Errno};
use std::ffi::CString;
use std::num::NonZeroU64;
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

const FOUR_GIB: u64 = 1 << 32;
const FIVE_GIB: u64 = 5 << 30;

/// A unique path in the temp directory, removed when dropped.
struct TempPath(PathBuf);

impl TempPath {
    fn new(contents: &[u8]) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "barecall-fsfd-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, contents).expect("write temp file");
        Self(path)
    }

    fn open(&self, flags: OFlags) -> OwnedFd {
        fs::open(&self.0, flags | OFlags::CLOEXEC, Mode::empty()).expect("open temp file")
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A number that was an fd a moment ago and is closed now (the tests hold the binary's
/// `FdCheck` lock, so no other test can reuse it meanwhile).
fn closed_fd() -> BorrowedFd<'static> {
    let (reader, writer) = barecall::pipe::pipe().unwrap();
    let raw = reader.as_raw_fd();
    drop((reader, writer));
    assert!(!common::is_open(raw));
    // SAFETY: nothing uses the number as an open file; the calls under test say EBADF.
    unsafe { BorrowedFd::borrow_raw(raw) }
}

/// A directory fd (the temp directory).
fn dir_fd() -> OwnedFd {
    fs::open(
        std::env::temp_dir(),
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .unwrap()
}

/// The size of an open file, through libc.
fn libc_size(fd: &impl AsRawFd) -> u64 {
    let mut st = std::mem::MaybeUninit::<libc::stat64>::uninit();
    assert_eq!(unsafe { libc::fstat64(fd.as_raw_fd(), st.as_mut_ptr()) }, 0);
    unsafe { st.assume_init() }.st_size as u64
}

/// `len` bytes at `offset`, through libc's `pread64`.
fn libc_pread(fd: &impl AsRawFd, offset: u64, len: usize) -> Vec<u8> {
    let mut buf = vec![0u8; len];
    let n = unsafe {
        libc::pread64(
            fd.as_raw_fd(),
            buf.as_mut_ptr().cast(),
            len,
            offset as libc::off64_t,
        )
    };
    assert!(n >= 0, "pread64: {}", std::io::Error::last_os_error());
    buf.truncate(n as usize);
    buf
}

/// Writes `data` at `offset`, through libc's `pwrite64`.
fn libc_pwrite(fd: &impl AsRawFd, offset: u64, data: &[u8]) {
    let n = unsafe {
        libc::pwrite64(
            fd.as_raw_fd(),
            data.as_ptr().cast(),
            data.len(),
            offset as libc::off64_t,
        )
    };
    assert_eq!(n, data.len() as isize, "pwrite64");
}

/// The errno libc's call left, as barecall's `Errno`, or `Ok` for a zero return.
fn libc_result(rc: libc::c_int) -> io::Result<()> {
    if rc == 0 {
        Ok(())
    } else {
        Err(Errno::from_raw_os_error(
            std::io::Error::last_os_error().raw_os_error().unwrap(),
        ))
    }
}

// ---- fcntl_getfl, fcntl_setfl ----------------------------------------------------------------

/// `F_GETFL` flags without `O_LARGEFILE`, which qemu-user leaves out.
fn without_largefile(flags: OFlags) -> OFlags {
    flags - OFlags::LARGEFILE
}

#[test]
fn fcntl_getfl_and_setfl_match_libc() {
    let _check = common::FdCheck::new();
    let tmp = TempPath::new(b"");
    let fd = tmp.open(OFlags::RDWR | OFlags::APPEND);
    let flags = fs::fcntl_getfl(&fd).unwrap();
    assert_eq!(
        flags.bits(),
        common::libc_status_flags(fd.as_raw_fd()) as u32
    );
    assert_eq!(flags & OFlags::RWMODE, OFlags::RDWR);
    assert!(flags.contains(OFlags::APPEND));
    assert!(!flags.contains(OFlags::NONBLOCK));
    if !common::under_qemu_user() {
        assert!(flags.contains(OFlags::LARGEFILE), "barecall's open adds it");
    }

    fs::fcntl_setfl(&fd, OFlags::NONBLOCK).unwrap();
    let now = fs::fcntl_getfl(&fd).unwrap();
    assert_eq!(now.bits(), common::libc_status_flags(fd.as_raw_fd()) as u32);
    assert_eq!(without_largefile(now), OFlags::RDWR | OFlags::NONBLOCK);
    // Only the changeable flags change: the access mode and CREATE/TRUNC stay out.
    fs::fcntl_setfl(&fd, OFlags::APPEND | OFlags::RDONLY | OFlags::TRUNC).unwrap();
    assert_eq!(
        without_largefile(fs::fcntl_getfl(&fd).unwrap()),
        OFlags::RDWR | OFlags::APPEND
    );
    fs::fcntl_setfl(&fd, OFlags::empty()).unwrap();
    assert_eq!(
        without_largefile(fs::fcntl_getfl(&fd).unwrap()),
        OFlags::RDWR
    );

    // Pipe ends report their direction.
    let (reader, writer) = barecall::pipe::pipe().unwrap();
    assert_eq!(
        fs::fcntl_getfl(&reader).unwrap() & OFlags::RWMODE,
        OFlags::RDONLY
    );
    assert_eq!(
        fs::fcntl_getfl(&writer).unwrap() & OFlags::RWMODE,
        OFlags::WRONLY
    );
    fs::fcntl_setfl(&reader, OFlags::NONBLOCK).unwrap();
    let mut buf = [0u8; 1];
    assert_eq!(io::read(&reader, &mut buf), Err(Errno::AGAIN));
    // ASYNC takes where the file has a `fasync` operation (pipes do, ext4 files do not).
    fs::fcntl_setfl(&writer, OFlags::ASYNC).unwrap();
    assert_eq!(
        common::libc_status_flags(writer.as_raw_fd()) & libc::O_ASYNC,
        libc::O_ASYNC
    );
    assert!(fs::fcntl_getfl(&writer).unwrap().contains(OFlags::ASYNC));
    fs::fcntl_setfl(&writer, OFlags::empty()).unwrap();
    assert_eq!(
        common::libc_status_flags(writer.as_raw_fd()) & libc::O_ASYNC,
        0
    );
    // O_PATH shows as such.
    let opath = tmp.open(OFlags::PATH);
    assert!(fs::fcntl_getfl(&opath).unwrap().contains(OFlags::PATH));
}

#[test]
fn fcntl_getfl_and_setfl_errors() {
    let _check = common::FdCheck::new();
    assert_eq!(fs::fcntl_getfl(closed_fd()), Err(Errno::BADF));
    assert_eq!(
        fs::fcntl_setfl(closed_fd(), OFlags::NONBLOCK),
        Err(Errno::BADF)
    );
    assert_eq!(fs::fcntl_getfl(fs::CWD), Err(Errno::BADF));
    // O_DIRECT where the filesystem cannot: a pipe says EINVAL.
    let (reader, _writer) = barecall::pipe::pipe().unwrap();
    let libc_answer =
        libc_result(unsafe { libc::fcntl(reader.as_raw_fd(), libc::F_SETFL, libc::O_DIRECT) });
    assert_eq!(fs::fcntl_setfl(&reader, OFlags::DIRECT), libc_answer);
}

// ---- flock ---------------------------------------------------------------------------------

#[test]
fn flock_excludes_other_open_files() {
    let _check = common::FdCheck::new();
    let tmp = TempPath::new(b"x");
    let first = tmp.open(OFlags::RDONLY);
    let second = tmp.open(OFlags::RDONLY);
    fs::flock(&first, FlockOperation::LockExclusive).unwrap();
    assert_eq!(
        fs::flock(&second, FlockOperation::NonBlockingLockExclusive),
        Err(Errno::WOULDBLOCK)
    );
    assert_eq!(
        fs::flock(&second, FlockOperation::NonBlockingLockShared),
        Err(Errno::WOULDBLOCK)
    );
    // libc sees the lock too.
    assert_eq!(
        libc_result(unsafe { libc::flock(second.as_raw_fd(), libc::LOCK_SH | libc::LOCK_NB) }),
        Err(Errno::WOULDBLOCK)
    );
    fs::flock(&first, FlockOperation::Unlock).unwrap();
    // Shared locks coexist, and keep out an exclusive one.
    fs::flock(&second, FlockOperation::NonBlockingLockShared).unwrap();
    fs::flock(&first, FlockOperation::LockShared).unwrap();
    assert_eq!(
        libc_result(unsafe { libc::flock(first.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) }),
        Err(Errno::WOULDBLOCK)
    );
    fs::flock(&first, FlockOperation::NonBlockingUnlock).unwrap();
    fs::flock(&second, FlockOperation::Unlock).unwrap();
    fs::flock(&first, FlockOperation::NonBlockingLockExclusive).unwrap();
    assert_eq!(
        fs::flock(closed_fd(), FlockOperation::LockShared),
        Err(Errno::BADF)
    );
}

// ---- fsync, fdatasync --------------------------------------------------------------------------

#[test]
fn fsync_and_fdatasync() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"data");
    fs::fsync(&file).unwrap();
    fs::fdatasync(&file).unwrap();
    let dir = dir_fd();
    fs::fsync(&dir).unwrap();
    assert_eq!(fs::fsync(closed_fd()), Err(Errno::BADF));
    assert_eq!(fs::fdatasync(closed_fd()), Err(Errno::BADF));
    // A pipe cannot be synced: as libc says.
    let (reader, _writer) = barecall::pipe::pipe().unwrap();
    let libc_answer = libc_result(unsafe { libc::fsync(reader.as_raw_fd()) });
    assert_eq!(libc_answer, Err(Errno::INVAL));
    assert_eq!(fs::fsync(&reader), libc_answer);
    assert_eq!(fs::fdatasync(&reader), libc_answer);
}

// ---- ftruncate -------------------------------------------------------------------------------

#[test]
fn ftruncate_cuts_extends_and_reaches_past_4_gib() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"hello world");
    fs::ftruncate(&file, 5).unwrap();
    assert_eq!(libc_size(&file), 5);
    assert_eq!(libc_pread(&file, 0, 64), b"hello");
    fs::ftruncate(&file, 8).unwrap();
    assert_eq!(libc_pread(&file, 0, 64), b"hello\0\0\0");

    // 5 GiB: the high word must arrive (32-bit arm: r2:r3 after a pad register).
    fs::ftruncate(&file, FIVE_GIB).unwrap();
    assert_eq!(libc_size(&file), FIVE_GIB);
    assert_eq!(
        i128::from(fs::fstat(&file).unwrap().st_size),
        i128::from(FIVE_GIB)
    );
    assert_eq!(fs::seek(&file, SeekFrom::End(0)), Ok(FIVE_GIB));
    // A low word of all ones and a high word of one.
    fs::ftruncate(&file, FOUR_GIB + 0xFFFF_FFFF).unwrap();
    assert_eq!(libc_size(&file), FOUR_GIB + 0xFFFF_FFFF);
    fs::ftruncate(&file, FOUR_GIB + 1).unwrap();
    assert_eq!(libc_size(&file), FOUR_GIB + 1);
    assert_eq!(libc_pread(&file, FOUR_GIB - 1, 8), [0, 0]);
    assert_eq!(libc_pread(&file, 0, 5), b"hello");
    fs::ftruncate(&file, 0).unwrap();
    assert_eq!(libc_size(&file), 0);
}

#[test]
fn ftruncate_errors() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"keep");
    // Lengths the kernel would read as negative, refused.
    assert_eq!(fs::ftruncate(&file, 1 << 63), Err(Errno::INVAL));
    assert_eq!(fs::ftruncate(&file, u64::MAX), Err(Errno::INVAL));
    assert_eq!(libc_size(&file), 4);
    assert_eq!(fs::ftruncate(closed_fd(), 0), Err(Errno::BADF));
    // Not a regular file open for writing: a pipe, a directory, a read-only fd.
    let (reader, writer) = barecall::pipe::pipe().unwrap();
    assert_eq!(fs::ftruncate(&writer, 0), Err(Errno::INVAL));
    assert_eq!(fs::ftruncate(&reader, 0), Err(Errno::INVAL));
    assert_eq!(fs::ftruncate(dir_fd(), 0), Err(Errno::INVAL));
    let tmp = TempPath::new(b"keep");
    let read_only = tmp.open(OFlags::RDONLY);
    let libc_answer = libc_result(unsafe { libc::ftruncate64(read_only.as_raw_fd(), 0) });
    assert_eq!(fs::ftruncate(&read_only, 0), libc_answer);
    assert_eq!(libc_answer, Err(Errno::INVAL));
    assert_eq!(std::fs::read(&tmp.0).unwrap(), b"keep");
}

// ---- fallocate -------------------------------------------------------------------------------

#[test]
fn fallocate_past_4_gib() {
    let _check = common::FdCheck::new();
    // A memfd: shmem supports every mode tested here, whatever the temp directory is on.
    let fd = fs::memfd_create("barecall-fallocate", MemfdFlags::CLOEXEC).unwrap();
    // Offset and length both past 32 bits would need 4 GiB of memory: the offset is
    // 5 GiB + 4096 (low word 0x4000_1000), the length one page.
    let offset = FIVE_GIB + 4096;
    fs::fallocate(&fd, FallocateFlags::empty(), offset, 4096).unwrap();
    assert_eq!(libc_size(&fd), offset + 4096);
    let st = fs::fstat(&fd).unwrap();
    assert_eq!(
        i128::from(st.st_blocks),
        8,
        "one page allocated, the rest a hole"
    );
    // KEEP_SIZE allocates past the end without growing the file.
    fs::fallocate(&fd, FallocateFlags::KEEP_SIZE, 6 << 30, 8192).unwrap();
    assert_eq!(libc_size(&fd), offset + 4096);
    assert_eq!(i128::from(fs::fstat(&fd).unwrap().st_blocks), 24);
    // PUNCH_HOLE frees the first page again.
    libc_pwrite(&fd, offset, b"xyz");
    let punch = FallocateFlags::PUNCH_HOLE | FallocateFlags::KEEP_SIZE;
    fs::fallocate(&fd, punch, offset, 4096).unwrap();
    assert_eq!(libc_pread(&fd, offset, 3), [0, 0, 0]);
    assert_eq!(i128::from(fs::fstat(&fd).unwrap().st_blocks), 16);
    assert_eq!(libc_size(&fd), offset + 4096);

    // A regular file in the temp directory, against libc's answer.
    let file = common::scratch_file();
    let libc_answer =
        libc_result(unsafe { libc::fallocate64(file.as_raw_fd(), 0, FIVE_GIB as i64, 4096) });
    let ours = fs::fallocate(&file, FallocateFlags::empty(), FIVE_GIB + 8192, 4096);
    assert_eq!(ours, libc_answer);
    if ours.is_ok() {
        assert_eq!(libc_size(&file), FIVE_GIB + 8192 + 4096);
    }
}

#[test]
fn fallocate_errors() {
    let _check = common::FdCheck::new();
    let fd = fs::memfd_create("barecall-fallocate", MemfdFlags::CLOEXEC).unwrap();
    let none = FallocateFlags::empty();
    assert_eq!(fs::fallocate(&fd, none, 0, 0), Err(Errno::INVAL));
    assert_eq!(fs::fallocate(&fd, none, 1 << 63, 1), Err(Errno::INVAL));
    assert_eq!(fs::fallocate(&fd, none, 0, 1 << 63), Err(Errno::INVAL));
    assert_eq!(
        fs::fallocate(&fd, none, u64::MAX, u64::MAX),
        Err(Errno::INVAL)
    );
    // offset + len past the largest file size.
    assert_eq!(
        fs::fallocate(&fd, none, i64::MAX as u64, 4096),
        Err(Errno::FBIG)
    );
    // A mode bit no flag has.
    let unknown = FallocateFlags::from_bits_retain(0x4000_0000);
    assert_eq!(fs::fallocate(&fd, unknown, 0, 1), Err(Errno::OPNOTSUPP));
    // PUNCH_HOLE without KEEP_SIZE.
    assert_eq!(
        fs::fallocate(&fd, FallocateFlags::PUNCH_HOLE, 0, 1),
        Err(Errno::OPNOTSUPP)
    );
    assert_eq!(libc_size(&fd), 0);
    assert_eq!(fs::fallocate(closed_fd(), none, 0, 1), Err(Errno::BADF));
    // A pipe (ESPIPE), a directory and a read-only file (EBADF: not open for writing).
    let (_reader, writer) = barecall::pipe::pipe().unwrap();
    assert_eq!(fs::fallocate(&writer, none, 0, 1), Err(Errno::SPIPE));
    assert_eq!(fs::fallocate(dir_fd(), none, 0, 1), Err(Errno::BADF));
    let tmp = TempPath::new(b"");
    assert_eq!(
        fs::fallocate(tmp.open(OFlags::RDONLY), none, 0, 1),
        Err(Errno::BADF)
    );
}

// ---- fadvise ---------------------------------------------------------------------------------

#[test]
fn fadvise_every_advice_past_4_gib() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file_with(b"0123456789");
    let page = NonZeroU64::new(4096);
    let advices = [
        Advice::Normal,
        Advice::Sequential,
        Advice::Random,
        Advice::NoReuse,
        Advice::WillNeed,
        Advice::DontNeed,
    ];
    for advice in advices {
        fs::fadvise(&file, 0, None, advice).unwrap();
        fs::fadvise(&file, 0, page, advice).unwrap();
        // Offsets and lengths with both words non-zero: on 32-bit arm a word out of place
        // would land in the advice register (an invalid advice, EINVAL) or make a negative
        // length (EINVAL).
        fs::fadvise(&file, FIVE_GIB + 4096, NonZeroU64::new(FIVE_GIB), advice).unwrap();
        fs::fadvise(&file, FOUR_GIB + 0xFFFF_F000, page, advice).unwrap();
        let rc = unsafe {
            libc::posix_fadvise64(
                file.as_raw_fd(),
                (FIVE_GIB + 4096) as i64,
                FIVE_GIB as i64,
                advice as i32,
            )
        };
        assert_eq!(rc, 0, "libc agrees that {advice:?} is fine");
    }
    // The advice changes nothing the file holds.
    assert_eq!(libc_pread(&file, 0, 64), b"0123456789");
}

/// Which pages of `len` bytes at `offset` of a file are in the page cache (`mincore` of a
/// mapping that is never touched).
fn cached_pages(fd: &impl AsRawFd, offset: u64, len: usize) -> Vec<bool> {
    let addr = unsafe {
        libc::mmap64(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ,
            libc::MAP_SHARED,
            fd.as_raw_fd(),
            offset as libc::off64_t,
        )
    };
    assert_ne!(addr, libc::MAP_FAILED, "mmap64");
    let mut vec = vec![0u8; len.div_ceil(4096)];
    assert_eq!(
        unsafe { libc::mincore(addr, len, vec.as_mut_ptr()) },
        0,
        "mincore"
    );
    assert_eq!(unsafe { libc::munmap(addr, len) }, 0);
    vec.iter().map(|&page| page & 1 == 1).collect()
}

/// `DONTNEED` drops exactly the range asked for: what tells a swapped offset and length (or
/// swapped words of either) from the right ones, where every order would return 0.
#[test]
fn fadvise_dontneed_drops_exactly_its_range_past_4_gib() {
    let _check = common::FdCheck::new();
    let name = "fadvise_dontneed_drops_exactly_its_range_past_4_gib";
    // qemu-user 7.2 keeps a 32-bit guest's mmap offset in 32 bits, so a mapping at 5 GiB
    // shows another part of the file (checked: the same test at offset 0 sees the pages).
    if common::under_qemu_user() && cfg!(target_pointer_width = "32") {
        common::skip(
            name,
            "qemu-user truncates a 32-bit guest's mmap offsets past 4 GiB",
        );
        return;
    }
    let file = common::scratch_file();
    // tmpfs (the real-kernel tier's only filesystem) keeps its pages, which are the file:
    // DONTNEED drops nothing there, so the range cannot be seen. What can: the kernel refuses
    // a negative length, so a length of 2^63 - 1 succeeds only if its words arrive in order
    // (swapped on 32-bit, they read as a negative length), and the data stays.
    if { fs::fstatfs(&file).unwrap().f_type } == 0x0102_1994 {
        libc_pwrite(&file, FIVE_GIB, b"kept");
        let len = NonZeroU64::new(i64::MAX as u64);
        assert_eq!(fs::fadvise(&file, FIVE_GIB, len, Advice::DontNeed), Ok(()));
        let len = NonZeroU64::new((1 << 32) - 1);
        assert_eq!(fs::fadvise(&file, 4096, len, Advice::DontNeed), Ok(()));
        assert_eq!(libc_pread(&file, FIVE_GIB, 4), b"kept");
        assert_eq!(
            cached_pages(&file, FIVE_GIB, 4096),
            [true],
            "tmpfs keeps its pages"
        );
        return;
    }
    // Two pages 1 MiB apart, so that no large folio holds both.
    let (a, b) = (FIVE_GIB, FIVE_GIB + (1 << 20));
    libc_pwrite(&file, a, &[b'a'; 4096]);
    libc_pwrite(&file, b, &[b'b'; 4096]);
    fs::fdatasync(&file).unwrap();
    let cached = |file: &std::fs::File| {
        [
            cached_pages(file, a, 4096)[0],
            cached_pages(file, b, 4096)[0],
        ]
    };
    assert_eq!(
        cached(&file),
        [true, true],
        "freshly written pages are cached"
    );
    // Drop the second page only. Swapped, the range would be 4096..b + 4096 (both pages); an
    // offset with its words swapped would drop neither.
    fs::fadvise(&file, b, NonZeroU64::new(4096), Advice::DontNeed).unwrap();
    assert_eq!(cached(&file), [true, false]);
    // To the end (None): the first page too.
    fs::fadvise(&file, a, None, Advice::DontNeed).unwrap();
    assert_eq!(cached(&file), [false, false]);
    assert_eq!(libc_pread(&file, b, 4), b"bbbb");
}

#[test]
fn fadvise_errors() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file();
    let normal = Advice::Normal;
    assert_eq!(fs::fadvise(&file, 1 << 63, None, normal), Err(Errno::INVAL));
    assert_eq!(
        fs::fadvise(&file, 0, NonZeroU64::new(1 << 63), normal),
        Err(Errno::INVAL)
    );
    assert_eq!(
        fs::fadvise(&file, u64::MAX, NonZeroU64::new(u64::MAX), normal),
        Err(Errno::INVAL)
    );
    assert_eq!(fs::fadvise(closed_fd(), 0, None, normal), Err(Errno::BADF));
    let (reader, _writer) = barecall::pipe::pipe().unwrap();
    assert_eq!(fs::fadvise(&reader, 0, None, normal), Err(Errno::SPIPE));
    let rc = unsafe { libc::posix_fadvise64(reader.as_raw_fd(), 0, 0, libc::POSIX_FADV_NORMAL) };
    assert_eq!(rc, libc::ESPIPE);
}

// ---- memfd_create and seals ----------------------------------------------------------------

#[test]
fn memfd_create_makes_a_memory_file() {
    let _check = common::FdCheck::new();
    let fd = fs::memfd_create("barecall-memfd", MemfdFlags::CLOEXEC).unwrap();
    common::assert_lowest_free(fd.as_raw_fd(), 0);
    assert_eq!(
        common::libc_fd_flags(fd.as_raw_fd()) & libc::FD_CLOEXEC,
        libc::FD_CLOEXEC
    );
    assert_eq!(io::write(&fd, b"in memory"), Ok(9));
    assert_eq!(libc_pread(&fd, 0, 64), b"in memory");
    let st = fs::fstat(&fd).unwrap();
    assert!(fs::FileType::from_raw_mode(st.st_mode).is_file());
    assert_eq!(st.st_size, 9);
    assert_eq!(fs::tell(&fd), Ok(9));
    // The name shows in /proc where there is one (the real-kernel tier mounts none, and
    // qemu-user's /proc/self/fd is its own).
    if !common::under_qemu_user() && std::path::Path::new("/proc/self/fd").exists() {
        let target = std::fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd())).unwrap();
        assert_eq!(
            target.as_os_str().as_bytes(),
            b"/memfd:barecall-memfd (deleted)"
        );
    }

    // Without CLOEXEC the fd is inherited.
    let inherited = fs::memfd_create(c"", MemfdFlags::empty()).unwrap();
    assert_eq!(
        common::libc_fd_flags(inherited.as_raw_fd()) & libc::FD_CLOEXEC,
        0
    );
    // Without ALLOW_SEALING, the file starts sealed against new seals.
    assert_eq!(fs::fcntl_get_seals(&inherited), Ok(SealFlags::SEAL));
    assert_eq!(
        fs::fcntl_add_seals(&inherited, SealFlags::WRITE),
        Err(Errno::PERM)
    );
}

#[test]
fn memfd_create_errors() {
    let _check = common::FdCheck::new();
    let flags = MemfdFlags::CLOEXEC;
    assert_eq!(fs::memfd_create("a\0b", flags).unwrap_err(), Errno::INVAL);
    assert_eq!(
        fs::memfd_create("a".repeat(4096).as_str(), flags).unwrap_err(),
        Errno::NAMETOOLONG
    );
    // The kernel's limit on names: 249 bytes.
    let longest = "n".repeat(249);
    drop(fs::memfd_create(longest.as_str(), flags).unwrap());
    assert_eq!(
        fs::memfd_create("n".repeat(250).as_str(), flags).unwrap_err(),
        Errno::INVAL
    );
    let unknown = MemfdFlags::from_bits_retain(0x100);
    assert_eq!(fs::memfd_create("x", unknown).unwrap_err(), Errno::INVAL);
    let name = CString::new("x").unwrap();
    let libc_fd = unsafe { libc::memfd_create(name.as_ptr(), 0x100) };
    assert_eq!(libc_fd, -1, "libc agrees");
}

#[test]
fn seals_forbid_what_they_name() {
    let _check = common::FdCheck::new();
    let fd = fs::memfd_create(
        "barecall-seals",
        MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING,
    )
    .unwrap();
    assert_eq!(fs::fcntl_get_seals(&fd), Ok(SealFlags::empty()));
    io::write(&fd, b"0123456789").unwrap();

    fs::fcntl_add_seals(&fd, SealFlags::WRITE).unwrap();
    assert_eq!(fs::fcntl_get_seals(&fd), Ok(SealFlags::WRITE));
    let libc_seals = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GET_SEALS) };
    assert_eq!(libc_seals as u32, SealFlags::WRITE.bits());
    assert_eq!(io::write(&fd, b"more"), Err(Errno::PERM));
    assert_eq!(io::pwrite(&fd, b"x", 0), Err(Errno::PERM));
    // WRITE alone still lets the size change.
    fs::ftruncate(&fd, 20).unwrap();

    fs::fcntl_add_seals(&fd, SealFlags::SHRINK | SealFlags::GROW).unwrap();
    assert_eq!(fs::ftruncate(&fd, 5), Err(Errno::PERM));
    assert_eq!(fs::ftruncate(&fd, 30), Err(Errno::PERM));
    assert_eq!(libc_size(&fd), 20);
    assert_eq!(
        fs::fallocate(&fd, FallocateFlags::empty(), 0, 4096),
        Err(Errno::PERM)
    );
    // Seals add up, and SEAL ends the adding.
    fs::fcntl_add_seals(&fd, SealFlags::SEAL).unwrap();
    assert_eq!(
        fs::fcntl_get_seals(&fd),
        Ok(SealFlags::WRITE | SealFlags::SHRINK | SealFlags::GROW | SealFlags::SEAL)
    );
    assert_eq!(
        fs::fcntl_add_seals(&fd, SealFlags::FUTURE_WRITE),
        Err(Errno::PERM)
    );
    assert_eq!(libc_pread(&fd, 0, 10), b"0123456789");
}

#[test]
fn seals_errors() {
    let _check = common::FdCheck::new();
    assert_eq!(fs::fcntl_get_seals(closed_fd()), Err(Errno::BADF));
    assert_eq!(
        fs::fcntl_add_seals(closed_fd(), SealFlags::WRITE),
        Err(Errno::BADF)
    );
    // Not a shmem file: a pipe has no seals. Adding needs an fd open for writing first.
    let (reader, writer) = barecall::pipe::pipe().unwrap();
    assert_eq!(fs::fcntl_get_seals(&reader), Err(Errno::INVAL));
    assert_eq!(
        fs::fcntl_add_seals(&writer, SealFlags::WRITE),
        Err(Errno::INVAL)
    );
    assert_eq!(
        fs::fcntl_add_seals(&reader, SealFlags::WRITE),
        Err(Errno::PERM)
    );
    // A seal bit the kernel does not know.
    let fd = fs::memfd_create(
        "barecall-seals",
        MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING,
    )
    .unwrap();
    let unknown = SealFlags::from_bits_retain(0x1000);
    assert_eq!(fs::fcntl_add_seals(&fd, unknown), Err(Errno::INVAL));
    assert_eq!(fs::fcntl_get_seals(&fd), Ok(SealFlags::empty()));
    // A read-only fd cannot add seals.
    let dup_path = format!("/proc/self/fd/{}", fd.as_raw_fd());
    if !common::under_qemu_user() && std::path::Path::new(&dup_path).exists() {
        let read_only = fs::open(&dup_path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty());
        let read_only = read_only.unwrap();
        assert_eq!(
            fs::fcntl_add_seals(&read_only, SealFlags::WRITE),
            Err(Errno::PERM)
        );
    }
}

// ---- copy_file_range -------------------------------------------------------------------------

#[test]
fn copy_file_range_with_and_without_offsets() {
    let _check = common::FdCheck::new();
    let src = common::scratch_file_with(b"hello world");
    let dst = common::scratch_file();
    let (mut off_in, mut off_out) = (6u64, 2u64);
    let copied = fs::copy_file_range(&src, Some(&mut off_in), &dst, Some(&mut off_out), 100);
    assert_eq!(copied, Ok(5));
    assert_eq!((off_in, off_out), (11, 7));
    assert_eq!(libc_pread(&dst, 0, 64), b"\0\0world");
    // Given offsets leave the file offsets alone.
    assert_eq!((fs::tell(&src), fs::tell(&dst)), (Ok(0), Ok(0)));
    // At the end of the input: 0.
    assert_eq!(
        fs::copy_file_range(&src, Some(&mut off_in), &dst, None, 100),
        Ok(0)
    );
    assert_eq!(off_in, 11);

    // Without offsets: the file offsets, advanced.
    fs::seek(&dst, SeekFrom::Start(7)).unwrap();
    assert_eq!(fs::copy_file_range(&src, None, &dst, None, 5), Ok(5));
    assert_eq!((fs::tell(&src), fs::tell(&dst)), (Ok(5), Ok(12)));
    assert_eq!(libc_pread(&dst, 0, 64), b"\0\0worldhello");
    let mut off_out = 0u64;
    assert_eq!(
        fs::copy_file_range(&src, None, &dst, Some(&mut off_out), 3),
        Ok(3)
    );
    assert_eq!((fs::tell(&src), off_out), (Ok(8), 3));
    assert_eq!(libc_pread(&dst, 0, 3), b" wo");
}

#[test]
fn copy_file_range_past_4_gib() {
    let _check = common::FdCheck::new();
    let src = common::scratch_file();
    let dst = common::scratch_file();
    libc_pwrite(&src, FIVE_GIB, b"far away");
    let (mut off_in, mut off_out) = (FIVE_GIB + 4, FOUR_GIB + 3);
    let copied = fs::copy_file_range(&src, Some(&mut off_in), &dst, Some(&mut off_out), 64);
    assert_eq!(copied, Ok(4));
    assert_eq!((off_in, off_out), (FIVE_GIB + 8, FOUR_GIB + 7));
    assert_eq!(libc_pread(&dst, FOUR_GIB + 3, 64), b"away");
    assert_eq!(libc_size(&dst), FOUR_GIB + 7);
}

#[test]
fn copy_file_range_errors() {
    let _check = common::FdCheck::new();
    let src = common::scratch_file_with(b"data");
    let dst = common::scratch_file();
    let mut huge = 1u64 << 63;
    assert_eq!(
        fs::copy_file_range(&src, Some(&mut huge), &dst, None, 1),
        Err(Errno::INVAL)
    );
    assert_eq!(
        fs::copy_file_range(&src, None, &dst, Some(&mut huge), 1),
        Err(Errno::INVAL)
    );
    assert_eq!(huge, 1 << 63, "untouched");
    assert_eq!(
        fs::copy_file_range(closed_fd(), None, &dst, None, 1),
        Err(Errno::BADF)
    );
    assert_eq!(
        fs::copy_file_range(&src, None, closed_fd(), None, 1),
        Err(Errno::BADF)
    );
    // Pipes are not regular files; directories are refused too.
    let (reader, writer) = barecall::pipe::pipe().unwrap();
    assert_eq!(
        fs::copy_file_range(&src, None, &writer, None, 1),
        Err(Errno::INVAL)
    );
    io::write(&writer, b"p").unwrap();
    assert_eq!(
        fs::copy_file_range(&reader, None, &dst, None, 1),
        Err(Errno::INVAL)
    );
    assert_eq!(
        fs::copy_file_range(dir_fd(), None, &dst, None, 1),
        Err(Errno::ISDIR)
    );
    // The output must be open for writing, and not for appending.
    let tmp = TempPath::new(b"");
    assert_eq!(
        fs::copy_file_range(&src, None, tmp.open(OFlags::RDONLY), None, 1),
        Err(Errno::BADF)
    );
    assert_eq!(
        fs::copy_file_range(
            &src,
            None,
            tmp.open(OFlags::WRONLY | OFlags::APPEND),
            None,
            1
        ),
        Err(Errno::BADF)
    );
    // Overlapping ranges of one file.
    let (mut a, mut b) = (0u64, 1u64);
    assert_eq!(
        fs::copy_file_range(&src, Some(&mut a), &src, Some(&mut b), 2),
        Err(Errno::INVAL)
    );
    assert_eq!(libc_pread(&src, 0, 64), b"data");
}

// ---- tell ------------------------------------------------------------------------------------

#[test]
fn tell_follows_the_file_offset() {
    let _check = common::FdCheck::new();
    let file = common::scratch_file();
    assert_eq!(fs::tell(&file), Ok(0));
    io::write(&file, b"12345").unwrap();
    assert_eq!(fs::tell(&file), Ok(5));
    fs::seek(&file, SeekFrom::Start(FIVE_GIB + 3)).unwrap();
    assert_eq!(fs::tell(&file), Ok(FIVE_GIB + 3));
    let libc_offset = unsafe { libc::lseek64(file.as_raw_fd(), 0, libc::SEEK_CUR) };
    assert_eq!(libc_offset as u64, FIVE_GIB + 3);
    assert_eq!(fs::tell(closed_fd()), Err(Errno::BADF));
    let (reader, _writer) = barecall::pipe::pipe().unwrap();
    assert_eq!(fs::tell(&reader), Err(Errno::SPIPE));
}
