//! Parsing: the preprocessed tokens of one translation unit to the
//! declarations of the IR (C17 6.7 declarations, 6.9 external definitions).
//!
//! Takes: the token stream of [`crate::preproc::Output`] and its
//! `#pragma pack` changes. Returns: the records, enums and typedefs it
//! declares, added to an [`Ir`], plus the [`Scope`] of names left at the end
//! of the unit and diagnostics for what could not be parsed. Integer macros
//! are parsed afterwards, one by one, with [`parse_constant`] in that scope.
//!
//! Leaves to others: sizes, offsets and the values of constant expressions
//! (layout), and choosing which records to emit (the selection by name).
//! Function prototypes, variables, function bodies and `_Static_assert`s are
//! recognized and skipped.
//!
//! Representation choices:
//! - An unknown type name (`struct r { undefined_t x; };`) is diagnosed and
//!   becomes [`crate::ir::Type::Unknown`]: the record is kept, and layout
//!   reports the member instead of guessing.
//! - `__attribute__((aligned))` without an argument means the target's
//!   `__BIGGEST_ALIGNMENT__`; on records it is `None` in
//!   [`crate::ir::Record::aligned`], on members and typedefs it is
//!   [`crate::ir::Expr::BiggestAlignment`].
//! - `mode(word)`, `mode(pointer)` become `long` (pointer-sized on every
//!   Linux data model); `mode(DI)` becomes `long long`.
//!
//! - `__builtin_va_list` is [`crate::ir::Type::VaList`] and `_Atomic T`
//!   is [`crate::ir::Type::Atomic`], laid out per target. `_Atomic` after a
//!   `*` (an atomic pointer) is dropped: a pointer is already aligned to
//!   its size, which is all `_Atomic` would change.
//! - `_Alignof` and `__alignof__` are told apart: GCC's `__alignof__` gives
//!   a type's preferred alignment ([`crate::ir::Expr::PreferredAlignOf`]).
//!
//! Known gaps (each is parsed, not diagnosed, unless said otherwise):
//! - `_Alignof`/`__alignof__` of an expression (not a type name) is
//!   diagnosed.
//! - `scalar_storage_order`, `ms_struct` and `transparent_union` are ignored.
//! - `typeof` of an expression other than `sizeof`, `_Alignof`,
//!   `offsetof` or a lone integer constant, and `mode` on enums, are
//!   diagnosed; so are the `__builtin_*` functions GCC folds in constant
//!   expressions (`__builtin_choose_expr`, `__builtin_constant_p`).
//! - `_Complex` integer types, `__fp16`, `__bf16`, `__ibm128` and
//!   `_Decimal*` are diagnosed.
//! - `0xffffffffL` is typed `long long` (value-preserving on ILP32 and LP64)
//!   rather than `unsigned long` on ILP32.
//! - `enum e : type { ... }` (C23) is diagnosed.

mod attr;
mod decl;
mod enumeration;
mod expr;
mod literal;
mod record;
mod scope;
mod types;

#[cfg(test)]
mod tests;

pub use scope::{Ordinary, Scope, Tag};

use crate::diag::Diagnostic;
use crate::ir::{Expr, FileId, Ir, Loc};
use crate::lex::{Token, TokenKind};
use crate::preproc::PackChange;

/// The result of [`parse_unit`]: the names visible at the end of the unit
/// and the problems found.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// File-scope names: pass it to [`parse_constant`] for the unit's macros.
    pub scope: Scope,
    /// Syntax errors and unsupported input, in token order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one translation unit into `ir` (which may already hold files and
/// the items of other units: new items are appended).
///
/// Never fails: what cannot be parsed is reported in
/// [`Parsed::diagnostics`] (one error per broken declaration) and the parser
/// resumes at the next declaration.
pub fn parse_unit(tokens: &[Token], pack: &[PackChange], ir: &mut Ir) -> Parsed {
    let mut p = Parser::new(tokens, pack, Sink::Unit { ir, scope: Scope::default() });
    p.translation_unit();
    let diagnostics = std::mem::take(&mut p.diags);
    let scope = match p.sink {
        Sink::Unit { scope, .. } => scope,
        Sink::Constant { scope, .. } => scope.clone(),
    };
    Parsed { scope, diagnostics }
}

/// Parses an object-like macro's expanded replacement list as an integer
/// constant expression (C17 6.6) in `scope`, the scope [`parse_unit`] left
/// for the same `ir`; enum constants, typedef names and tags are visible.
///
/// Returns `None` when the tokens are not exactly one integer constant
/// expression (empty, a string, a floating constant, a type name, a null
/// pointer, a declaration of a new type, ...). Never changes `ir`.
pub fn parse_constant(tokens: &[Token], ir: &Ir, scope: &Scope) -> Option<Expr> {
    let mut p = Parser::new(tokens, &[], Sink::Constant { ir, scope });
    let e = p.constant_expr().ok()?;
    let done = p.peek().is_none();
    (done && expr::is_integer(&e)).then_some(e)
}

/// How deeply declarators, parentheses and record bodies may nest: deeper
/// input is reported instead of overflowing the stack.
const MAX_DEPTH: u32 = 64;

/// A diagnostic has been recorded; the caller resynchronizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Reported;

/// What parse functions return: a value, or "reported, recover".
pub(crate) type PResult<T> = Result<T, Reported>;

/// Where parsed items go: a unit adds to the IR and its scope; a constant
/// only reads them.
enum Sink<'a> {
    Unit { ir: &'a mut Ir, scope: Scope },
    Constant { ir: &'a Ir, scope: &'a Scope },
}

/// The parser state: a cursor over the tokens and what has been declared.
pub(crate) struct Parser<'a> {
    /// The tokens, without placemarkers.
    toks: Vec<Token>,
    /// For each token of `toks`, its index in the caller's stream (the
    /// index space of [`PackChange::at`]).
    orig: Vec<usize>,
    pos: usize,
    pack: &'a [PackChange],
    sink: Sink<'a>,
    diags: Vec<Diagnostic>,
    depth: u32,
    state: decl::UnitState,
}

impl<'a> Parser<'a> {
    fn new(tokens: &[Token], pack: &'a [PackChange], sink: Sink<'a>) -> Parser<'a> {
        let (orig, toks) = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.kind != TokenKind::Placemarker)
            .map(|(i, t)| (i, *t))
            .unzip();
        let state = decl::UnitState::default();
        Parser { toks, orig, pos: 0, pack, sink, diags: Vec::new(), depth: 0, state }
    }

    /// The IR as built so far.
    fn ir(&self) -> &Ir {
        match &self.sink {
            Sink::Unit { ir, .. } => ir,
            Sink::Constant { ir, .. } => ir,
        }
    }

    /// The names declared so far.
    fn scope(&self) -> &Scope {
        match &self.sink {
            Sink::Unit { scope, .. } => scope,
            Sink::Constant { scope, .. } => scope,
        }
    }

    /// Write access to the IR and scope; `Err` when parsing a constant,
    /// which must not declare anything (`sizeof(struct { int a; })`).
    fn unit(&mut self) -> PResult<(&mut Ir, &mut Scope)> {
        match &mut self.sink {
            Sink::Unit { ir, scope } => Ok((ir, scope)),
            Sink::Constant { .. } => Err(Reported),
        }
    }

    /// The current token.
    fn peek(&self) -> Option<Token> {
        self.toks.get(self.pos).copied()
    }

    /// The token `n` places ahead.
    fn peek_at(&self, n: usize) -> Option<Token> {
        self.toks.get(self.pos + n).copied()
    }

    /// Whether the current token is the punctuator or identifier `s`.
    fn at(&self, s: &str) -> bool {
        self.peek().is_some_and(|t| t.is(s))
    }

    /// Whether the token `n` places ahead is `s`.
    fn at_n(&self, n: usize, s: &str) -> bool {
        self.peek_at(n).is_some_and(|t| t.is(s))
    }

    /// Whether the current token is an identifier (or keyword).
    fn at_ident(&self) -> bool {
        self.peek().is_some_and(|t| t.kind == TokenKind::Ident)
    }

    /// Moves past the current token and returns it.
    fn bump(&mut self) -> Option<Token> {
        let t = self.peek();
        self.pos = (self.pos + 1).min(self.toks.len());
        t
    }

    /// Consumes `s` if it is the current token.
    fn eat(&mut self, s: &str) -> bool {
        let found = self.at(s);
        if found {
            self.bump();
        }
        found
    }

    /// Consumes `s` or reports `expected 's' <context>, found 'x'`.
    fn expect(&mut self, s: &str, context: &str) -> PResult<Token> {
        match self.peek() {
            Some(t) if t.is(s) => {
                self.bump();
                Ok(t)
            }
            _ => Err(self.error_here(format!("expected '{s}' {context}, found {}", self.found()))),
        }
    }

    /// Consumes an identifier or reports `expected identifier <context>`.
    fn expect_ident(&mut self, context: &str) -> PResult<Token> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::Ident => {
                self.bump();
                Ok(t)
            }
            _ => {
                Err(self
                    .error_here(format!("expected identifier {context}, found {}", self.found())))
            }
        }
    }

    /// The location of the current token (of the last one at the end).
    fn loc(&self) -> Loc {
        let t = self.peek().or_else(|| self.toks.last().copied());
        t.map_or(Loc { file: FileId(0), offset: 0, line: 1, column: 1 }, |t| t.loc)
    }

    /// The current token quoted for a message, or `end of input`.
    fn found(&self) -> String {
        match self.peek() {
            Some(t) => format!("'{}'", t.text()),
            None => "end of input".to_string(),
        }
    }

    /// Records an error at the current token.
    fn error_here(&mut self, message: impl Into<String>) -> Reported {
        let loc = self.loc();
        self.error_at(loc, message)
    }

    /// Records an error at `loc`.
    fn error_at(&mut self, loc: Loc, message: impl Into<String>) -> Reported {
        self.diags.push(Diagnostic::error(loc, message));
        Reported
    }

    /// Records a warning at `loc`.
    fn warn_at(&mut self, loc: Loc, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(loc, message));
    }

    /// Runs `f` one nesting level deeper, refusing input nested beyond
    /// [`MAX_DEPTH`].
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH {
            return Err(
                self.error_here(format!("nesting deeper than {MAX_DEPTH} levels is not supported"))
            );
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    /// The `#pragma pack` cap in force at token `pos`.
    fn pack_at(&self, pos: usize) -> Option<u32> {
        let at = self.orig.get(pos).copied().unwrap_or(usize::MAX);
        let n = self.pack.partition_point(|c| c.at <= at);
        n.checked_sub(1).and_then(|i| self.pack.get(i)).and_then(|c| c.max_align)
    }

    /// Skips a bracketed group starting at the current `(`, `[` or `{`,
    /// reporting an unclosed opener at the end of input.
    fn skip_balanced(&mut self) -> PResult<()> {
        let Some(open) = self.bump() else { return Ok(()) };
        let mut depth = 1usize;
        while let Some(t) = self.bump() {
            if t.kind != TokenKind::Punct {
                continue;
            }
            match t.text() {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                return Ok(());
            }
        }
        let msg =
            format!("unclosed '{}': expected a matching closer before end of input", open.text());
        Err(self.error_at(open.loc, msg))
    }

    /// Error recovery: skips to just after the next `;` outside brackets.
    /// In a record body (`in_body`), stops before the `}` that closes it;
    /// at file scope, also stops after a `{ ... }` block (a function body).
    fn recover(&mut self, in_body: bool) {
        let (mut parens, mut braces) = (0usize, 0usize);
        while let Some(t) = self.peek() {
            let punct = if t.kind == TokenKind::Punct { t.text() } else { "" };
            if punct == "}" && braces == 0 {
                // The end of the enclosing body, or a stray '}' at file
                // scope (consumed so that parsing moves on).
                if !in_body {
                    self.bump();
                }
                return;
            }
            self.bump();
            match punct {
                ";" if parens == 0 && braces == 0 => return,
                "{" => braces += 1,
                "}" => {
                    braces -= 1;
                    if braces == 0 && !in_body {
                        self.eat(";");
                        return;
                    }
                }
                "(" | "[" => parens += 1,
                ")" | "]" => parens = parens.saturating_sub(1),
                _ => {}
            }
        }
    }
}
