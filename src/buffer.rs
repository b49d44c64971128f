//! The [`Buffer`] trait: what [`read`](crate::io::read) and [`pread`](crate::io::pread) read
//! bytes into (`T` = `u8`), and what `event::epoll::wait` (feature `event`) reads events into
//! (`T` = `epoll::Event`).
//!
//! | buffer | `Output` |
//! |---|---|
//! | `&mut [T]`, `&mut [T; N]` | `usize`, the count read |
//! | `&mut [MaybeUninit<T>]`, `&mut [MaybeUninit<T>; N]` | `(&mut [T], &mut [MaybeUninit<T>])`, the filled part and the rest |
//! | `&mut Vec<T>` (feature `alloc`) | `usize`; reads into the `len()` elements already there, as `&mut vec[..]` would |
//! | `&mut Vec<MaybeUninit<T>>` (feature `alloc`) | as `&mut [MaybeUninit<T>]` over its `len()` elements |
//! | `spare_capacity(&mut vec)` (feature `alloc`) | `usize`; the elements are appended to `vec` |
//!
//! The forms are generic over `T`, as rustix's are; only this crate's functions take a
//! `Buffer`, and each names its `T`.

use core::mem::MaybeUninit;

/// A buffer the kernel can fill, and what a read into it returns.
///
/// Sealed: it is implemented for the types in the [module docs](self) and no others.
pub trait Buffer<T>: private::Sealed<T> {}

pub(crate) mod private {
    /// The mechanics of [`Buffer`](super::Buffer), kept out of the public API.
    pub trait Sealed<T> {
        /// What a read into this buffer returns.
        type Output;

        /// Whether `parts_mut` may hold uninitialized memory (a receive that counts bytes it
        /// did not write must initialize them first).
        const MAY_BE_UNINIT: bool;

        /// The memory the kernel may write: start and length in elements.
        fn parts_mut(&mut self) -> (*mut T, usize);

        /// Turns the buffer into its output once the first `len` elements are written.
        ///
        /// # Safety
        ///
        /// The first `len` elements of `parts_mut` have been initialized, and `len` is at most
        /// its length.
        unsafe fn assume_init(self, len: usize) -> Self::Output;
    }
}

impl<T> Buffer<T> for &mut [T] {}

impl<T> private::Sealed<T> for &mut [T] {
    type Output = usize;
    const MAY_BE_UNINIT: bool = false;

    #[inline]
    fn parts_mut(&mut self) -> (*mut T, usize) {
        (self.as_mut_ptr(), self.len())
    }

    #[inline]
    unsafe fn assume_init(self, len: usize) -> usize {
        len
    }
}

impl<T, const N: usize> Buffer<T> for &mut [T; N] {}

impl<T, const N: usize> private::Sealed<T> for &mut [T; N] {
    type Output = usize;
    const MAY_BE_UNINIT: bool = false;

    #[inline]
    fn parts_mut(&mut self) -> (*mut T, usize) {
        (self.as_mut_ptr(), N)
    }

    #[inline]
    unsafe fn assume_init(self, len: usize) -> usize {
        len
    }
}

impl<T> Buffer<T> for &mut [MaybeUninit<T>] {}

impl<'a, T> private::Sealed<T> for &'a mut [MaybeUninit<T>] {
    type Output = (&'a mut [T], &'a mut [MaybeUninit<T>]);
    const MAY_BE_UNINIT: bool = true;

    #[inline]
    fn parts_mut(&mut self) -> (*mut T, usize) {
        (self.as_mut_ptr().cast(), self.len())
    }

    #[inline]
    unsafe fn assume_init(self, len: usize) -> Self::Output {
        let (filled, rest) = self.split_at_mut(len);
        // SAFETY: the caller guarantees the first `len` elements are initialized, and
        // `MaybeUninit<T>` has the layout of `T`.
        let filled = unsafe { &mut *(filled as *mut [MaybeUninit<T>] as *mut [T]) };
        (filled, rest)
    }
}

impl<T, const N: usize> Buffer<T> for &mut [MaybeUninit<T>; N] {}

impl<'a, T, const N: usize> private::Sealed<T> for &'a mut [MaybeUninit<T>; N] {
    type Output = (&'a mut [T], &'a mut [MaybeUninit<T>]);
    const MAY_BE_UNINIT: bool = true;

    #[inline]
    fn parts_mut(&mut self) -> (*mut T, usize) {
        (self.as_mut_ptr().cast(), N)
    }

    #[inline]
    unsafe fn assume_init(self, len: usize) -> Self::Output {
        let slice: &'a mut [MaybeUninit<T>] = self;
        // SAFETY: forwarded; the slice is the same memory.
        unsafe { private::Sealed::<T>::assume_init(slice, len) }
    }
}

// `&mut Vec<_>` does not deref to a slice where a generic `impl Buffer<T>` is expected, so
// these spare callers the `&mut vec[..]`, as rustix does; each reads as its slice would.
#[cfg(feature = "alloc")]
impl<T> Buffer<T> for &mut alloc::vec::Vec<T> {}

#[cfg(feature = "alloc")]
impl<T> private::Sealed<T> for &mut alloc::vec::Vec<T> {
    type Output = usize;
    const MAY_BE_UNINIT: bool = false;

    #[inline]
    fn parts_mut(&mut self) -> (*mut T, usize) {
        (self.as_mut_ptr(), self.len())
    }

    #[inline]
    unsafe fn assume_init(self, len: usize) -> usize {
        len
    }
}

#[cfg(feature = "alloc")]
impl<T> Buffer<T> for &mut alloc::vec::Vec<MaybeUninit<T>> {}

#[cfg(feature = "alloc")]
impl<'a, T> private::Sealed<T> for &'a mut alloc::vec::Vec<MaybeUninit<T>> {
    type Output = (&'a mut [T], &'a mut [MaybeUninit<T>]);
    const MAY_BE_UNINIT: bool = true;

    #[inline]
    fn parts_mut(&mut self) -> (*mut T, usize) {
        (self.as_mut_ptr().cast(), self.len())
    }

    #[inline]
    unsafe fn assume_init(self, len: usize) -> Self::Output {
        let slice: &'a mut [MaybeUninit<T>] = self;
        // SAFETY: forwarded; `parts_mut` described the same memory as the slice's.
        unsafe { private::Sealed::<T>::assume_init(slice, len) }
    }
}

/// The spare capacity of a `Vec`, as a [`Buffer`]: what is read is appended.
///
/// Made by [`spare_capacity`].
#[cfg(feature = "alloc")]
pub struct SpareCapacity<'a, T>(&'a mut alloc::vec::Vec<T>);

/// Reads into `v`'s spare capacity (`capacity() - len()` elements) and appends what was read.
///
/// Nothing is allocated: with no spare capacity the read asks the kernel for 0 elements and
/// returns 0 (a call that refuses an empty buffer, as `epoll::wait` does, fails with the
/// kernel's `Errno::INVAL`). Reserve first (`Vec::with_capacity`, `reserve`) to say how much to
/// read.
///
/// ```
/// # fn main() -> barecall::io::Result<()> {
/// let (reader, writer) = barecall::pipe::pipe()?;
/// barecall::io::write(&writer, b"hello")?;
/// let mut buf = Vec::with_capacity(64);
/// let n = barecall::io::read(&reader, barecall::buffer::spare_capacity(&mut buf))?;
/// assert_eq!((n, &buf[..]), (5, &b"hello"[..]));
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "alloc")]
#[inline]
pub fn spare_capacity<T>(v: &mut alloc::vec::Vec<T>) -> SpareCapacity<'_, T> {
    SpareCapacity(v)
}

#[cfg(feature = "alloc")]
impl<T> Buffer<T> for SpareCapacity<'_, T> {}

#[cfg(feature = "alloc")]
impl<T> private::Sealed<T> for SpareCapacity<'_, T> {
    type Output = usize;
    const MAY_BE_UNINIT: bool = true;

    #[inline]
    fn parts_mut(&mut self) -> (*mut T, usize) {
        let spare = self.0.spare_capacity_mut();
        (spare.as_mut_ptr().cast(), spare.len())
    }

    #[inline]
    unsafe fn assume_init(self, len: usize) -> usize {
        // SAFETY: the caller guarantees `len` elements of the spare capacity are initialized,
        // and `len` is at most the spare capacity, so the new length is within the allocation.
        unsafe { self.0.set_len(self.0.len() + len) };
        len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::MaybeUninit;

    // The tests below make no system call, so that Miri can run them (`cargo xtask miri`):
    // Miri checks the unsafe code they reach for undefined behaviour.

    /// What `io::read` does with a `Buffer`, minus the kernel: copies up to `parts_mut`'s
    /// length of `data` to its start, then calls `assume_init` with the count.
    fn fake_read<B: Buffer<u8>>(mut buf: B, data: &[u8]) -> B::Output {
        let (ptr, len) = buf.parts_mut();
        let n = len.min(data.len());
        // SAFETY: `parts_mut` is writable for `len` bytes and `n <= len`; `data` is a separate
        // borrow, so the two do not overlap; after the copy the first `n` bytes are initialized.
        unsafe {
            core::ptr::copy_nonoverlapping(data.as_ptr(), ptr, n);
            buf.assume_init(n)
        }
    }

    #[test]
    fn buffer_forms_take_what_a_read_gives() {
        let mut slice = [0xAAu8; 8];
        assert_eq!(fake_read(&mut slice[..], b"abc"), 3);
        assert_eq!(&slice, b"abc\xAA\xAA\xAA\xAA\xAA");
        assert_eq!(fake_read(&mut slice[..], b"0123456789"), 8);
        assert_eq!(&slice, b"01234567");
        assert_eq!(fake_read(&mut slice[..0], b"abc"), 0);

        let mut array = [0u8; 4];
        assert_eq!(fake_read(&mut array, b"xy"), 2);
        assert_eq!(array, *b"xy\0\0");
        assert_eq!(fake_read(&mut array, b"123456"), 4);
        assert_eq!(array, *b"1234");

        // Uninitialized storage: the filled part and the rest, in order, without overlap.
        let mut storage = [MaybeUninit::<u8>::uninit(); 8];
        let (filled, rest) = fake_read(&mut storage[..], b"xyz");
        assert_eq!(filled, b"xyz");
        assert_eq!(rest.len(), 5);
        filled[0] = b'X';
        rest[0].write(b'!');
        assert_eq!(filled.as_ptr_range().end, rest.as_ptr().cast::<u8>());
        // SAFETY: bytes 0..4 were written above (the read, then `rest[0]`).
        let first: [u8; 4] = core::array::from_fn(|i| unsafe { storage[i].assume_init() });
        assert_eq!(&first, b"Xyz!");

        let mut storage = [MaybeUninit::<u8>::uninit(); 3];
        let (filled, rest) = fake_read(&mut storage, b"abcdef");
        assert_eq!((&*filled, rest.len()), (&b"abc"[..], 0));
        let (filled, rest) = fake_read(&mut storage, b"");
        assert_eq!((filled.len(), rest.len()), (0, 3));
    }

    /// `fake_read` for any element type: what `epoll::wait` does with a `Buffer<Event>`.
    fn fake_fill<T: Copy, B: Buffer<T>>(mut buf: B, data: &[T]) -> B::Output {
        let (ptr, len) = buf.parts_mut();
        let n = len.min(data.len());
        // SAFETY: as in `fake_read`, counting elements instead of bytes.
        unsafe {
            core::ptr::copy_nonoverlapping(data.as_ptr(), ptr, n);
            buf.assume_init(n)
        }
    }

    #[test]
    fn buffer_forms_hold_any_element_type() {
        let mut slice = [0u64; 3];
        assert_eq!(fake_fill(&mut slice[..], &[7, 8]), 2);
        assert_eq!(slice, [7, 8, 0]);
        assert_eq!(fake_fill(&mut slice, &[1, 2, 3, 4]), 3);
        assert_eq!(slice, [1, 2, 3]);
        let mut storage = [MaybeUninit::<u64>::uninit(); 4];
        let (filled, rest) = fake_fill(&mut storage, &[u64::MAX, 5]);
        assert_eq!((&*filled, rest.len()), (&[u64::MAX, 5][..], 2));
        let (filled, rest) = fake_fill(&mut storage[..], &[1, 2, 3, 4, 5]);
        assert_eq!((&*filled, rest.len()), (&[1, 2, 3, 4][..], 0));
        #[cfg(feature = "alloc")]
        {
            let mut vec: std::vec::Vec<u64> = std::vec::Vec::with_capacity(3);
            vec.push(9);
            let capacity = vec.capacity();
            let n = fake_fill(super::spare_capacity(&mut vec), &[10, 11, 12, 13, 14, 15]);
            assert_eq!(n, capacity - 1);
            assert_eq!(vec[..3], [9, 10, 11]);
            let mut vec = std::vec![0u64; 2];
            assert_eq!(fake_fill(&mut vec, &[4, 5, 6]), 2);
            assert_eq!(vec, [4, 5]);
        }
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn buffer_spare_capacity_appends_without_allocating() {
        use super::spare_capacity;
        let mut vec = std::vec::Vec::with_capacity(8);
        vec.push(b'>');
        let capacity = vec.capacity();
        let n = fake_read(spare_capacity(&mut vec), b"abcdefghijklmnop");
        assert_eq!(n, capacity - 1);
        assert_eq!(vec.len(), capacity);
        assert_eq!(&vec[..], &b">abcdefghijklmnop"[..capacity]);
        assert_eq!(vec.capacity(), capacity);
        // Full, or never allocated: nothing to read into.
        assert_eq!(fake_read(spare_capacity(&mut vec), b"more"), 0);
        let mut empty: std::vec::Vec<u8> = std::vec::Vec::new();
        assert_eq!(fake_read(spare_capacity(&mut empty), b"more"), 0);
        assert!(empty.is_empty());
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn buffer_vec_forms_read_into_their_length() {
        let mut vec = std::vec![0xAAu8; 4];
        vec.reserve(16);
        assert_eq!(fake_read(&mut vec, b"abcdefgh"), 4);
        assert_eq!(
            &vec[..],
            b"abcd",
            "the length bounds the read, not the capacity"
        );

        let mut uninit = std::vec![MaybeUninit::<u8>::uninit(); 5];
        let (filled, rest) = fake_read(&mut uninit, b"xy");
        assert_eq!((&*filled, rest.len()), (&b"xy"[..], 3));
        assert_eq!(filled.as_ptr_range().end, rest.as_ptr().cast::<u8>());
    }
}
