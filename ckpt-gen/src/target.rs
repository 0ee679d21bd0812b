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
];

const ARMV7: &[(&str, &str)] = &[
    ("__arm__", "1"),
    ("__ARM_ARCH", "7"),
    ("__ARM_ARCH_7A__", "1"),
    ("__ARM_EABI__", "1"),
    ("__ARM_PCS_VFP", "1"),
    ("__ARMEL__", "1"),
    ("__thumb2__", "1"),
];

const S390X: &[(&str, &str)] = &[
    ("__s390__", "1"),
    ("__s390x__", "1"),
    ("__zarch__", "1"),
    ("__LONG_DOUBLE_128__", "1"),
    ("__SIZEOF_INT128__", "16"),
];

const PPC64: &[(&str, &str)] = &[
    ("__powerpc__", "1"),
    ("__powerpc64__", "1"),
    ("__PPC__", "1"),
    ("__PPC64__", "1"),
    ("__ppc__", "1"),
    ("__ppc64__", "1"),
    ("_ARCH_PPC", "1"),
    ("_ARCH_PPC64", "1"),
    // Big-endian ppc64 is ELFv1 (ELFv2 is ppc64le's).
    ("_CALL_ELF", "1"),
    ("__BIG_ENDIAN__", "1"),
    ("_BIG_ENDIAN", "1"),
    ("__LONG_DOUBLE_128__", "1"),
    ("__LONG_DOUBLE_IBM128__", "1"),
    ("__SIZEOF_INT128__", "16"),
];

const PPC: &[(&str, &str)] = &[
    ("__powerpc__", "1"),
    ("__PPC__", "1"),
    ("__ppc__", "1"),
    ("_ARCH_PPC", "1"),
    ("__BIG_ENDIAN__", "1"),
    ("_BIG_ENDIAN", "1"),
    ("__LONG_DOUBLE_128__", "1"),
    ("__LONG_DOUBLE_IBM128__", "1"),
];

const RISCV64: &[(&str, &str)] = &[
    ("__riscv", "1"),
    ("__riscv_xlen", "64"),
    ("__riscv_float_abi_double", "1"),
    ("__riscv_flen", "64"),
    ("__SIZEOF_INT128__", "16"),
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
            ("__WCHAR_MAX__", "0x7fffffff"),
            ("__INT8_TYPE__", "signed char"),
            ("__INT16_TYPE__", "short int"),
            ("__INT32_TYPE__", "int"),
            ("__UINT8_TYPE__", "unsigned char"),
            ("__UINT16_TYPE__", "short unsigned int"),
            ("__UINT32_TYPE__", "unsigned int"),
            ("__CHAR16_TYPE__", "short unsigned int"),
            ("__CHAR32_TYPE__", "unsigned int"),
            ("__WCHAR_TYPE__", "int"),
            ("__WINT_TYPE__", "unsigned int"),
            ("__ATOMIC_RELAXED", "0"),
            ("__ATOMIC_SEQ_CST", "5"),
        ] {
            def(k, v.to_string());
        }

        let lp64 = self.is_lp64();
        if lp64 {
            def("__LP64__", "1".into());
            def("_LP64", "1".into());
        } else {
            def("_ILP32", "1".into());
            def("__ILP32__", "1".into());
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
        let (size_type, ptrdiff_type, int64, intptr) = if lp64 {
            ("long unsigned int", "long int", "long int", "long int")
        } else {
            ("unsigned int", "int", "long long int", "int")
        };
        def("__SIZE_TYPE__", size_type.into());
        def("__PTRDIFF_TYPE__", ptrdiff_type.into());
        def("__INTPTR_TYPE__", intptr.into());
        def(
            "__UINTPTR_TYPE__",
            format!("{intptr} unsigned").replace("int unsigned", "unsigned int"),
        );
        def("__INTMAX_TYPE__", int64.into());
        def("__INT64_TYPE__", int64.into());
        def("__UINT64_TYPE__", format!("{} unsigned int", int64.trim_end_matches(" int")));
        if self.char_unsigned {
            def("__CHAR_UNSIGNED__", "1".into());
        }
        if !self.big_endian {
            def("__LITTLE_ENDIAN__", "1".into());
        }
        for (k, v) in self.arch_macros {
            def(k, v.to_string());
        }
        out
    }
}

#[cfg(test)]
mod tests;
