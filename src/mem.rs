//! `memcpy`, `memmove`, `memset`, `memcmp` and `bcmp`, word at a time, and `strlen`.
//!
//! The compiler calls these symbols for copies, fills and comparisons; libc (or, on `*-none`
//! targets, `compiler_builtins`) normally provides them. A freestanding `*-linux-gnu` binary has
//! neither, so feature `mem` exports these under the C names. They are always available as Rust
//! functions for testing and for runtimes that want to wire them up themselves.
//!
//! The compiler would recognise a plain copy or fill loop and replace it with a call to
//! `memcpy` or `memset`, that is, to itself. `#![no_builtins]` would stop that but also keeps a
//! crate out of LTO (and so pulls `core` out of reach of a fat-LTO binary's link), so instead
//! every store here is volatile: still one word per store, never a recognisable idiom.

use core::mem::size_of;
use core::ptr::{self, read_volatile, write_volatile};

type Word = usize;
const WORD: usize = size_of::<Word>();

/// Below this length the byte loop wins: aligning costs more than it saves.
const WORD_THRESHOLD: usize = 2 * WORD;

/// Copies `n` bytes from `src` to `dst`, front to back.
///
/// # Safety
///
/// `src` is valid for reads and `dst` for writes of `n` bytes; if they overlap, `dst` must not
/// be after `src` (front-to-back order then reads every byte before overwriting it).
unsafe fn copy_forward(mut dst: *mut u8, mut src: *const u8, mut n: usize) {
    // SAFETY: every access stays within the `n` bytes the caller vouches for, and word
    // stores go to `dst` only once it is word aligned; source words are read unaligned.
    unsafe {
        if n >= WORD_THRESHOLD {
            while dst as usize % WORD != 0 {
                write_volatile(dst, *src);
                dst = dst.add(1);
                src = src.add(1);
                n -= 1;
            }
            while n >= WORD {
                let word = ptr::read_unaligned(src.cast::<Word>());
                write_volatile(dst.cast::<Word>(), word);
                dst = dst.add(WORD);
                src = src.add(WORD);
                n -= WORD;
            }
        }
        while n > 0 {
            write_volatile(dst, *src);
            dst = dst.add(1);
            src = src.add(1);
            n -= 1;
        }
    }
}

/// Copies `n` bytes from `src` to `dst`, back to front.
///
/// # Safety
///
/// As [`copy_forward`], with `dst` not before `src` when they overlap.
unsafe fn copy_backward(dst: *mut u8, src: *const u8, mut n: usize) {
    // SAFETY: as in `copy_forward`, walking down from the ends.
    unsafe {
        let mut dst_end = dst.add(n);
        let mut src_end = src.add(n);
        if n >= WORD_THRESHOLD {
            while dst_end as usize % WORD != 0 {
                dst_end = dst_end.sub(1);
                src_end = src_end.sub(1);
                write_volatile(dst_end, *src_end);
                n -= 1;
            }
            while n >= WORD {
                dst_end = dst_end.sub(WORD);
                src_end = src_end.sub(WORD);
                let word = ptr::read_unaligned(src_end.cast::<Word>());
                write_volatile(dst_end.cast::<Word>(), word);
                n -= WORD;
            }
        }
        while n > 0 {
            dst_end = dst_end.sub(1);
            src_end = src_end.sub(1);
            write_volatile(dst_end, *src_end);
            n -= 1;
        }
    }
}

/// `memcpy(3)`: copies `n` bytes from `src` to `dst`; returns `dst`.
///
/// # Safety
///
/// `src` valid for reads and `dst` for writes of `n` bytes, not overlapping.
pub unsafe fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: forwarded; non-overlapping regions satisfy either copy order.
    unsafe { copy_forward(dst, src, n) };
    dst
}

/// `memmove(3)`: copies `n` bytes from `src` to `dst`, which may overlap; returns `dst`.
///
/// # Safety
///
/// `src` valid for reads and `dst` for writes of `n` bytes.
pub unsafe fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: forwarded; the order is chosen so no byte is overwritten before it is read:
    // forward when `dst` is before `src` or past the end of it, backward otherwise.
    unsafe {
        if (dst as usize).wrapping_sub(src as usize) >= n {
            copy_forward(dst, src, n);
        } else {
            copy_backward(dst, src, n);
        }
    }
    dst
}

/// `memset(3)`: sets `n` bytes at `dst` to `byte`; returns `dst`.
///
/// # Safety
///
/// `dst` valid for writes of `n` bytes.
pub unsafe fn memset(dst: *mut u8, byte: u8, n: usize) -> *mut u8 {
    let (mut p, mut left) = (dst, n);
    // SAFETY: every store is within the `n` bytes at `dst`; word stores are aligned.
    unsafe {
        if left >= WORD_THRESHOLD {
            while p as usize % WORD != 0 {
                write_volatile(p, byte);
                p = p.add(1);
                left -= 1;
            }
            let word = Word::from_ne_bytes([byte; WORD]);
            while left >= WORD {
                write_volatile(p.cast::<Word>(), word);
                p = p.add(WORD);
                left -= WORD;
            }
        }
        while left > 0 {
            write_volatile(p, byte);
            p = p.add(1);
            left -= 1;
        }
    }
    dst
}

/// `memcmp(3)`: compares `n` bytes as unsigned; negative, zero or positive.
///
/// # Safety
///
/// `a` and `b` valid for reads of `n` bytes.
pub unsafe fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    // SAFETY: every read is within the `n` bytes of each side; words are read unaligned.
    unsafe {
        // Skip equal words; the first differing byte is then found bytewise.
        while i + WORD <= n
            && ptr::read_unaligned(a.add(i).cast::<Word>())
                == ptr::read_unaligned(b.add(i).cast::<Word>())
        {
            i += WORD;
        }
        while i < n {
            let (x, y) = (read_volatile(a.add(i)), read_volatile(b.add(i)));
            if x != y {
                return i32::from(x) - i32::from(y);
            }
            i += 1;
        }
    }
    0
}

/// `bcmp(3)`: zero if the `n` bytes are equal, non-zero otherwise.
///
/// # Safety
///
/// `a` and `b` valid for reads of `n` bytes.
pub unsafe fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: forwarded.
    unsafe { memcmp(a, b, n) }
}

/// `strlen(3)`: the length of a NUL-terminated string (`CStr::from_ptr` calls it).
///
/// # Safety
///
/// `s` points to a NUL-terminated string.
pub unsafe fn strlen(s: *const u8) -> usize {
    let mut n = 0;
    // SAFETY: the string is NUL-terminated, so every byte read up to the NUL is inside it. The
    // volatile read keeps the loop from being recognised as a call to `strlen` itself.
    while unsafe { read_volatile(s.add(n)) } != 0 {
        n += 1;
    }
    n
}

/// The C symbols, for binaries that have no libc.
#[cfg(feature = "mem")]
mod exports {
    use core::ffi::c_int;

    /// `memcpy(3)`.
    ///
    /// # Safety
    ///
    /// As [`super::memcpy`].
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        // SAFETY: the caller's contract is the C one, which is the callee's.
        unsafe { super::memcpy(dst, src, n) }
    }

    /// `memmove(3)`.
    ///
    /// # Safety
    ///
    /// As [`super::memmove`].
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        // SAFETY: the caller's contract is the C one, which is the callee's.
        unsafe { super::memmove(dst, src, n) }
    }

    /// `memset(3)`: the byte is the low 8 bits of `c`, as C says.
    ///
    /// # Safety
    ///
    /// As [`super::memset`].
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memset(dst: *mut u8, c: c_int, n: usize) -> *mut u8 {
        // SAFETY: the caller's contract is the C one, which is the callee's.
        unsafe { super::memset(dst, c as u8, n) }
    }

    /// `memcmp(3)`.
    ///
    /// # Safety
    ///
    /// As [`super::memcmp`].
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> c_int {
        // SAFETY: the caller's contract is the C one, which is the callee's.
        unsafe { super::memcmp(a, b, n) }
    }

    /// `bcmp(3)`.
    ///
    /// # Safety
    ///
    /// As [`super::bcmp`].
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> c_int {
        // SAFETY: the caller's contract is the C one, which is the callee's.
        unsafe { super::bcmp(a, b, n) }
    }

    /// `strlen(3)`.
    ///
    /// # Safety
    ///
    /// As [`super::strlen`].
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn strlen(s: *const u8) -> usize {
        // SAFETY: the caller's contract is the C one, which is the callee's.
        unsafe { super::strlen(s) }
    }
}

#[cfg(test)]
mod tests {
    //! Every alignment of source and destination within two words, every length up to 256,
    //! against byte-by-byte reference versions.
    use super::*;

    /// Under Miri, which runs some thousand times slower, lengths up to five words and offsets
    /// within one word still take every path (bytes only, an unaligned head, whole words, a
    /// tail) at every alignment.
    const MAX_LEN: usize = if cfg!(miri) { 5 * WORD } else { 256 };
    const OFFSETS: usize = if cfg!(miri) { WORD } else { 2 * WORD };
    const SIZE: usize = MAX_LEN + 2 * OFFSETS;

    fn pattern(seed: usize) -> [u8; SIZE] {
        core::array::from_fn(|i| (i * 7 + seed * 13 + 1) as u8)
    }

    #[test]
    fn memcpy_and_memset_match_the_reference() {
        let src = pattern(1);
        for s in 0..OFFSETS {
            for d in 0..OFFSETS {
                for n in 0..=MAX_LEN {
                    let mut dst = pattern(2);
                    let mut expected = dst;
                    expected[d..d + n].copy_from_slice(&src[s..s + n]);
                    // SAFETY: both ranges are inside their arrays, which do not overlap.
                    let ret = unsafe { memcpy(dst.as_mut_ptr().add(d), src.as_ptr().add(s), n) };
                    assert_eq!(ret, dst.as_mut_ptr().wrapping_add(d));
                    assert_eq!(dst, expected, "memcpy src+{s} dst+{d} len {n}");
                }
            }
        }
        for d in 0..OFFSETS {
            for n in 0..=MAX_LEN {
                let mut dst = pattern(3);
                let mut expected = dst;
                expected[d..d + n].fill(0xA5);
                // SAFETY: the range is inside `dst`.
                unsafe { memset(dst.as_mut_ptr().add(d), 0xA5, n) };
                assert_eq!(dst, expected, "memset dst+{d} len {n}");
            }
        }
    }

    #[test]
    fn memmove_matches_the_reference_in_both_overlap_directions() {
        for s in 0..OFFSETS {
            for d in 0..OFFSETS {
                for n in 0..=MAX_LEN {
                    let mut buf = pattern(4);
                    let mut expected = buf;
                    expected.copy_within(s..s + n, d);
                    // SAFETY: both ranges are inside `buf`; memmove allows the overlap.
                    unsafe { memmove(buf.as_mut_ptr().add(d), buf.as_ptr().add(s), n) };
                    assert_eq!(buf, expected, "memmove src+{s} dst+{d} len {n}");
                }
            }
        }
    }

    #[test]
    fn strlen_finds_the_first_nul() {
        let mut buf = [b'x'; MAX_LEN + 1];
        for n in 0..=MAX_LEN {
            buf[n] = 0;
            // SAFETY: `buf` holds a NUL at `n`.
            assert_eq!(unsafe { strlen(buf.as_ptr()) }, n);
            buf[n] = b'x';
        }
    }

    /// The reference: the sign of the first differing byte's difference, as unsigned bytes.
    fn reference_memcmp(a: &[u8], b: &[u8]) -> i32 {
        a.iter()
            .zip(b)
            .find(|(x, y)| x != y)
            .map_or(0, |(&x, &y)| i32::from(x) - i32::from(y))
    }

    /// Every length, independent alignments of the two operands, and differences in one, two
    /// and more bytes where the first differing byte decides: a comparison of little-endian
    /// words as numbers gets `[1, 0]` against `[0, 1]` wrong, as does one that lets a later
    /// byte decide. The first difference is tried at every place within the first word and a
    /// half, at every pair of alignments (a compare stops there, so this is cheap), and at the
    /// middle and the end, and equal operands compared whole, at one alignment of the first
    /// and every alignment of the second (these cost the whole length; emulated CPUs run this
    /// too).
    #[test]
    fn memcmp_and_bcmp_match_the_reference() {
        let base = pattern(5);
        for n in 0..=MAX_LEN {
            for sa in 0..OFFSETS {
                // Under Miri two alignments of the second operand (equal and off by one) still
                // make the words unaligned against each other.
                for sb in 0..if cfg!(miri) { 2 } else { WORD } {
                    let whole = sa == 0;
                    let near = 0..n.min(WORD + WORD / 2);
                    let far = [n / 2, n.saturating_sub(1)].into_iter().filter(|_| whole);
                    let a = &base[sa..sa + n];
                    let mut b_buf = [0u8; SIZE];
                    b_buf[sb..sb + n].copy_from_slice(a);
                    if whole {
                        check_memcmp(a, &b_buf[sb..sb + n]);
                    }
                    for at in near.chain(far).filter(|&at| at < n) {
                        // The first difference at `at`, one way and the other, with later bytes
                        // (the next one, and one a word further on) differing the opposite way.
                        for (first, later) in [(1u8, 0xFFu8), (0xFFu8, 1u8)] {
                            let b = &mut b_buf[sb..sb + n];
                            b[at] = a[at].wrapping_add(first);
                            for later_at in [at + 1, at + WORD] {
                                if let Some(byte) = b.get_mut(later_at) {
                                    *byte = a[later_at].wrapping_add(later);
                                }
                            }
                            check_memcmp(a, b);
                            for changed in [at, at + 1, at + WORD] {
                                if let Some(byte) = b.get_mut(changed) {
                                    *byte = a[changed];
                                }
                            }
                        }
                    }
                }
            }
        }
        // The case a word-as-number comparison gets wrong on a little-endian machine.
        let (x, y) = ([1u8, 0, 0, 0, 0, 0, 0, 0], [0u8, 1, 0, 0, 0, 0, 0, 0]);
        check_memcmp(&x, &y);
        check_memcmp(&y, &x);
    }

    /// `memcmp` has the reference's sign, `bcmp` says whether the bytes differ.
    fn check_memcmp(a: &[u8], b: &[u8]) {
        let n = a.len();
        let expected = reference_memcmp(a, b);
        // SAFETY: both slices hold `n` bytes.
        let (got, got_b) = unsafe {
            (
                memcmp(a.as_ptr(), b.as_ptr(), n),
                bcmp(a.as_ptr(), b.as_ptr(), n),
            )
        };
        assert_eq!(got.signum(), expected.signum(), "memcmp {a:?} {b:?}");
        assert_eq!(got_b != 0, expected != 0, "bcmp {a:?} {b:?}");
    }
}
