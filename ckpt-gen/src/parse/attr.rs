//! GNU attributes (`__attribute__((...))`) and C23 `[[...]]` attributes.
//!
//! Takes: the tokens of one or more attribute specifiers, wherever GCC
//! accepts them. Returns: the attributes that change layout, as [`Attrs`]:
//! `packed`, `aligned` (with or without argument), `vector_size(N)` and
//! `mode(M)`. Every other attribute is skipped, whatever its arguments. The
//! caller decides what the attributes apply to (record, member, typedef,
//! type), following where they were written.

use super::{PResult, Parser};
use crate::ir::{Expr, FloatKind};

/// The layout-relevant attributes of one position.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Attrs {
    /// `packed`.
    pub packed: bool,
    /// `aligned(N)` (`Some`) and `aligned` (`None`, the biggest alignment),
    /// also `_Alignas`, in source order.
    pub aligned: Vec<Option<Expr>>,
    /// `vector_size(N)`.
    pub vector_size: Option<Expr>,
    /// `mode(M)`.
    pub mode: Option<Mode>,
}

/// A machine mode named by `mode(...)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Mode {
    /// An integer of this many bytes (`QI` 1, `HI` 2, `SI` 4, `DI` 8, `TI`
    /// 16).
    Int(u8),
    /// A pointer-sized integer (`word`, `pointer`).
    Word,
    /// A floating mode (`SF`, `DF`, `XF`, `TF`, `HF`).
    Float(FloatKind),
    /// A complex floating mode (`SC`, `DC`, `XC`, `TC`, `HC`).
    Complex(FloatKind),
    /// A vector mode (`V4SF`): this many elements of an inner mode.
    Vector(u32, ScalarMode),
}

/// The element of a vector mode.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum ScalarMode {
    /// An integer of this many bytes.
    Int(u8),
    /// A floating type.
    Float(FloatKind),
}

impl Attrs {
    /// Adds the attributes of `other` (written later) to these.
    pub fn merge(&mut self, other: Attrs) {
        self.packed |= other.packed;
        self.aligned.extend(other.aligned);
        if other.vector_size.is_some() {
            self.vector_size = other.vector_size;
        }
        if other.mode.is_some() {
            self.mode = other.mode;
        }
    }

    /// These attributes followed by `other`.
    pub fn merged(mut self, other: Attrs) -> Attrs {
        self.merge(other);
        self
    }
}

/// What `aligned` without argument means: the target's
/// `__BIGGEST_ALIGNMENT__` (8 on armv7 and s390x, 16 elsewhere).
pub(super) fn biggest_alignment() -> Expr {
    Expr::BiggestAlignment
}

/// The name of an attribute without the `__` GCC allows around it.
fn normalize(name: &str) -> &str {
    let name = name.strip_prefix("__").unwrap_or(name);
    name.strip_suffix("__").unwrap_or(name)
}

/// The mode named `name` (`__QI__` already normalized to `QI`).
fn mode_of(name: &str) -> Option<Mode> {
    if let Some(scalar) = scalar_mode(name) {
        return Some(match scalar {
            ScalarMode::Int(n) => Mode::Int(n),
            ScalarMode::Float(k) => Mode::Float(k),
        });
    }
    let complex = |k| Some(Mode::Complex(k));
    match name {
        "word" | "pointer" | "unwind_word" | "libgcc_cmp_return" | "libgcc_shift_count" => {
            Some(Mode::Word)
        }
        "SC" => complex(FloatKind::Float),
        "DC" => complex(FloatKind::Double),
        "XC" => complex(FloatKind::Float80),
        "TC" => complex(FloatKind::Float128),
        "HC" => complex(FloatKind::Float16),
        _ => vector_mode(name),
    }
}

/// The scalar modes.
fn scalar_mode(name: &str) -> Option<ScalarMode> {
    Some(match name {
        "QI" | "byte" => ScalarMode::Int(1),
        "HI" => ScalarMode::Int(2),
        "SI" => ScalarMode::Int(4),
        "DI" => ScalarMode::Int(8),
        "TI" => ScalarMode::Int(16),
        "SF" => ScalarMode::Float(FloatKind::Float),
        "DF" => ScalarMode::Float(FloatKind::Double),
        "XF" => ScalarMode::Float(FloatKind::Float80),
        "TF" => ScalarMode::Float(FloatKind::Float128),
        "HF" => ScalarMode::Float(FloatKind::Float16),
        _ => return None,
    })
}

/// `V<n><scalar>`, such as `V4SF`.
fn vector_mode(name: &str) -> Option<Mode> {
    let rest = name.strip_prefix('V')?;
    let digits = rest.find(|c: char| !c.is_ascii_digit())?;
    let count = rest[..digits].parse().ok()?;
    Some(Mode::Vector(count, scalar_mode(&rest[digits..])?))
}

impl Parser<'_> {
    /// Whether an attribute specifier starts here.
    pub(super) fn at_attribute(&self) -> bool {
        self.at("__attribute__") || self.at("__attribute") || (self.at("[") && self.at_n(1, "["))
    }

    /// Parses any number of consecutive attribute specifiers.
    pub(super) fn attributes(&mut self) -> PResult<Attrs> {
        let mut attrs = Attrs::default();
        while self.at_attribute() {
            if self.at("[") {
                self.bump();
                self.bump();
                self.attribute_list(&mut attrs, "]")?;
                self.expect("]", "to end '[[' attribute")?;
            } else {
                self.bump();
                self.expect("(", "after '__attribute__'")?;
                self.expect("(", "after '__attribute__('")?;
                self.attribute_list(&mut attrs, ")")?;
                self.expect(")", "to end '__attribute__'")?;
            }
        }
        Ok(attrs)
    }

    /// The comma-separated attributes up to (and including) `close`.
    fn attribute_list(&mut self, attrs: &mut Attrs, close: &str) -> PResult<()> {
        loop {
            if self.eat(close) {
                return Ok(());
            }
            if self.eat(",") {
                continue;
            }
            let name = self.expect_ident("or ',' in attribute list")?;
            let mut name = name.text();
            // C23 scoped names: `gnu::packed`.
            if self.at("::") || (self.at(":") && self.at_n(1, ":")) {
                if !self.eat("::") {
                    self.bump();
                    self.bump();
                }
                name = self.expect_ident("after '::' in attribute")?.text();
            }
            self.attribute(attrs, normalize(name))?;
            if !self.at(",") && !self.at(close) {
                let msg = format!(
                    "expected ',' or '{close}' after attribute '{name}', found {}",
                    self.found()
                );
                return Err(self.error_here(msg));
            }
        }
    }

    /// One attribute, its name read, its arguments (if any) next.
    fn attribute(&mut self, attrs: &mut Attrs, name: &str) -> PResult<()> {
        if !self.at("(") {
            match name {
                "packed" => attrs.packed = true,
                "aligned" => attrs.aligned.push(None),
                _ => {}
            }
            return Ok(());
        }
        match name {
            "aligned" => {
                let e = self.attribute_argument()?;
                attrs.aligned.push(Some(e));
            }
            "vector_size" => attrs.vector_size = Some(self.attribute_argument()?),
            "mode" => attrs.mode = Some(self.mode_argument()?),
            _ => self.skip_balanced()?,
        }
        Ok(())
    }

    /// `( constant-expression )`.
    fn attribute_argument(&mut self) -> PResult<Expr> {
        self.expect("(", "before attribute argument")?;
        let e = self.constant_expr()?;
        self.expect(")", "after attribute argument")?;
        Ok(e)
    }

    /// `( mode-name )`.
    fn mode_argument(&mut self) -> PResult<Mode> {
        self.expect("(", "after 'mode'")?;
        let t = self.expect_ident("as machine mode")?;
        self.expect(")", "after machine mode")?;
        let name = normalize(t.text());
        mode_of(name).ok_or_else(|| self.error_at(t.loc, format!("unknown machine mode '{name}'")))
    }

    /// Skips an `__asm__("name")` label after a declarator, if present.
    pub(super) fn skip_asm_label(&mut self) -> PResult<()> {
        if !(self.at("__asm__") || self.at("__asm") || self.at("asm")) {
            return Ok(());
        }
        self.bump();
        while self.at("volatile") || self.at("__volatile__") || self.at("goto") || self.at("inline")
        {
            self.bump();
        }
        if !self.at("(") {
            return Err(
                self.error_here(format!("expected '(' after 'asm', found {}", self.found()))
            );
        }
        self.skip_balanced()
    }
}
