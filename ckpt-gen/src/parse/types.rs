//! Declaration specifiers, declarators and type names (C17 6.7.2-6.7.7).
//!
//! Takes: tokens at the start of a declaration, member, parameter or type
//! name. Returns: [`Specs`] (the base type, `typedef`, declaration
//! attributes) and [`Declarator`]s that derive pointer, array and function
//! types from it. Struct, union and enum specifiers are delegated to
//! `record.rs` and `decl.rs`; qualifiers and storage classes other than
//! `typedef` are dropped (they do not change layout).

use super::attr::{Attrs, Mode, ScalarMode};
use super::{PResult, Parser};
use crate::ir::{Expr, FloatKind, IntKind, Loc, RecordId, Type};
use crate::lex::{Token, TokenKind};

/// Qualifiers, storage classes and function specifiers that do not change
/// layout (`_Atomic` is handled apart because of `_Atomic(T)`).
const IGNORED: &[&str] = &[
    "const",
    "volatile",
    "restrict",
    "__restrict",
    "__restrict__",
    "__const",
    "__const__",
    "__volatile",
    "__volatile__",
    "register",
    "static",
    "extern",
    "inline",
    "__inline",
    "__inline__",
    "_Noreturn",
    "_Thread_local",
    "thread_local",
    "__thread",
    "__extension__",
    "auto",
    "constexpr",
];

/// Type specifier keywords that combine (`unsigned long int`).
const TYPE_WORDS: &[&str] = &[
    "void",
    "char",
    "short",
    "int",
    "long",
    "signed",
    "__signed",
    "__signed__",
    "unsigned",
    "_Bool",
    "float",
    "double",
    "_Complex",
    "__complex__",
    "__complex",
    "__int128",
];

/// Other words that start a type name.
const TYPE_STARTS: &[&str] = &[
    "struct",
    "union",
    "enum",
    "typeof",
    "__typeof__",
    "__typeof",
    "typeof_unqual",
    "__typeof_unqual__",
    "_Atomic",
    "__attribute__",
    "__attribute",
    "_Alignas",
    "alignas",
];

/// Where a declaration appears: it decides what the error messages expect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ctx {
    /// An external declaration.
    File,
    /// A member of a struct or union.
    Member,
    /// A function parameter.
    Param,
    /// A type name in a cast, `sizeof`, `_Alignof`, ...
    TypeName,
}

impl Ctx {
    fn expected(self) -> &'static str {
        match self {
            Ctx::File => "a declaration",
            Ctx::Member => "a member declaration",
            Ctx::Param => "a parameter declaration",
            Ctx::TypeName => "a type name",
        }
    }
}

/// The declaration specifiers of one declaration.
#[derive(Clone, Debug)]
pub(super) struct Specs {
    /// The type they name.
    pub ty: Type,
    /// `typedef` was among them.
    pub is_typedef: bool,
    /// Attributes and `_Alignas` among them: they apply to every declarator.
    pub attrs: Attrs,
    /// An untagged struct or union defined here, to be named after the
    /// declarator (or as an anonymous member).
    pub untagged: Option<RecordId>,
    /// Where the specifiers start.
    pub loc: Loc,
}

/// The base types a specifier list can name.
#[derive(Clone, Debug)]
enum Base {
    Void,
    Char,
    Bool,
    Int128,
    Float,
    Double,
    Ext(FloatKind),
    Named(Type),
}

/// What a specifier list has seen so far.
#[derive(Default)]
struct Counts {
    long: u8,
    short: bool,
    signed: bool,
    unsigned: bool,
    int: bool,
    complex: bool,
    /// `_Atomic` as a qualifier.
    atomic: bool,
    base: Option<Base>,
    /// Any specifier, qualifier or attribute.
    any: bool,
}

impl Counts {
    /// Whether a type specifier has been seen (after which an identifier is
    /// a declarator, not a typedef name).
    fn has_type(&self) -> bool {
        self.base.is_some() || self.modifiers() || self.complex
    }

    fn modifiers(&self) -> bool {
        self.long > 0 || self.short || self.signed || self.unsigned || self.int
    }

    /// The type named, or why the combination is invalid.
    fn resolve(&self) -> Result<Type, &'static str> {
        let sized = self.long > 0 || self.short || self.int;
        let plain = !self.modifiers();
        match &self.base {
            None if self.complex && plain => Ok(Type::Complex(FloatKind::Double)),
            None if self.complex => Err("complex integer types are not supported"),
            None => self.int_kind().map(Type::Int),
            Some(Base::Void) if plain && !self.complex => Ok(Type::Void),
            Some(Base::Char) if !sized && !self.complex => Ok(Type::Int(self.char_kind())),
            Some(Base::Bool) if plain && !self.complex => Ok(Type::Int(IntKind::Bool)),
            Some(Base::Int128) if !sized && !self.complex => Ok(Type::Int(self.int128_kind())),
            Some(Base::Float) if plain => Ok(self.floating(FloatKind::Float)),
            Some(Base::Double) if !self.short && !self.int && !self.signed && !self.unsigned => {
                match self.long {
                    0 => Ok(self.floating(FloatKind::Double)),
                    1 => Ok(self.floating(FloatKind::LongDouble)),
                    _ => Err("invalid combination of type specifiers"),
                }
            }
            Some(Base::Ext(k)) if plain => Ok(self.floating(*k)),
            Some(Base::Named(ty)) if plain && !self.complex => Ok(ty.clone()),
            _ => Err("invalid combination of type specifiers"),
        }
    }

    fn int_kind(&self) -> Result<IntKind, &'static str> {
        if (self.short && self.long > 0) || (self.signed && self.unsigned) || self.long > 2 {
            return Err("invalid combination of type specifiers");
        }
        let u = self.unsigned;
        Ok(match (self.short, self.long) {
            (true, _) => pick(u, IntKind::UShort, IntKind::Short),
            (_, 1) => pick(u, IntKind::ULong, IntKind::Long),
            (_, 2) => pick(u, IntKind::ULongLong, IntKind::LongLong),
            _ => pick(u, IntKind::UInt, IntKind::Int),
        })
    }

    fn char_kind(&self) -> IntKind {
        match (self.signed, self.unsigned) {
            (true, false) => IntKind::SChar,
            (false, true) => IntKind::UChar,
            _ => IntKind::Char,
        }
    }

    fn int128_kind(&self) -> IntKind {
        pick(self.unsigned, IntKind::UInt128, IntKind::Int128)
    }

    fn floating(&self, k: FloatKind) -> Type {
        if self.complex {
            Type::Complex(k)
        } else {
            Type::Float(k)
        }
    }
}

/// `_Atomic` applied to `ty` (once: `_Atomic _Atomic(int)` is one atomic
/// type).
fn atomic(ty: Type) -> Type {
    match ty {
        Type::Atomic(_) => ty,
        _ => Type::Atomic(Box::new(ty)),
    }
}

fn pick(unsigned: bool, u: IntKind, s: IntKind) -> IntKind {
    if unsigned {
        u
    } else {
        s
    }
}

/// GCC's built-in type names that are not keywords: a header may declare a
/// typedef of the same name (`typedef __float128 _Float128;`).
fn builtin_type(name: &str) -> Option<Base> {
    Some(match name {
        "_Float16" => Base::Ext(FloatKind::Float16),
        "_Float32" => Base::Float,
        "_Float64" | "_Float32x" => Base::Double,
        "_Float64x" => Base::Ext(FloatKind::LongDouble),
        "_Float128" | "__float128" => Base::Ext(FloatKind::Float128),
        "__float80" => Base::Ext(FloatKind::Float80),
        "__int128_t" => Base::Named(Type::Int(IntKind::Int128)),
        "__uint128_t" => Base::Named(Type::Int(IntKind::UInt128)),
        "__builtin_va_list" => Base::Named(Type::VaList),
        _ => return None,
    })
}

/// A pointer, array or function derivation, or a name, applied to a base
/// type (C17 6.7.6).
#[derive(Clone, Debug, Default)]
pub(super) struct Declarator {
    /// The declared identifier; `None` for an abstract declarator.
    pub name: Option<Token>,
    /// Attributes written inside the declarator.
    pub attrs: Attrs,
    pointers: usize,
    suffixes: Vec<Suffix>,
    inner: Option<Box<Declarator>>,
}

#[derive(Clone, Debug)]
enum Suffix {
    Array(Option<Expr>),
    Function,
}

impl Declarator {
    /// The type declared for `base`: `*` binds looser than `[]` and `()`,
    /// and a parenthesized declarator applies last.
    pub fn apply(self, base: Type) -> Type {
        let mut ty = base;
        for _ in 0..self.pointers {
            ty = Type::Pointer(Box::new(ty));
        }
        for suffix in self.suffixes.into_iter().rev() {
            ty = match suffix {
                Suffix::Array(len) => Type::Array { elem: Box::new(ty), len: len.map(Box::new) },
                Suffix::Function => Type::Function,
            };
        }
        match self.inner {
            Some(inner) => inner.apply(ty),
            None => ty,
        }
    }
}

/// Whether a declarator must, may or must not have a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DeclKind {
    /// Declarations and members.
    Named,
    /// Type names: casts, `sizeof`.
    Abstract,
    /// Parameters: either; array lengths are skipped (they are adjusted to
    /// pointers, and may name other parameters).
    Param,
}

impl Parser<'_> {
    /// Parses declaration specifiers (C17 6.7p1).
    pub(super) fn decl_specifiers(&mut self, ctx: Ctx) -> PResult<Specs> {
        let loc = self.loc();
        let mut specs = Specs {
            ty: Type::Void,
            is_typedef: false,
            attrs: Attrs::default(),
            untagged: None,
            loc,
        };
        let mut counts = Counts::default();
        while self.specifier(ctx, &mut specs, &mut counts)? {}

        if !counts.has_type() {
            if !counts.any {
                let msg = format!("expected {}, found {}", ctx.expected(), self.found());
                return Err(self.error_here(msg));
            }
            // Implicit int (`const x;`): C89, still accepted by GCC.
            counts.int = true;
        }
        specs.ty = counts.resolve().map_err(|msg| self.error_at(loc, msg))?;
        if counts.atomic {
            specs.ty = atomic(specs.ty);
        }
        Ok(specs)
    }

    /// One specifier; `false` when the current token is none.
    fn specifier(&mut self, ctx: Ctx, specs: &mut Specs, c: &mut Counts) -> PResult<bool> {
        if self.at_attribute() {
            let attrs = self.attributes()?;
            specs.attrs.merge(attrs);
            c.any = true;
            return Ok(true);
        }
        let Some(t) = self.peek().filter(|t| t.kind == TokenKind::Ident) else { return Ok(false) };
        let word = t.text();
        match word {
            _ if IGNORED.contains(&word) => {
                self.bump();
            }
            "_Atomic" if !self.at_n(1, "(") => {
                self.bump();
                c.atomic = true;
            }
            "typedef" => {
                self.bump();
                specs.is_typedef = true;
            }
            "_Atomic" => {
                self.bump();
                let ty = self.paren_type_name("_Atomic")?;
                self.set_base(c, Base::Named(atomic(ty)), t)?;
            }
            "_Alignas" | "alignas" => {
                let e = self.alignas()?;
                specs.attrs.aligned.push(Some(e));
            }
            "struct" | "union" => {
                let (ty, untagged) = self.record_specifier(&mut specs.attrs)?;
                specs.untagged = untagged.or(specs.untagged);
                self.set_base(c, Base::Named(ty), t)?;
            }
            "enum" => {
                let ty = self.enum_specifier(&mut specs.attrs)?;
                self.set_base(c, Base::Named(ty), t)?;
            }
            "typeof" | "__typeof__" | "__typeof" | "typeof_unqual" | "__typeof_unqual__" => {
                let ty = self.typeof_specifier()?;
                self.set_base(c, Base::Named(ty), t)?;
            }
            _ => return self.word_specifier(ctx, c, t),
        }
        c.any = true;
        Ok(true)
    }

    /// A type keyword, typedef name, built-in type name or unknown type
    /// name.
    fn word_specifier(&mut self, ctx: Ctx, c: &mut Counts, t: Token) -> PResult<bool> {
        let word = t.text();
        if TYPE_WORDS.contains(&word) {
            self.bump();
            c.any = true;
            return self.type_word(c, t).map(|()| true);
        }
        if c.has_type() {
            return Ok(false);
        }
        let base = if let Some(id) = self.scope().typedef(word) {
            Base::Named(Type::Typedef(id))
        } else if let Some(base) = builtin_type(word) {
            base
        } else if ctx != Ctx::TypeName && self.looks_like_unknown_type() {
            self.error_at(t.loc, format!("unknown type name '{word}'"));
            Base::Named(Type::Unknown(word.to_string()))
        } else {
            return Ok(false);
        };
        self.bump();
        c.any = true;
        self.set_base(c, base, t).map(|()| true)
    }

    /// Counts one of [`TYPE_WORDS`].
    fn type_word(&mut self, c: &mut Counts, t: Token) -> PResult<()> {
        match t.text() {
            "long" => c.long = c.long.saturating_add(1),
            "short" => c.short = true,
            "int" => c.int = true,
            "signed" | "__signed" | "__signed__" => c.signed = true,
            "unsigned" => c.unsigned = true,
            "_Complex" | "__complex__" | "__complex" => c.complex = true,
            "void" => return self.set_base(c, Base::Void, t),
            "char" => return self.set_base(c, Base::Char, t),
            "_Bool" => return self.set_base(c, Base::Bool, t),
            "__int128" => return self.set_base(c, Base::Int128, t),
            "float" => return self.set_base(c, Base::Float, t),
            _ => return self.set_base(c, Base::Double, t),
        }
        Ok(())
    }

    /// An identifier that is not a type, followed by what can only follow a
    /// type (`undefined_t x;`, `undefined_t *p;`): a missing typedef.
    fn looks_like_unknown_type(&self) -> bool {
        match self.peek_at(1) {
            Some(next) if next.is("*") => true,
            Some(next) if next.kind == TokenKind::Ident => {
                !self.starts_type_name(next) && !IGNORED.contains(&next.text())
            }
            _ => false,
        }
    }

    fn set_base(&mut self, c: &mut Counts, base: Base, t: Token) -> PResult<()> {
        if c.base.is_some() {
            let msg = format!("cannot combine '{}' with the previous type specifier", t.text());
            return Err(self.error_at(t.loc, msg));
        }
        c.base = Some(base);
        Ok(())
    }

    /// `_Alignas ( type-name )` or `_Alignas ( constant-expression )`.
    fn alignas(&mut self) -> PResult<Expr> {
        self.bump();
        self.expect("(", "after '_Alignas'")?;
        let e = if self.peek().is_some_and(|t| self.starts_type_name(t)) {
            Expr::AlignOf(Box::new(self.type_name()?))
        } else {
            self.constant_expr()?
        };
        self.expect(")", "after '_Alignas' argument")?;
        Ok(e)
    }

    /// `typeof ( type-name )`; `typeof` of an expression is reported.
    fn typeof_specifier(&mut self) -> PResult<Type> {
        let kw = self.bump();
        if !self.at("(") {
            return Err(
                self.error_here(format!("expected '(' after 'typeof', found {}", self.found()))
            );
        }
        if self.peek_at(1).is_some_and(|t| self.starts_type_name(t)) {
            return self.paren_type_name("typeof");
        }
        // The expressions whose type needs no evaluation: `sizeof`,
        // `_Alignof` and `offsetof` are `size_t` (`unsigned long` on every
        // Linux data model), a lone integer constant has its literal type.
        let first = self.peek_at(1).map(|t| t.text());
        let sized =
            ["sizeof", "_Alignof", "__alignof__", "__alignof", "offsetof", "__builtin_offsetof"];
        if first.is_some_and(|w| sized.contains(&w)) {
            self.skip_balanced()?;
            return Ok(Type::Int(IntKind::ULong));
        }
        if self.peek_at(1).is_some_and(|t| t.kind == TokenKind::Number) && self.at_n(2, ")") {
            if let Some(Ok(Expr::Int { unsigned, long, .. })) =
                self.peek_at(1).map(|t| super::literal::integer(t.text()))
            {
                self.skip_balanced()?;
                return Ok(Type::Int(super::expr::literal_kind(unsigned, long)));
            }
        }
        self.skip_balanced()?;
        let loc = kw.map_or_else(|| self.loc(), |t| t.loc);
        self.error_at(loc, "'typeof' of an expression is not supported: expected a type name");
        Ok(Type::Unknown("typeof(expression)".to_string()))
    }

    /// `( type-name )` after `what`.
    pub(super) fn paren_type_name(&mut self, what: &str) -> PResult<Type> {
        self.expect("(", &format!("after '{what}'"))?;
        let ty = self.type_name()?;
        self.expect(")", &format!("after type name in '{what}'"))?;
        Ok(ty)
    }

    /// A type name (C17 6.7.7): specifiers and an abstract declarator.
    pub(super) fn type_name(&mut self) -> PResult<Type> {
        self.nested(|p| {
            let specs = p.decl_specifiers(Ctx::TypeName)?;
            let d = p.declarator(DeclKind::Abstract)?;
            let attrs = specs.attrs.merged(d.attrs.clone());
            let ty = d.apply(specs.ty);
            Ok(p.apply_type_attrs(ty, &attrs, specs.loc))
        })
    }

    /// Whether `t` starts a type name: a type keyword, qualifier or typedef
    /// name.
    pub(super) fn starts_type_name(&self, t: Token) -> bool {
        if t.kind != TokenKind::Ident {
            return false;
        }
        let w = t.text();
        (IGNORED.contains(&w) && w != "__extension__")
            || TYPE_WORDS.contains(&w)
            || TYPE_STARTS.contains(&w)
            || self.scope().typedef(w).is_some()
            || builtin_type(w).is_some()
    }

    /// Parses a declarator of `kind`.
    pub(super) fn declarator(&mut self, kind: DeclKind) -> PResult<Declarator> {
        self.nested(|p| p.declarator_inner(kind))
    }

    fn declarator_inner(&mut self, kind: DeclKind) -> PResult<Declarator> {
        let mut d = Declarator { attrs: self.attributes()?, ..Declarator::default() };
        while self.at("*") || self.at("^") {
            self.bump();
            d.pointers += 1;
            if d.pointers > super::MAX_DEPTH as usize {
                return Err(self.error_here("too many levels of pointers in declarator"));
            }
            self.pointer_qualifiers(&mut d.attrs)?;
        }

        if self.at("(") && self.paren_starts_declarator(kind) {
            self.bump();
            let inner = self.declarator(kind)?;
            self.expect(")", "to end parenthesized declarator")?;
            d.name = inner.name;
            d.attrs.merge(inner.attrs.clone());
            d.inner = Some(Box::new(inner));
        } else if kind != DeclKind::Abstract && self.at_declarator_name() {
            d.name = self.bump();
        } else if kind == DeclKind::Named {
            let msg = format!("expected identifier or '(' in declarator, found {}", self.found());
            return Err(self.error_here(msg));
        }

        self.declarator_suffixes(&mut d, kind)?;
        Ok(d)
    }

    /// Qualifiers and attributes after a `*`.
    fn pointer_qualifiers(&mut self, attrs: &mut Attrs) -> PResult<()> {
        loop {
            if self.at_attribute() {
                let more = self.attributes()?;
                attrs.merge(more);
            } else if self.peek().is_some_and(|t| IGNORED.contains(&t.text()) || t.is("_Atomic")) {
                self.bump();
            } else {
                return Ok(());
            }
        }
    }

    /// Whether a (named) declarator can start here.
    pub(super) fn at_declarator_start(&self) -> bool {
        self.at_declarator_name()
            || self.at("*")
            || self.at("^")
            || self.at("(")
            || self.at_attribute()
    }

    /// Whether the identifier here can be a declared name.
    fn at_declarator_name(&self) -> bool {
        self.at_ident() && !self.at("__asm__") && !self.at("__asm") && !self.at("asm")
    }

    /// Whether the `(` here opens a parenthesized declarator rather than a
    /// parameter list.
    fn paren_starts_declarator(&self, kind: DeclKind) -> bool {
        let Some(next) = self.peek_at(1) else { return false };
        if next.is("*") || next.is("^") || next.is("__attribute__") || next.is("__attribute") {
            return true;
        }
        if kind == DeclKind::Abstract {
            return false;
        }
        next.is("(") || (next.kind == TokenKind::Ident && !self.starts_type_name(next))
    }

    /// `[...]` and `(...)` after the name.
    fn declarator_suffixes(&mut self, d: &mut Declarator, kind: DeclKind) -> PResult<()> {
        loop {
            if d.suffixes.len() > super::MAX_DEPTH as usize {
                return Err(self.error_here("too many array or function suffixes in declarator"));
            }
            if self.at("[") {
                let len = self.array_suffix(kind)?;
                d.suffixes.push(Suffix::Array(len));
            } else if self.at("(") {
                self.params()?;
                d.suffixes.push(Suffix::Function);
            } else {
                return Ok(());
            }
        }
    }

    /// `[ static? qualifiers? length? ]`.
    fn array_suffix(&mut self, kind: DeclKind) -> PResult<Option<Expr>> {
        if kind == DeclKind::Param {
            self.skip_balanced()?;
            return Ok(None);
        }
        self.bump();
        while self.at("static") || self.peek().is_some_and(|t| IGNORED.contains(&t.text())) {
            self.bump();
        }
        if self.eat("]") {
            return Ok(None);
        }
        if self.at("*") && self.at_n(1, "]") {
            self.bump();
            self.bump();
            return Ok(None);
        }
        let len = self.macro_constant()?;
        self.expect("]", "after array length")?;
        Ok(Some(len))
    }

    /// A parameter list, from its `(` to its `)`; the parameters are
    /// checked but not kept (only the function type matters to layout).
    fn params(&mut self) -> PResult<()> {
        self.nested(|p| {
            p.bump();
            if p.eat(")") {
                return Ok(());
            }
            loop {
                p.param()?;
                if p.eat(")") {
                    return Ok(());
                }
                p.expect(",", "or ')' after parameter")?;
            }
        })
    }

    /// One parameter: `...`, a K&R identifier, or a declaration.
    fn param(&mut self) -> PResult<()> {
        if self.eat("...") {
            return Ok(());
        }
        let knr =
            self.peek().is_some_and(|t| t.kind == TokenKind::Ident && !self.starts_type_name(t))
                && (self.at_n(1, ",") || self.at_n(1, ")"));
        if knr {
            self.bump();
            return Ok(());
        }
        let _specs = self.decl_specifiers(super::types::Ctx::Param)?;
        self.declarator(DeclKind::Param)?;
        self.attributes()?;
        Ok(())
    }

    /// Applies `mode` and `vector_size` to a declared type.
    pub(super) fn apply_type_attrs(&mut self, ty: Type, attrs: &Attrs, loc: Loc) -> Type {
        let mut ty = ty;
        if let Some(mode) = attrs.mode {
            ty = self.apply_mode(ty, mode, loc);
        }
        match &attrs.vector_size {
            Some(size) => vectorize(ty, size),
            None => ty,
        }
    }

    /// The type `ty` becomes under `mode(M)` (arrays: their element).
    fn apply_mode(&mut self, ty: Type, mode: Mode, loc: Loc) -> Type {
        if let Type::Array { elem, len } = ty {
            let elem = Box::new(self.apply_mode(*elem, mode, loc));
            return Type::Array { elem, len };
        }
        let resolved = self.resolved(&ty);
        let unsigned = matches!(resolved, Type::Int(k) if k.is_unsigned(false));
        let moded = match (mode, &resolved) {
            (Mode::Int(n), Type::Int(_)) => int_of_size(n, unsigned).map(Type::Int),
            (Mode::Word, Type::Int(_)) => {
                Some(Type::Int(pick(unsigned, IntKind::ULong, IntKind::Long)))
            }
            (Mode::Float(k), Type::Float(_)) => Some(Type::Float(k)),
            (Mode::Complex(k), Type::Complex(_)) => Some(Type::Complex(k)),
            (Mode::Vector(n, scalar), Type::Int(_) | Type::Float(_)) => {
                vector_of(n, scalar, unsigned)
            }
            _ => None,
        };
        moded.unwrap_or_else(|| {
            self.error_at(loc, "machine mode attribute does not fit the declared type");
            ty
        })
    }

    /// `ty` with typedefs followed (bounded, and safe with foreign ids).
    pub(super) fn resolved(&self, ty: &Type) -> Type {
        let mut ty = ty;
        for _ in 0..self.ir().typedefs.len() + 1 {
            match ty {
                Type::Typedef(id) => match self.ir().typedefs.get(id.0 as usize) {
                    Some(td) => ty = &td.ty,
                    None => break,
                },
                _ => break,
            }
        }
        ty.clone()
    }
}

/// The integer type of `bytes` bytes.
fn int_of_size(bytes: u8, unsigned: bool) -> Option<IntKind> {
    Some(match bytes {
        1 => pick(unsigned, IntKind::UChar, IntKind::SChar),
        2 => pick(unsigned, IntKind::UShort, IntKind::Short),
        4 => pick(unsigned, IntKind::UInt, IntKind::Int),
        8 => pick(unsigned, IntKind::ULongLong, IntKind::LongLong),
        16 => pick(unsigned, IntKind::UInt128, IntKind::Int128),
        _ => return None,
    })
}

/// A vector mode as a vector type.
fn vector_of(count: u32, scalar: ScalarMode, unsigned: bool) -> Option<Type> {
    let (elem, bytes) = match scalar {
        ScalarMode::Int(n) => (Type::Int(int_of_size(n, unsigned)?), u32::from(n)),
        ScalarMode::Float(k) => (Type::Float(k), float_bytes(k)?),
    };
    let size = Expr::Int { value: u128::from(count.checked_mul(bytes)?), unsigned: false, long: 0 };
    Some(Type::Vector { elem: Box::new(elem), size: Box::new(size) })
}

/// The size of a floating mode's element, where it is the same everywhere.
fn float_bytes(k: FloatKind) -> Option<u32> {
    match k {
        FloatKind::Float16 => Some(2),
        FloatKind::Float => Some(4),
        FloatKind::Double => Some(8),
        FloatKind::Float128 => Some(16),
        FloatKind::LongDouble | FloatKind::Float80 => None,
    }
}

/// `vector_size(N)` applied to `ty` (to the element of an array).
fn vectorize(ty: Type, size: &Expr) -> Type {
    match ty {
        Type::Array { elem, len } => Type::Array { elem: Box::new(vectorize(*elem, size)), len },
        other => Type::Vector { elem: Box::new(other), size: Box::new(size.clone()) },
    }
}
