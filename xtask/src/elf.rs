//! Just enough ELF reading to check that a binary is libc-free, and to drop section headers
//! (`--tiny`). Little-endian ELF32 and ELF64, as on all four architectures.

const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const SHT_SYMTAB: u32 = 2;
const SHT_DYNSYM: u32 = 11;
const ET_EXEC: u16 = 2;

pub struct Elf<'a> {
    data: &'a [u8],
    is64: bool,
}

fn read(data: &[u8], at: usize, len: usize) -> Result<u64, String> {
    let bytes = data
        .get(at..at + len)
        .ok_or_else(|| format!("truncated ELF at {at:#x}"))?;
    Ok(bytes
        .iter()
        .rev()
        .fold(0, |acc, &b| (acc << 8) | u64::from(b)))
}

impl<'a> Elf<'a> {
    pub fn parse(data: &'a [u8]) -> Result<Self, String> {
        if data.get(..4) != Some(b"\x7fELF") {
            return Err("not an ELF file".into());
        }
        if data.get(5) != Some(&1) {
            return Err("not little-endian".into());
        }
        Ok(Self {
            data,
            is64: data.get(4) == Some(&2),
        })
    }

    /// A header field: `(offset in ELF32, offset in ELF64, size in ELF32, size in ELF64)`.
    fn field(&self, base: usize, f: (usize, usize, usize, usize)) -> Result<u64, String> {
        if self.is64 {
            read(self.data, base + f.1, f.3)
        } else {
            read(self.data, base + f.0, f.2)
        }
    }

    fn e_type(&self) -> Result<u16, String> {
        Ok(read(self.data, 16, 2)? as u16)
    }

    /// `(p_type, p_offset, p_filesz)` of each program header.
    fn segments(&self) -> Result<Vec<(u32, u64, u64)>, String> {
        let phoff = self.field(0, (28, 32, 4, 8))? as usize;
        let phentsize = self.field(0, (42, 54, 2, 2))? as usize;
        let phnum = self.field(0, (44, 56, 2, 2))? as usize;
        (0..phnum)
            .map(|i| {
                let base = phoff + i * phentsize;
                Ok((
                    read(self.data, base, 4)? as u32,
                    self.field(base, (4, 8, 4, 8))?,
                    self.field(base, (16, 32, 4, 8))?,
                ))
            })
            .collect()
    }

    /// `(sh_type, sh_offset, sh_size, sh_entsize)` of each section header.
    fn sections(&self) -> Result<Vec<(u32, u64, u64, u64)>, String> {
        let shoff = self.field(0, (32, 40, 4, 8))? as usize;
        let shentsize = self.field(0, (46, 58, 2, 2))? as usize;
        let shnum = self.field(0, (48, 60, 2, 2))? as usize;
        if shoff == 0 {
            return Ok(Vec::new());
        }
        (0..shnum)
            .map(|i| {
                let base = shoff + i * shentsize;
                Ok((
                    read(self.data, base + 4, 4)? as u32,
                    self.field(base, (16, 24, 4, 8))?,
                    self.field(base, (20, 32, 4, 8))?,
                    self.field(base, (36, 56, 4, 8))?,
                ))
            })
            .collect()
    }

    /// Problems that make the binary depend on a libc or a dynamic linker; empty when it is a
    /// static executable with no interpreter, no dynamic section and no undefined symbol.
    pub fn libc_dependencies(&self) -> Result<Vec<String>, String> {
        let mut problems = Vec::new();
        if self.e_type()? != ET_EXEC {
            problems.push("not a static ET_EXEC executable".to_owned());
        }
        for (p_type, _, _) in self.segments()? {
            match p_type {
                PT_INTERP => problems.push("has PT_INTERP (a dynamic linker)".to_owned()),
                PT_DYNAMIC => problems.push("has PT_DYNAMIC (DT_NEEDED libraries)".to_owned()),
                _ => {}
            }
        }
        for (sh_type, offset, size, entsize) in self.sections()? {
            if sh_type == SHT_DYNSYM {
                problems.push("has a dynamic symbol table".to_owned());
            }
            if sh_type == SHT_SYMTAB && entsize > 0 {
                // st_shndx is at 14 (ELF32) or 6 (ELF64); symbol 0 is the null symbol.
                let shndx_at = if self.is64 { 6 } else { 14 };
                for i in 1..size / entsize {
                    let sym = (offset + i * entsize) as usize;
                    if read(self.data, sym + shndx_at, 2)? == 0 {
                        problems.push(format!("undefined symbol #{i}"));
                    }
                }
            }
        }
        Ok(problems)
    }

    /// The bytes the kernel loads: up to the end of the last loadable segment. What lies past
    /// it (section contents that no segment covers, the section headers) only serves tools.
    pub fn without_section_headers(&self) -> Result<Vec<u8>, String> {
        let end = self
            .segments()?
            .iter()
            .filter(|(p_type, _, _)| *p_type == PT_LOAD)
            .map(|(_, offset, filesz)| offset + filesz)
            .max()
            .ok_or("no loadable segment")?;
        // The ELF header itself must stay whole even if the segment ends inside it.
        let header = if self.is64 { 64 } else { 52 };
        let mut out = self.data[..(end as usize).max(header)].to_vec();
        // e_shoff, e_shnum, e_shstrndx: no section headers.
        let (shoff, shoff_len, shnum) = if self.is64 { (40, 8, 60) } else { (32, 4, 48) };
        out[shoff..shoff + shoff_len].fill(0);
        out[shnum..shnum + 4].fill(0);
        Ok(out)
    }
}
