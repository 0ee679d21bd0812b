//! Target descriptions: the data model and ABI rules of each supported
//! architecture, and the macros its compiler predefines.
//!
//! The preprocessor reads [`Target::predefined_macros`]; the layout stage
//! reads the sizes, alignments and bit-field rules. The figures are those of
//! GCC and Clang for `<arch>-linux-gnu` (the System V psABI supplement of
//! each architecture, AAPCS for Arm).

use std::fmt;

/// Size and ABI alignment (the alignment used for record members), in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scalar {
    /// `sizeof`.
    pub size: u64,
    /// Alignment inside records and arrays.
    pub align: u64,
}

const fn s(size: u64, align: u64) -> Scalar {
    Scalar { size, align }
}

/// One target ABI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The triple-like name used on the command line, e.g. `x86_64-linux-gnu`.
    pub name: &'static str,
    /// The Rust `target_arch` value.
    pub rust_arch: &'static str,
    /// Whether multi-byte values are stored most significant byte first.
    /// Bit-fields are then allocated from the most significant bit.
    pub big_endian: bool,
    /// Whether plain `char` is unsigned.
    pub char_unsigned: bool,
    /// `short`.
    pub short: Scalar,
    /// `int`.
    pub int: Scalar,
    /// `long`.
    pub long: Scalar,
    /// `long long`.
    pub long_long: Scalar,
    /// Data and function pointers.
    pub pointer: Scalar,
    /// `float`.
    pub float: Scalar,
    /// `double`.
    pub double: Scalar,
    /// `long double`.
    pub long_double: Scalar,
    /// `__int128`, where the target has it.
    pub int128: Option<Scalar>,
    /// `_Float128`, where the target has it (GCC 12: x86, aarch64, s390x,
    /// riscv64; not powerpc without `-mfloat128`, not armv7).
    pub float128: Option<Scalar>,
    /// `__float80`, where the target has it (x86 only).
    pub float80: Option<Scalar>,
    /// `_Float16`, where GCC 12 or Clang 14 accept it (GCC 12: x86_64,
    /// aarch64; Clang 14: aarch64, armv7, riscv64).
    pub float16: Option<Scalar>,
    /// `__BIGGEST_ALIGNMENT__`: what `aligned` without an argument means.
    pub biggest_alignment: u64,
    /// `__builtin_va_list` (`va_list`): `char *` or `void *` on some
    /// targets, a one-element array of a register-save record on x86_64,
    /// s390x and 32-bit powerpc, a record on aarch64.
    pub va_list: Scalar,
    /// The alignment GCC gives a 16-byte `_Atomic` type (a 16-byte record
    /// of smaller alignment, say): 16 where the target has 16-byte atomic
    /// instructions or GCC assumes so, 8 on armv7 and s390x. Smaller atomic
    /// types are aligned to their size on every target.
    pub atomic16_align: u64,
    /// The largest alignment GCC gives a `vector_size(N)` type, which is
    /// otherwise aligned to N (measured: 16 on aarch64, 8 on armv7, none on
    /// the others, s390x included without the z13 vector ABI). An 8-byte
    /// vector is aligned like `long long`: 4 on i386.
    pub vector_align_cap: Option<u64>,
    /// `wchar_t` as GCC spells it: `int`, `long int` (i386, powerpc) or
    /// `unsigned int` (aarch64, armv7).
    pub wchar_type: &'static str,
    /// AAPCS rule: unnamed bit-fields (including zero-width ones) raise the
    /// alignment of the enclosing record to that of their declared type.
    /// On the other ABIs they do not.
    pub unnamed_bitfield_aligns_record: bool,
    /// Whether enums are as small as their values allow even without
    /// `packed` (`-fshort-enums`). No Linux ABI here does this.
    pub short_enums: bool,
    /// Extra predefined macros, on top of those every Linux target shares.
    arch_macros: &'static [(&'static str, &'static str)],
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

const LP64_X86: &[(&str, &str)] = &[
    ("__x86_64__", "1"),
    ("__x86_64", "1"),
    ("__amd64__", "1"),
    ("__amd64", "1"),
    ("__SSE__", "1"),
    ("__SSE2__", "1"),
    ("__MMX__", "1"),
    ("__SIZEOF_FLOAT128__", "16"),
    ("__SIZEOF_FLOAT80__", "16"),
    ("__SIZEOF_INT128__", "16"),
];

const I386: &[(&str, &str)] = &[
    ("_ILP32", "1"),
    ("__ILP32__", "1"),
    ("__i386__", "1"),
    ("__i386", "1"),
    ("i386", "1"),
    ("__i686__", "1"),
    ("__SIZEOF_FLOAT128__", "16"),
    ("__SIZEOF_FLOAT80__", "12"),
];

const AARCH64: &[(&str, &str)] = &[
    ("__aarch64__", "1"),
    ("__ARM_64BIT_STATE", "1"),
    ("__ARM_ARCH", "8"),
    ("__ARM_ARCH_ISA_A64", "1"),
    ("__AARCH64EL__", "1"),
    ("__SIZEOF_INT128__", "16"),
    ("__ARM_ARCH_8A", "1"),
    ("__ARM_ARCH_PROFILE", "65"),
    ("__ARM_NEON", "1"),
    ("__ARM_PCS_AAPCS64", "1"),
    ("__ARM_SIZEOF_MINIMAL_ENUM", "4"),
    ("__ARM_SIZEOF_WCHAR_T", "4"),
];

const ARMV7: &[(&str, &str)] = &[
    ("__arm__", "1"),
    ("__ARM_ARCH", "7"),
    ("__ARM_ARCH_7A__", "1"),
    ("__ARM_EABI__", "1"),
    ("__ARM_PCS_VFP", "1"),
    ("__ARMEL__", "1"),
    ("__thumb2__", "1"),
    ("__ARM_ARCH_ISA_ARM", "1"),
    ("__ARM_ARCH_ISA_THUMB", "2"),
    ("__ARM_ARCH_PROFILE", "65"),
    ("__ARM_SIZEOF_MINIMAL_ENUM", "4"),
    ("__ARM_SIZEOF_WCHAR_T", "4"),
];

const S390X: &[(&str, &str)] = &[
    ("__s390__", "1"),
    ("__s390x__", "1"),
    ("__zarch__", "1"),
    ("__LONG_DOUBLE_128__", "1"),
    ("__SIZEOF_INT128__", "16"),
    ("__ARCH__", "9"),
];

const PPC64: &[(&str, &str)] = &[
    ("__powerpc__", "1"),
    ("__powerpc64__", "1"),
    ("__PPC__", "1"),
    ("__PPC64__", "1"),
    ("_ARCH_PPC", "1"),
    ("_ARCH_PPC64", "1"),
    // Big-endian ppc64 is ELFv1 (ELFv2 is ppc64le's).
    ("_CALL_ELF", "1"),
    ("__BIG_ENDIAN__", "1"),
    ("_BIG_ENDIAN", "1"),
    ("__LONG_DOUBLE_128__", "1"),
    ("__LONG_DOUBLE_IBM128__", "1"),
    ("__SIZEOF_INT128__", "16"),
    ("_CALL_AIX", "1"),
    ("_CALL_AIXDESC", "1"),
    ("_CALL_LINUX", "1"),
    ("__LONGDOUBLE128", "1"),
    ("__SIZEOF_IBM128__", "16"),
];

const PPC: &[(&str, &str)] = &[
    ("__powerpc__", "1"),
    ("__PPC__", "1"),
    ("_ARCH_PPC", "1"),
    ("__BIG_ENDIAN__", "1"),
    ("_BIG_ENDIAN", "1"),
    ("__LONG_DOUBLE_128__", "1"),
    ("__LONG_DOUBLE_IBM128__", "1"),
    ("_CALL_SYSV", "1"),
    ("__LONGDOUBLE128", "1"),
    ("__SIZEOF_IBM128__", "16"),
];

const RISCV64: &[(&str, &str)] = &[
    ("__riscv", "1"),
    ("__riscv_xlen", "64"),
    ("__riscv_float_abi_double", "1"),
    ("__riscv_flen", "64"),
    ("__SIZEOF_INT128__", "16"),
    ("__riscv_a", "2001000"),
    ("__riscv_atomic", "1"),
    ("__riscv_c", "2000000"),
    ("__riscv_cmodel_medany", "1"),
    ("__riscv_compressed", "1"),
    ("__riscv_d", "2002000"),
    ("__riscv_div", "1"),
    ("__riscv_f", "2002000"),
    ("__riscv_fdiv", "1"),
    ("__riscv_fsqrt", "1"),
    ("__riscv_i", "2001000"),
    ("__riscv_m", "2000000"),
    ("__riscv_mul", "1"),
    ("__riscv_muldiv", "1"),
    ("__riscv_arch_test", "1"),
    ("__riscv_cmodel_pic", "1"),
    ("__riscv_zicsr", "2000000"),
    ("__riscv_zifencei", "2000000"),
];

/// Every supported target, in the order reports list them.
pub static TARGETS: [Target; 8] = [
    Target {
        name: "x86_64-linux-gnu",
        rust_arch: "x86_64",
        big_endian: false,
        char_unsigned: false,
        short: s(2, 2),
        int: s(4, 4),
        long: s(8, 8),
        long_long: s(8, 8),
        pointer: s(8, 8),
        float: s(4, 4),
        double: s(8, 8),
        long_double: s(16, 16),
        int128: Some(s(16, 16)),
        float128: Some(s(16, 16)),
        float80: Some(s(16, 16)),
        float16: Some(s(2, 2)),
        biggest_alignment: 16,
        va_list: s(24, 8),
        atomic16_align: 16,
        vector_align_cap: None,
        wchar_type: "int",
        unnamed_bitfield_aligns_record: false,
        short_enums: false,
        arch_macros: LP64_X86,
    },
    Target {
        name: "i386-linux-gnu",
        rust_arch: "x86",
        big_endian: false,
        char_unsigned: false,
        short: s(2, 2),
        int: s(4, 4),
        long: s(4, 4),
        // i386 psABI: 8-byte integers and doubles are 4-aligned in records.
        long_long: s(8, 4),
        pointer: s(4, 4),
        float: s(4, 4),
        double: s(8, 4),
        long_double: s(12, 4),
        int128: None,
        float128: Some(s(16, 16)),
        float80: Some(s(12, 4)),
        float16: None,
        biggest_alignment: 16,
        va_list: s(4, 4),
        atomic16_align: 16,
        vector_align_cap: None,
        wchar_type: "long int",
        unnamed_bitfield_aligns_record: false,
        short_enums: false,
        arch_macros: I386,
    },
    Target {
        name: "aarch64-linux-gnu",
        rust_arch: "aarch64",
        big_endian: false,
        char_unsigned: true,
        short: s(2, 2),
        int: s(4, 4),
        long: s(8, 8),
        long_long: s(8, 8),
        pointer: s(8, 8),
        float: s(4, 4),
        double: s(8, 8),
        long_double: s(16, 16),
        int128: Some(s(16, 16)),
        float128: Some(s(16, 16)),
        float80: None,
        float16: Some(s(2, 2)),
        biggest_alignment: 16,
        va_list: s(32, 8),
        atomic16_align: 16,
        vector_align_cap: Some(16),
        wchar_type: "unsigned int",
        unnamed_bitfield_aligns_record: true,
        short_enums: false,
        arch_macros: AARCH64,
    },
    Target {
        name: "armv7-linux-gnueabihf",
        rust_arch: "arm",
        big_endian: false,
        char_unsigned: true,
        short: s(2, 2),
        int: s(4, 4),
        long: s(4, 4),
        // AAPCS: 8-byte types are 8-aligned, unlike i386.
        long_long: s(8, 8),
        pointer: s(4, 4),
        float: s(4, 4),
        double: s(8, 8),
        long_double: s(8, 8),
        int128: None,
        float128: None,
        float80: None,
        float16: Some(s(2, 2)),
        biggest_alignment: 8,
        va_list: s(4, 4),
        atomic16_align: 8,
        vector_align_cap: Some(8),
        wchar_type: "unsigned int",
        unnamed_bitfield_aligns_record: true,
        short_enums: false,
        arch_macros: ARMV7,
    },
    Target {
        name: "s390x-linux-gnu",
        rust_arch: "s390x",
        big_endian: true,
        char_unsigned: true,
        short: s(2, 2),
        int: s(4, 4),
        long: s(8, 8),
        long_long: s(8, 8),
        pointer: s(8, 8),
        float: s(4, 4),
        double: s(8, 8),
        long_double: s(16, 8),
        int128: Some(s(16, 8)),
        float128: Some(s(16, 8)),
        float80: None,
        float16: None,
        biggest_alignment: 8,
        va_list: s(32, 8),
        atomic16_align: 8,
        vector_align_cap: None,
        wchar_type: "int",
        unnamed_bitfield_aligns_record: false,
        short_enums: false,
        arch_macros: S390X,
    },
    Target {
        name: "powerpc64-linux-gnu",
        rust_arch: "powerpc64",
        big_endian: true,
        char_unsigned: true,
        short: s(2, 2),
        int: s(4, 4),
        long: s(8, 8),
        long_long: s(8, 8),
        pointer: s(8, 8),
        float: s(4, 4),
        double: s(8, 8),
        long_double: s(16, 16),
        int128: Some(s(16, 16)),
        float128: None,
        float80: None,
        float16: None,
        biggest_alignment: 16,
        va_list: s(8, 8),
        atomic16_align: 16,
        vector_align_cap: None,
        wchar_type: "int",
        unnamed_bitfield_aligns_record: false,
        short_enums: false,
        arch_macros: PPC64,
    },
    Target {
        name: "powerpc-linux-gnu",
        rust_arch: "powerpc",
        big_endian: true,
        char_unsigned: true,
        short: s(2, 2),
        int: s(4, 4),
        long: s(4, 4),
        long_long: s(8, 8),
        pointer: s(4, 4),
        float: s(4, 4),
        double: s(8, 8),
        long_double: s(16, 16),
        int128: None,
        float128: None,
        float80: None,
        float16: None,
        biggest_alignment: 16,
        va_list: s(12, 4),
        atomic16_align: 16,
        vector_align_cap: None,
        wchar_type: "long int",
        unnamed_bitfield_aligns_record: false,
        short_enums: false,
        arch_macros: PPC,
    },
    Target {
        name: "riscv64-linux-gnu",
        rust_arch: "riscv64",
        big_endian: false,
        char_unsigned: true,
        short: s(2, 2),
        int: s(4, 4),
        long: s(8, 8),
        long_long: s(8, 8),
        pointer: s(8, 8),
        float: s(4, 4),
        double: s(8, 8),
        long_double: s(16, 16),
        int128: Some(s(16, 16)),
        float128: Some(s(16, 16)),
        float80: None,
        float16: Some(s(2, 2)),
        biggest_alignment: 16,
        va_list: s(8, 8),
        atomic16_align: 16,
        vector_align_cap: None,
        wchar_type: "int",
        unnamed_bitfield_aligns_record: false,
        short_enums: false,
        arch_macros: RISCV64,
    },
];

impl Target {
    /// Looks a target up by name; also accepts the Rust and Debian spellings
    /// of the same target (`x86_64-unknown-linux-gnu`, `i686-linux-gnu`,
    /// `arm-linux-gnueabihf`, `powerpc64le` is not supported).
    pub fn by_name(name: &str) -> Option<&'static Target> {
        let canonical = match name {
            "x86_64-unknown-linux-gnu" | "x86_64" | "amd64" => "x86_64-linux-gnu",
            "i686-linux-gnu" | "i686-unknown-linux-gnu" | "i386" | "x86" => "i386-linux-gnu",
            "aarch64-unknown-linux-gnu" | "aarch64" | "arm64" => "aarch64-linux-gnu",
            "arm-linux-gnueabihf" | "armv7-unknown-linux-gnueabihf" | "armhf" | "arm" => {
                "armv7-linux-gnueabihf"
            }
            "s390x-unknown-linux-gnu" | "s390x" => "s390x-linux-gnu",
            "powerpc64-unknown-linux-gnu" | "powerpc64" | "ppc64" => "powerpc64-linux-gnu",
            "powerpc-unknown-linux-gnu" | "powerpc" | "ppc" => "powerpc-linux-gnu",
            "riscv64gc-unknown-linux-gnu" | "riscv64" => "riscv64-linux-gnu",
            other => other,
        };
        TARGETS.iter().find(|t| t.name == canonical)
    }

    /// The target this program was built for, if it is one of [`TARGETS`].
    pub fn host() -> Option<&'static Target> {
        let arch = std::env::consts::ARCH;
        let big = cfg!(target_endian = "big");
        TARGETS.iter().find(|t| t.rust_arch == arch && t.big_endian == big)
    }

    /// Whether `long` and pointers are 64-bit.
    pub fn is_lp64(&self) -> bool {
        self.pointer.size == 8
    }

    /// The kernel's name for the architecture: the folder under `arch/` in a
    /// kernel tree.
    pub fn kernel_arch(&self) -> &'static str {
        match self.rust_arch {
            "x86_64" | "x86" => "x86",
            "aarch64" => "arm64",
            "arm" => "arm",
            "s390x" => "s390",
            "powerpc" | "powerpc64" => "powerpc",
            "riscv64" => "riscv",
            other => other,
        }
    }

    /// The Debian cross-toolchain triple: the `<triple>-gcc` cross compiler
    /// and the `/usr/<triple>/include` folder of `libc6-dev-<arch>-cross`.
    pub fn cross_triple(&self) -> &'static str {
        match self.name {
            "i386-linux-gnu" => "i686-linux-gnu",
            "armv7-linux-gnueabihf" => "arm-linux-gnueabihf",
            other => other,
        }
    }

    /// The triple to give `clang -target` (and libclang).
    pub fn clang_triple(&self) -> &'static str {
        match self.name {
            "armv7-linux-gnueabihf" => "armv7a-linux-gnueabihf",
            other => other,
        }
    }

    /// The Debian architecture name, as in `libc6-dev-<arch>-cross`.
    pub fn debian_arch(&self) -> &'static str {
        match self.name {
            "x86_64-linux-gnu" => "amd64",
            "i386-linux-gnu" => "i386",
            "aarch64-linux-gnu" => "arm64",
            "armv7-linux-gnueabihf" => "armhf",
            "s390x-linux-gnu" => "s390x",
            "powerpc64-linux-gnu" => "ppc64",
            "powerpc-linux-gnu" => "powerpc",
            _ => "riscv64",
        }
    }

    /// Whether this is the target the program runs on.
    pub fn is_host(&self) -> bool {
        Target::host().is_some_and(|h| h.name == self.name)
    }

    /// Parses a comma-separated list of target names, or `all`.
    pub fn parse_list(list: &str) -> Result<Vec<&'static Target>, String> {
        if list.trim() == "all" {
            return Ok(TARGETS.iter().collect());
        }
        let mut out: Vec<&'static Target> = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let Some(t) = Target::by_name(name) else {
                let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
                return Err(format!(
                    "unknown target '{name}'; expected 'all' or some of: {}",
                    names.join(", ")
                ));
            };
            if !out.iter().any(|o| o.name == t.name) {
                out.push(t);
            }
        }
        if out.is_empty() {
            return Err("empty target list".into());
        }
        Ok(out)
    }

    /// The Debian multiarch directory name (`/usr/include/<this>`).
    pub fn multiarch(&self) -> &'static str {
        match self.name {
            "i386-linux-gnu" => "i386-linux-gnu",
            "armv7-linux-gnueabihf" => "arm-linux-gnueabihf",
            other => other,
        }
    }

    /// The macros a GCC for this target predefines that headers test, as
    /// `(name, replacement)` pairs.
    pub fn predefined_macros(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut def = |k: &str, v: String| out.push((k.to_string(), v));

        for (k, v) in [
            ("__STDC__", "1"),
            ("__STDC_VERSION__", "201710L"),
            ("__STDC_HOSTED__", "1"),
            ("__GNUC__", "12"),
            ("__GNUC_MINOR__", "2"),
            ("__GNUC_PATCHLEVEL__", "0"),
            ("__GNUC_STDC_INLINE__", "1"),
            ("__linux__", "1"),
            ("__linux", "1"),
            ("linux", "1"),
            ("__unix__", "1"),
            ("__unix", "1"),
            ("unix", "1"),
            ("__gnu_linux__", "1"),
            ("__ELF__", "1"),
            ("__CHAR_BIT__", "8"),
            ("__ORDER_LITTLE_ENDIAN__", "1234"),
            ("__ORDER_BIG_ENDIAN__", "4321"),
            ("__ORDER_PDP_ENDIAN__", "3412"),
            ("__SIZEOF_SHORT__", "2"),
            ("__SIZEOF_INT__", "4"),
            ("__SIZEOF_LONG_LONG__", "8"),
            ("__SIZEOF_FLOAT__", "4"),
            ("__SIZEOF_DOUBLE__", "8"),
            ("__SCHAR_MAX__", "0x7f"),
            ("__SHRT_MAX__", "0x7fff"),
            ("__INT_MAX__", "0x7fffffff"),
            ("__LONG_LONG_MAX__", "0x7fffffffffffffffLL"),
            ("__CHAR16_TYPE__", "short unsigned int"),
            ("__CHAR32_TYPE__", "unsigned int"),
            ("__ATOMIC_RELAXED", "0"),
            ("__ATOMIC_SEQ_CST", "5"),
        ] {
            def(k, v.to_string());
        }

        let lp64 = self.is_lp64();
        if lp64 {
            def("__LP64__", "1".into());
            def("_LP64", "1".into());
        }
        let order =
            if self.big_endian { "__ORDER_BIG_ENDIAN__" } else { "__ORDER_LITTLE_ENDIAN__" };
        def("__BYTE_ORDER__", order.into());
        def("__FLOAT_WORD_ORDER__", order.into());
        def("__SIZEOF_LONG__", self.long.size.to_string());
        def("__SIZEOF_POINTER__", self.pointer.size.to_string());
        def("__SIZEOF_LONG_DOUBLE__", self.long_double.size.to_string());
        def("__SIZEOF_SIZE_T__", self.pointer.size.to_string());
        def("__SIZEOF_WCHAR_T__", "4".into());
        def("__SIZEOF_WINT_T__", "4".into());
        def("__SIZEOF_PTRDIFF_T__", self.pointer.size.to_string());
        def("__BIGGEST_ALIGNMENT__", self.biggest_alignment.to_string());
        let long_max = if lp64 { "0x7fffffffffffffffL" } else { "0x7fffffffL" };
        def("__LONG_MAX__", long_max.into());
        for (k, v) in self.integer_macros() {
            def(&k, v);
        }
        if self.char_unsigned {
            def("__CHAR_UNSIGNED__", "1".into());
        }
        for (k, v) in self.arch_macros {
            def(k, v.to_string());
        }
        out
    }

    /// GCC's `<stdint.h>` support macros: the types (`__INT_FAST16_TYPE__`),
    /// their limits (`__UINT64_MAX__`), widths (`__LONG_WIDTH__`) and
    /// constant suffixes (`__INT64_C(c)`), derived from the data model the
    /// way GCC spells them for Linux.
    fn integer_macros(&self) -> Vec<(String, String)> {
        let lp64 = self.is_lp64();
        let long_bits = 8 * self.long.size as u32;
        let schar = CInt::new("signed char", 8, true, "");
        let uchar = CInt::new("unsigned char", 8, false, "");
        let short = CInt::new("short int", 16, true, "");
        let ushort = CInt::new("short unsigned int", 16, false, "");
        let sint = CInt::new("int", 32, true, "");
        let uint = CInt::new("unsigned int", 32, false, "U");
        let long = CInt::new("long int", long_bits, true, "L");
        let ulong = CInt::new("long unsigned int", long_bits, false, "UL");
        let llong = CInt::new("long long int", 64, true, "LL");
        let ullong = CInt::new("long long unsigned int", 64, false, "ULL");
        let (i64, u64) = if lp64 { (&long, &ulong) } else { (&llong, &ullong) };
        let (word, uword) = if lp64 { (&long, &ulong) } else { (&sint, &uint) };
        let (size, ptrdiff) = if lp64 { (&ulong, &long) } else { (&uint, &sint) };
        let wchar = match self.wchar_type {
            "unsigned int" => &uint,
            "long int" => &long,
            _ => &sint,
        };

        let mut out = Vec::new();
        let mut def = |k: &str, v: String| out.push((k.to_string(), v));
        let sizes =
            [(8, &schar, &uchar), (16, &short, &ushort), (32, &sint, &uint), (64, i64, u64)];
        for (n, s, u) in sizes {
            let (fs, fu) = match n {
                8 => (&schar, &uchar),
                16 | 32 => (word, uword),
                _ => (i64, u64),
            };
            for (prefix, t) in [
                (format!("INT{n}"), s),
                (format!("UINT{n}"), u),
                (format!("INT_LEAST{n}"), s),
                (format!("UINT_LEAST{n}"), u),
                (format!("INT_FAST{n}"), fs),
                (format!("UINT_FAST{n}"), fu),
            ] {
                t.define(&prefix, &mut def);
            }
            def(&format!("__INT{n}_C(c)"), s.constant());
            def(&format!("__UINT{n}_C(c)"), u.constant());
        }
        i64.define("INTMAX", &mut def);
        u64.define("UINTMAX", &mut def);
        def("__INTMAX_C(c)", i64.constant());
        def("__UINTMAX_C(c)", u64.constant());
        word.define("INTPTR", &mut def);
        uword.define("UINTPTR", &mut def);
        ptrdiff.define("PTRDIFF", &mut def);
        size.define("SIZE", &mut def);
        def("__SIZE_WIDTH__", size.bits.to_string());
        sint.define("SIG_ATOMIC", &mut def);
        def("__SIG_ATOMIC_MIN__", "(-__SIG_ATOMIC_MAX__ - 1)".into());
        wchar.define("WCHAR", &mut def);
        let wchar_min = if wchar.signed { "(-__WCHAR_MAX__ - 1)" } else { "0U" };
        def("__WCHAR_MIN__", wchar_min.into());
        def("__WCHAR_WIDTH__", "32".into());
        def("__WINT_TYPE__", "unsigned int".into());
        def("__WINT_MAX__", "0xffffffffU".into());
        def("__WINT_MIN__", "0U".into());
        def("__WINT_WIDTH__", "32".into());
        for (name, t) in [("SCHAR", &schar), ("SHRT", &short), ("INT", &sint), ("LONG", &long)] {
            def(&format!("__{name}_WIDTH__"), t.bits.to_string());
        }
        def("__LONG_LONG_WIDTH__", "64".into());
        out
    }
}

/// A C integer type as GCC's predefined macros spell it.
struct CInt {
    name: &'static str,
    bits: u32,
    signed: bool,
    /// The suffix of its constants (`L`, `ULL`), none below `int`.
    suffix: &'static str,
}

impl CInt {
    fn new(name: &'static str, bits: u32, signed: bool, suffix: &'static str) -> CInt {
        CInt { name, bits, signed, suffix }
    }

    /// `__<P>_TYPE__`, `__<P>_MAX__` and, for signed types other than
    /// `INT<N>`, `__<P>_WIDTH__`.
    fn define(&self, prefix: &str, def: &mut impl FnMut(&str, String)) {
        def(&format!("__{prefix}_TYPE__"), self.name.to_string());
        let digits = if self.signed { self.bits - 1 } else { self.bits };
        def(&format!("__{prefix}_MAX__"), format!("0x{:x}{}", (1u128 << digits) - 1, self.suffix));
        // GCC gives widths for the least, fast and other types, not for
        // the exact-width ones.
        let exact = prefix.starts_with("INT") && prefix[3..].bytes().all(|b| b.is_ascii_digit());
        if self.signed && !exact {
            def(&format!("__{prefix}_WIDTH__"), self.bits.to_string());
        }
    }

    /// The replacement of `__<P>_C(c)`.
    fn constant(&self) -> String {
        match self.suffix {
            "" => "c".to_string(),
            suffix => format!("c ## {suffix}"),
        }
    }
}

#[cfg(test)]
mod tests;
