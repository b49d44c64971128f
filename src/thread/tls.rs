//! ELF thread-local storage without libc: the program's `PT_TLS` template, instantiated for
//! the main thread (by `rt`'s entry, or by [`init_main_thread`] in a runtime with an entry of
//! its own) and for every thread [`spawn_raw`](super::spawn_raw) starts afterwards, in the
//! architecture's layout, with the thread pointer set. What C's `__thread` and Rust's
//! `#[thread_local]` compile to in an executable then works: each thread's `.tdata` starts as
//! the program's initial values and its `.tbss` as zeros. barecall's own API: rustix keeps
//! the thread pointer in its hidden `runtime` module.
//!
//! In a program that links libc, libc owns the thread pointer and these calls are not for it:
//! [`thread_pointer`] reads libc's, and [`init_main_thread`] must not be called.

use crate::errno::{Errno, Result};
use crate::mm::{MapFlags, ProtFlags};
use crate::raw::TlsVariant;
use core::ffi::c_void;
use core::mem::size_of;
use core::ptr::null_mut;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use linux_raw_sys::elf::{Elf_Phdr, PT_PHDR, PT_TLS};

/// The program's TLS template (`PT_TLS`): the initial bytes of each thread's block, and the
/// block's size and alignment. A program without `PT_TLS` has an empty one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Template {
    /// Where the initial bytes (`.tdata`) are in memory.
    image: usize,
    /// How many there are; the rest of the block (`.tbss`) starts zeroed.
    filesz: usize,
    memsz: usize,
    /// `p_align`: the block's address is congruent to `image` modulo this.
    align: usize,
}

/// Where, in an area of `size` bytes aligned to `align`, a thread's pointer and its TLS block
/// lie (as offsets from the area's start).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) size: usize,
    pub(crate) align: usize,
    tp: usize,
    block: usize,
}

/// The alignment of every area: enough for the control blocks (two words on aarch64) and for
/// the 16 bytes some ABIs want of whatever the thread pointer addresses.
const MIN_AREA_ALIGN: usize = 16;

impl Template {
    const EMPTY: Self = Self {
        image: 0,
        filesz: 0,
        memsz: 0,
        align: 1,
    };

    /// The template in program headers `headers`, which are in memory at `at` (`AT_PHDR`):
    /// `PT_TLS`, its address moved by the load bias that `PT_PHDR` shows (none without one: a
    /// program linked at a fixed address).
    fn from_headers(headers: &[Elf_Phdr], at: usize) -> Option<Self> {
        let bias = headers
            .iter()
            .find(|h| h.p_type == PT_PHDR)
            .map_or(0, |h| at.wrapping_sub(h.p_vaddr));
        let Some(tls) = headers.iter().find(|h| h.p_type == PT_TLS) else {
            return Some(Self::EMPTY);
        };
        let align = tls.p_align.max(1);
        if !align.is_power_of_two() || tls.p_filesz > tls.p_memsz {
            return None;
        }
        Some(Self {
            image: bias.wrapping_add(tls.p_vaddr),
            filesz: tls.p_filesz,
            memsz: tls.p_memsz,
            align,
        })
    }

    /// Where this template's block and the thread pointer lie for `variant`. The offsets are
    /// those the static linker assumed when it resolved the program's TLS accesses (GNU ld's
    /// and lld's, which musl's formulas follow): the block sits at an address congruent to
    /// the image's, modulo `p_align`, and at least the ABI's gap past (or just below) the
    /// thread pointer. `None` if the sizes overflow.
    pub(crate) fn layout(&self, variant: TlsVariant) -> Option<Layout> {
        let align = self.align.max(MIN_AREA_ALIGN);
        let misalign = |offset: usize| offset & (self.align - 1);
        match variant {
            TlsVariant::AboveTp { gap } => {
                let block = gap + misalign(self.image.wrapping_sub(gap));
                Some(Layout {
                    size: block.checked_add(self.memsz)?,
                    align,
                    tp: 0,
                    block,
                })
            }
            TlsVariant::BelowTp { tcb } => {
                let span = self
                    .memsz
                    .checked_add(misalign(self.memsz.wrapping_neg().wrapping_sub(self.image)))?;
                let tp = span.checked_next_multiple_of(align)?;
                Some(Layout {
                    size: tp.checked_add(tcb)?,
                    align,
                    tp,
                    block: tp - span,
                })
            }
        }
    }

    /// Lays a thread's copy out in the area at `area` and returns its thread pointer: the
    /// initial bytes copied into the block and, in variant II, the control block's first word
    /// pointed at itself.
    ///
    /// # Safety
    ///
    /// `area` is `layout.align`-aligned, zeroed, writable memory of `layout.size` bytes that
    /// nothing else uses, and `layout` is this template's.
    pub(crate) unsafe fn instantiate(&self, area: usize, layout: &Layout) -> usize {
        let tp = area + layout.tp;
        // SAFETY: the block is inside the area; the image is the program's, `filesz` bytes
        // of readable memory that the area, a fresh mapping, cannot overlap.
        unsafe {
            core::ptr::copy_nonoverlapping(
                self.image as *const u8,
                (area + layout.block) as *mut u8,
                self.filesz,
            );
        }
        if let TlsVariant::BelowTp { .. } = crate::raw::TLS_VARIANT {
            // SAFETY: the control block is the area's last `tcb` bytes, word-aligned.
            unsafe { (tp as *mut usize).write(tp) };
        }
        tp
    }
}

/// Set once [`init_main_thread`] has run; from then on the template below is the program's.
static READY: AtomicBool = AtomicBool::new(false);
static IMAGE: AtomicUsize = AtomicUsize::new(0);
static FILESZ: AtomicUsize = AtomicUsize::new(0);
static MEMSZ: AtomicUsize = AtomicUsize::new(0);
static ALIGN: AtomicUsize = AtomicUsize::new(1);

/// The program's template and its layout, if the main thread's TLS is barecall's (so every
/// new thread needs a copy of its own); `None` in a program whose thread pointer is libc's.
pub(crate) fn for_new_thread() -> Option<(Template, Layout)> {
    if !READY.load(Ordering::Acquire) {
        return None;
    }
    let template = Template {
        image: IMAGE.load(Ordering::Relaxed),
        filesz: FILESZ.load(Ordering::Relaxed),
        memsz: MEMSZ.load(Ordering::Relaxed),
        align: ALIGN.load(Ordering::Relaxed),
    };
    // `init_main_thread` computed this layout already, so it exists.
    let layout = template.layout(crate::raw::TLS_VARIANT)?;
    Some((template, layout))
}

/// The program's TLS template, from its program headers (`AT_PHDR`, `AT_PHNUM`).
fn program_template() -> Result<Template> {
    let (at, count) = crate::param::program_headers();
    if at == 0 || count == 0 {
        return Ok(Template::EMPTY);
    }
    // SAFETY: the kernel's auxiliary vector says the program's headers are loaded there, and
    // the program's image stays mapped, unchanged, for the life of the process.
    let headers = unsafe { core::slice::from_raw_parts(at as *const Elf_Phdr, count) };
    Template::from_headers(headers, at).ok_or(Errno::NOEXEC)
}

/// Instantiates the program's ELF TLS for the calling thread, the main one, and points its
/// thread pointer at it; every thread [`spawn_raw`](super::spawn_raw) starts from then on
/// gets a copy of its own. `rt`'s entry does this before `main`; a runtime that writes its own
/// entry calls this once, first.
///
/// The template is the program's `PT_TLS` segment, found through the auxiliary vector's
/// `AT_PHDR` (a program without one still gets a control block, so that the thread pointer
/// addresses valid memory). The copy lives in a mapping of its own that is never freed.
///
/// Errors: `Err(NOMEM)` if the mapping cannot be made, `Err(NOEXEC)` for a `PT_TLS` whose
/// alignment is not a power of two or whose sizes disagree, and the kernel's answer if it
/// refuses the thread pointer; nothing is changed then.
///
/// # Safety
///
/// The process has no libc in it (libc's own per-thread state lives behind the thread
/// pointer this replaces), nothing has used a thread-local yet (it would have used the old
/// pointer), no thread has been spawned yet, and this is the only call.
///
/// # References
///  - [Drepper, "ELF Handling For Thread-Local Storage"](https://www.akkadia.org/drepper/tls.pdf)
///  - [Linux `arch_prctl(2)`](https://man7.org/linux/man-pages/man2/arch_prctl.2.html)
pub unsafe fn init_main_thread() -> Result<()> {
    let template = program_template()?;
    let layout = template
        .layout(crate::raw::TLS_VARIANT)
        .ok_or(Errno::NOMEM)?;
    let len = layout
        .size
        .checked_add(layout.align - 1)
        .and_then(|len| len.checked_next_multiple_of(crate::param::page_size()))
        .ok_or(Errno::NOMEM)?;
    let (prot, flags) = (ProtFlags::READ | ProtFlags::WRITE, MapFlags::PRIVATE);
    // SAFETY: a new mapping at an address of the kernel's choice replaces nothing.
    let map = unsafe { crate::mm::syscalls::mmap(null_mut(), len, prot, flags, None, 0)? };
    let area = (map as usize).next_multiple_of(layout.align);
    // SAFETY: the aligned area lies in the new mapping (which has `align - 1` bytes to spare),
    // zeroed, and nothing else uses it.
    let tp = unsafe { template.instantiate(area, &layout) };
    // SAFETY: the caller vouches that nothing relies on the old thread pointer; the new one
    // addresses the area laid out for this ABI, which is never unmapped.
    let set = crate::conv::ret(unsafe { crate::raw::set_thread_pointer(tp) });
    if let Err(errno) = set {
        // SAFETY: the mapping was made above and nothing uses it.
        let _ = unsafe { crate::mm::syscalls::munmap(map, len) };
        return Err(errno);
    }
    IMAGE.store(template.image, Ordering::Relaxed);
    FILESZ.store(template.filesz, Ordering::Relaxed);
    MEMSZ.store(template.memsz, Ordering::Relaxed);
    ALIGN.store(template.align, Ordering::Relaxed);
    READY.store(true, Ordering::Release);
    Ok(())
}

/// The calling thread's thread pointer: `fs`'s base on x86_64, `tpidr_el0` on aarch64, `tp` on
/// riscv64, `TPIDRURO` on arm. In a barecall program with TLS (see [`init_main_thread`]) it
/// differs in every thread; in a program with libc it is libc's.
///
/// # References
///  - [Linux `arch_prctl(2)`](https://man7.org/linux/man-pages/man2/arch_prctl.2.html)
#[inline]
#[must_use]
pub fn thread_pointer() -> *mut c_void {
    crate::raw::thread_pointer() as *mut c_void
}

/// Sets the calling thread's thread pointer (`arch_prctl(ARCH_SET_FS)` on x86_64, `msr
/// tpidr_el0` on aarch64, `mv tp` on riscv64, `__ARM_NR_set_tls` on arm), for runtimes that lay
/// out thread-local storage themselves.
///
/// # Safety
///
/// `tp` addresses what this architecture's TLS ABI wants the thread pointer to address (on
/// x86_64, a control block whose first word points to itself), live for as long as the thread
/// runs, and nothing the thread runs relies on the pointer it had: libc's per-thread state,
/// or thread-locals instantiated for it.
///
/// # References
///  - [Linux `arch_prctl(2)`](https://man7.org/linux/man-pages/man2/arch_prctl.2.html)
#[inline]
pub unsafe fn set_thread_pointer(tp: *mut c_void) -> Result<()> {
    // SAFETY: as this function's contract.
    crate::conv::ret(unsafe { crate::raw::set_thread_pointer(tp as usize) })
}

const _: () = assert!(size_of::<usize>() <= MIN_AREA_ALIGN);

#[cfg(test)]
mod tests {
    use super::*;

    fn tls(vaddr: usize, filesz: usize, memsz: usize, align: usize) -> Template {
        Template {
            image: vaddr,
            filesz,
            memsz,
            align,
        }
    }

    /// The offsets lld and GNU ld give the first TLS byte, by hand: aarch64 `16 + ((v - 16) &
    /// (a - 1))` above tp, riscv64 `v & (a - 1)`, arm `8 + ...`, x86_64 `memsz + ((-memsz - v) &
    /// (a - 1))` below it.
    #[test]
    fn layouts_are_the_linkers() {
        let aarch64 = TlsVariant::AboveTp { gap: 16 };
        let riscv = TlsVariant::AboveTp { gap: 0 };
        let x86_64 = TlsVariant::BelowTp { tcb: 64 };
        // Aligned images: the block right past the gap, or right below tp.
        let l = tls(0x1000, 4, 12, 8).layout(aarch64).unwrap();
        assert_eq!((l.tp, l.block, l.size, l.align), (0, 16, 28, 16));
        let l = tls(0x1000, 4, 12, 64).layout(aarch64).unwrap();
        assert_eq!((l.tp, l.block, l.size, l.align), (0, 64, 76, 64));
        let l = tls(0x1000, 4, 12, 8).layout(riscv).unwrap();
        assert_eq!((l.tp, l.block), (0, 0));
        let l = tls(0x1000, 4, 12, 8).layout(x86_64).unwrap();
        assert_eq!((l.tp - l.block, l.tp % 16, l.size - l.tp), (16, 0, 64));
        // An image 4 past a 64-byte boundary keeps that offset in every thread's block.
        let l = tls(0x1004, 4, 12, 64).layout(aarch64).unwrap();
        assert_eq!(l.block, 68);
        let l = tls(0x1004, 4, 12, 64).layout(riscv).unwrap();
        assert_eq!(l.block, 4);
        let l = tls(0x1004, 4, 12, 64).layout(x86_64).unwrap();
        assert_eq!(((l.block as isize) - (l.tp as isize)) & 63, 4);
        assert!(l.tp - l.block >= 12);
        // No template: only the control block.
        let l = Template::EMPTY.layout(x86_64).unwrap();
        assert_eq!((l.tp, l.size), (0, 64));
        // Sizes past the address space are refused, not wrapped.
        assert_eq!(tls(0, 0, usize::MAX - 8, 8).layout(aarch64), None);
        assert_eq!(tls(0, 0, usize::MAX - 8, 8).layout(x86_64), None);
    }

    fn header(p_type: u32, vaddr: usize, filesz: usize, memsz: usize, align: usize) -> Elf_Phdr {
        Elf_Phdr {
            p_type,
            p_flags: 0,
            p_offset: 0,
            p_vaddr: vaddr,
            p_paddr: vaddr,
            p_filesz: filesz,
            p_memsz: memsz,
            p_align: align,
        }
    }

    #[test]
    fn the_template_is_pt_tls_moved_by_the_load_bias() {
        let headers = [
            header(PT_PHDR, 0x40, 0, 0, 8),
            header(PT_TLS, 0x2000, 8, 24, 16),
        ];
        // Loaded 0x5000_0000 higher than linked (a static PIE).
        let t = Template::from_headers(&headers, 0x5000_0040).unwrap();
        assert_eq!(t, tls(0x5000_2000, 8, 24, 16));
        // Without PT_PHDR: linked where it runs.
        let t = Template::from_headers(&headers[1..], 0x40).unwrap();
        assert_eq!(t.image, 0x2000);
        // No PT_TLS: empty. A bad alignment or sizes: refused.
        assert_eq!(
            Template::from_headers(&headers[..1], 0x40),
            Some(Template::EMPTY)
        );
        let bad = [header(PT_TLS, 0x2000, 8, 24, 12)];
        assert_eq!(Template::from_headers(&bad, 0), None);
        let bad = [header(PT_TLS, 0x2000, 32, 24, 16)];
        assert_eq!(Template::from_headers(&bad, 0), None);
    }
}
