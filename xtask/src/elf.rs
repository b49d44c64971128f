//! Just enough ELF reading to check that a binary is libc-free (down to its undefined symbols,
//! which needs an unstripped binary), and to drop section headers
//! (`--tiny`). Little-endian ELF32 and ELF64, as on all four architectures.

const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;
const SHT_SYMTAB: u32 = 2;
const SHT_DYNSYM: u32 = 11;
const ET_EXEC: u16 = 2;
const SHN_UNDEF: u64 = 0;
const STB_WEAK: u64 = 2;

/// The fields of a section header that are read here.
struct Section {
    sh_type: u32,
    offset: u64,
    size: u64,
    /// For a symbol table: the index of its string table.
    link: usize,
    entsize: u64,
}

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

    /// Each section header.
    fn sections(&self) -> Result<Vec<Section>, String> {
        let shoff = self.field(0, (32, 40, 4, 8))? as usize;
        let shentsize = self.field(0, (46, 58, 2, 2))? as usize;
        let shnum = self.field(0, (48, 60, 2, 2))? as usize;
        if shoff == 0 {
            return Ok(Vec::new());
        }
        (0..shnum)
            .map(|i| {
                let base = shoff + i * shentsize;
                Ok(Section {
                    sh_type: read(self.data, base + 4, 4)? as u32,
                    offset: self.field(base, (16, 24, 4, 8))?,
                    size: self.field(base, (20, 32, 4, 8))?,
                    link: self.field(base, (24, 40, 4, 4))? as usize,
                    entsize: self.field(base, (36, 56, 4, 8))?,
                })
            })
            .collect()
    }

    /// Problems in the program headers that make the binary depend on a libc or a dynamic
    /// linker: all that is left to read in a stripped binary or one without section headers.
    pub fn load_problems(&self) -> Result<Vec<String>, String> {
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
        Ok(problems)
    }

    /// [`Self::load_problems`], and every undefined symbol of the symbol tables (`SHT_SYMTAB`
    /// and `SHT_DYNSYM`): a static link resolves a weak undefined symbol to 0 without a word,
    /// and only the symbol table still shows it. So the binary must not be stripped: with no
    /// symbol table to read, that is a problem too, not a pass.
    pub fn libc_dependencies(&self) -> Result<Vec<String>, String> {
        let mut problems = self.load_problems()?;
        let sections = self.sections()?;
        let tables: Vec<&Section> = sections
            .iter()
            .filter(|s| matches!(s.sh_type, SHT_SYMTAB | SHT_DYNSYM) && s.entsize > 0)
            .collect();
        if tables.is_empty() {
            problems.push("no symbol table to read (stripped?)".to_owned());
        }
        for table in tables {
            if table.sh_type == SHT_DYNSYM {
                problems.push("has a dynamic symbol table".to_owned());
            }
            for name in self.undefined_symbols(table, sections.get(table.link))? {
                problems.push(format!("undefined symbol {name}"));
            }
        }
        Ok(problems)
    }

    /// The names (`#index` when nameless) of the undefined symbols of `table`, whose string
    /// table is `strings`; symbol 0 is the null symbol, undefined by definition.
    fn undefined_symbols(
        &self,
        table: &Section,
        strings: Option<&Section>,
    ) -> Result<Vec<String>, String> {
        // st_info and st_shndx are at 12 and 14 (ELF32) or 4 and 6 (ELF64).
        let (info_at, shndx_at) = if self.is64 { (4, 6) } else { (12, 14) };
        let mut names = Vec::new();
        for i in 1..table.size / table.entsize {
            let sym = (table.offset + i * table.entsize) as usize;
            if read(self.data, sym + shndx_at, 2)? != SHN_UNDEF {
                continue;
            }
            let weak = read(self.data, sym + info_at, 1)? >> 4 == STB_WEAK;
            let name = strings
                .and_then(|s| self.string(s, read(self.data, sym, 4).ok()?))
                .unwrap_or_else(|| format!("#{i}"));
            names.push(if weak { format!("{name} (weak)") } else { name });
        }
        Ok(names)
    }

    /// The NUL-terminated string at `index` in string table `table`.
    fn string(&self, table: &Section, index: u64) -> Option<String> {
        let start = usize::try_from(table.offset + index).ok()?;
        let bytes = self.data.get(start..)?;
        let end = bytes.iter().position(|&b| b == 0)?;
        Some(String::from_utf8_lossy(&bytes[..end]).into_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn put(data: &mut [u8], at: usize, len: usize, value: u64) {
        data[at..at + len].copy_from_slice(&value.to_le_bytes()[..len]);
    }

    /// A static ELF64 executable with no program headers whose symbol table holds `symbols`
    /// (`(name, st_info, st_shndx)`), or with no symbol table at all when `symbols` is `None`.
    fn executable(symbols: Option<&[(&str, u8, u16)]>) -> Vec<u8> {
        let mut data = vec![0u8; 64];
        data[..7].copy_from_slice(b"\x7fELF\x02\x01\x01");
        put(&mut data, 16, 2, u64::from(ET_EXEC));
        put(&mut data, 52, 2, 64);
        put(&mut data, 58, 2, 64);
        // Section headers: the null section, then the symbol table and its strings.
        let mut headers = vec![0u8; 64];
        if let Some(symbols) = symbols {
            let mut strings = vec![0u8];
            let mut table = vec![0u8; 24];
            for (name, info, shndx) in symbols {
                let mut sym = [0u8; 24];
                put(&mut sym, 0, 4, strings.len() as u64);
                sym[4] = *info;
                put(&mut sym, 6, 2, u64::from(*shndx));
                table.extend_from_slice(&sym);
                strings.extend_from_slice(name.as_bytes());
                strings.push(0);
            }
            for (sh_type, contents, link, entsize) in
                [(SHT_SYMTAB, table, 2, 24), (3, strings, 0, 0)]
            {
                let mut header = [0u8; 64];
                put(&mut header, 4, 4, u64::from(sh_type));
                put(&mut header, 24, 8, data.len() as u64);
                put(&mut header, 32, 8, contents.len() as u64);
                put(&mut header, 40, 4, link);
                put(&mut header, 56, 8, entsize);
                headers.extend_from_slice(&header);
                data.extend_from_slice(&contents);
            }
        }
        let shoff = data.len() as u64;
        put(&mut data, 40, 8, shoff);
        put(&mut data, 60, 2, headers.len() as u64 / 64);
        data.extend_from_slice(&headers);
        data
    }

    /// `st_info` of a global and of a weak function.
    const GLOBAL_FUNC: u8 = 0x12;
    const WEAK_NOTYPE: u8 = (STB_WEAK as u8) << 4;

    #[test]
    fn defined_symbols_pass() {
        let data = executable(Some(&[("_start", GLOBAL_FUNC, 1)]));
        assert_eq!(Elf::parse(&data).unwrap().libc_dependencies(), Ok(vec![]));
    }

    #[test]
    fn a_weak_undefined_symbol_fails() {
        let symbols = [("_start", GLOBAL_FUNC, 1), ("missing", WEAK_NOTYPE, 0)];
        let data = executable(Some(&symbols));
        assert_eq!(
            Elf::parse(&data).unwrap().libc_dependencies(),
            Ok(vec!["undefined symbol missing (weak)".to_owned()])
        );
    }

    #[test]
    fn no_symbol_table_fails() {
        let data = executable(None);
        let elf = Elf::parse(&data).unwrap();
        assert_eq!(elf.load_problems(), Ok(vec![]));
        assert_eq!(
            elf.libc_dependencies(),
            Ok(vec!["no symbol table to read (stripped?)".to_owned()])
        );
    }
}
