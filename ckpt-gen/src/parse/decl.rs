//! External declarations (C17 6.9): typedefs, tag declarations, function
//! prototypes and definitions, objects, `_Static_assert`, top-level `asm`.
//!
//! Takes: the whole token stream of a unit. Returns: typedefs and (through
//! `record.rs` and `enumeration.rs`) records and enums in the IR. Function
//! bodies and initializers are skipped by bracket matching; objects and
//! functions only enter the scope (so that they are not taken for types).
//! After each declaration, its untagged records are named.

use super::attr::{biggest_alignment, Attrs};
use super::scope::{Ordinary, Tag};
use super::types::{Ctx, DeclKind, Specs};
use super::{PResult, Parser};
use crate::ir::{Expr, RecordId, Type, Typedef, TypedefId};
use crate::lex::IdMap;
use crate::lex::{Token, TokenKind};

/// What the parser remembers across declarations of one unit.
#[derive(Debug, Default)]
pub(super) struct UnitState {
    /// Untagged nested records waiting for their parent's name: (record,
    /// parent, `MEMBER` or `anon<N>`).
    pub pending: Vec<(RecordId, RecordId, String)>,
    /// The token range (from `{` to after `}`) of each tag's body, to tell
    /// identical redefinitions from conflicting ones.
    pub bodies: IdMap<Tag, (usize, usize)>,
    /// How many untagged records were named `anon<N>` at file scope.
    anon: u32,
}

/// The alignment several `aligned` attributes on a type (a typedef, an
/// enum) give: GCC keeps the last one written, even when it is smaller
/// (`aligned(8)) __attribute__((aligned(4))` is 4); `None` when none is
/// given. (On a member the largest wins instead; see the layout stage.)
pub(super) fn last_alignment(aligned: &[Option<Expr>]) -> Option<Expr> {
    aligned.last().map(|a| a.clone().unwrap_or_else(biggest_alignment))
}

impl Parser<'_> {
    /// Parses declarations to the end of the tokens.
    pub(super) fn translation_unit(&mut self) {
        while self.peek().is_some() {
            let start = self.pos;
            let first_record = self.ir().records.len();
            if self.external_declaration().is_err() {
                self.recover(false);
            }
            if self.pos == start {
                self.bump();
            }
            self.name_records(first_record);
        }
    }

    /// One external declaration.
    fn external_declaration(&mut self) -> PResult<()> {
        if self.eat(";") {
            return Ok(());
        }
        if self.at_static_assert() {
            return self.skip_static_assert();
        }
        if self.at("_Pragma") {
            return self.skip_pragma_operator();
        }
        if self.at("__asm__") || self.at("__asm") || self.at("asm") {
            self.skip_asm_label()?;
            self.expect(";", "after top-level 'asm'")?;
            return Ok(());
        }
        let specs = self.decl_specifiers(Ctx::File)?;
        if self.eat(";") {
            return Ok(());
        }
        if !self.at_declarator_start() {
            let msg = format!(
                "expected ';' or a declarator after declaration specifiers, found {}",
                self.found()
            );
            return Err(self.error_here(msg));
        }
        self.init_declarators(&specs)
    }

    /// The declarators of a declaration, up to its `;` (or function body).
    fn init_declarators(&mut self, specs: &Specs) -> PResult<()> {
        let mut first = true;
        loop {
            let (name, body) = self.init_declarator(specs, first)?;
            if body {
                return Ok(());
            }
            first = false;
            if self.eat(",") {
                continue;
            }
            if self.eat(";") {
                return Ok(());
            }
            let what = name.map_or("<unnamed>", |t| t.text());
            let msg = format!("expected ';' after declaration of '{what}', found {}", self.found());
            return Err(self.error_here(msg));
        }
    }

    /// One declarator with its `asm` label, attributes and initializer or
    /// body. Returns its name and whether a function body ended it.
    fn init_declarator(&mut self, specs: &Specs, first: bool) -> PResult<(Option<Token>, bool)> {
        let loc = self.loc();
        let d = self.declarator(DeclKind::Named)?;
        let name = d.name;
        self.skip_asm_label()?;
        let after = self.attributes()?;
        let attrs = specs.attrs.clone().merged(d.attrs.clone()).merged(after);
        let ty = d.apply(specs.ty.clone());
        let ty = self.apply_type_attrs(ty, &attrs, loc);
        if let (true, Some(record), Some(name)) = (first, specs.untagged, name) {
            self.name_top_record(record, name.text());
        }

        if specs.is_typedef {
            self.typedef(name, ty, &attrs)?;
            return Ok((name, false));
        }
        Ok((name, self.object(name, &ty)?))
    }

    /// An object or function declarator: skips an initializer or a function
    /// body. Returns whether a function body ended the declaration.
    fn object(&mut self, name: Option<Token>, ty: &Type) -> PResult<bool> {
        if let Some(name) = name {
            self.declare_object(name);
        }
        if matches!(ty, Type::Function) && self.at("{") {
            self.skip_balanced()?;
            return Ok(true);
        }
        if self.eat("=") {
            self.skip_initializer();
        }
        Ok(false)
    }

    /// Enters an object or function name, unless the name already denotes a
    /// type or constant (then the declaration was an error GCC reports).
    fn declare_object(&mut self, name: Token) {
        if self.scope().ordinary(name.text()).is_none() {
            if let Ok((_, scope)) = self.unit() {
                scope.set_ordinary(name.text(), Ordinary::Object);
            }
        }
    }

    /// Skips an initializer up to the `,` or `;` that ends it.
    fn skip_initializer(&mut self) {
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            let punct = if t.kind == TokenKind::Punct { t.text() } else { "" };
            match punct {
                "," | ";" if depth == 0 => return,
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" if depth == 0 => return,
                ")" | "]" | "}" => depth -= 1,
                _ => {}
            }
            self.bump();
        }
    }

    /// Declares a typedef; an identical redeclaration is accepted (C11).
    fn typedef(&mut self, name: Option<Token>, ty: Type, attrs: &Attrs) -> PResult<()> {
        let Some(name) = name else {
            return Err(self.error_here("expected a typedef name"));
        };
        let td = Typedef {
            name: name.text().to_string(),
            ty,
            aligned: last_alignment(&attrs.aligned),
            packed: attrs.packed,
            loc: name.loc,
        };
        if let Some(Ordinary::Typedef(id)) = self.scope().ordinary(name.text()) {
            let same = self.ir().typedefs.get(id.0 as usize).is_some_and(|old| {
                old.ty == td.ty && old.aligned == td.aligned && old.packed == td.packed
            });
            if !same {
                self.error_at(
                    name.loc,
                    format!("typedef '{}' redefined with a different type", name.text()),
                );
            }
            return Ok(());
        }
        let (ir, scope) = self.unit()?;
        let id = TypedefId(ir.typedefs.len() as u32);
        ir.typedefs.push(td);
        scope.set_ordinary(name.text(), Ordinary::Typedef(id));
        Ok(())
    }

    /// Whether `_Static_assert` (or `static_assert`) starts here.
    pub(super) fn at_static_assert(&self) -> bool {
        self.at("_Static_assert") || self.at("static_assert")
    }

    /// Skips `_Static_assert ( ... ) ;`.
    pub(super) fn skip_static_assert(&mut self) -> PResult<()> {
        self.bump();
        if !self.at("(") {
            return Err(self.error_here(format!(
                "expected '(' after '_Static_assert', found {}",
                self.found()
            )));
        }
        self.skip_balanced()?;
        self.expect(";", "after '_Static_assert'")?;
        Ok(())
    }

    /// Skips a `_Pragma("...")` the preprocessor left in the stream, with
    /// a warning: its effect (such as `pack`) is lost.
    pub(super) fn skip_pragma_operator(&mut self) -> PResult<()> {
        let loc = self.loc();
        self.bump();
        if !self.at("(") {
            return Err(
                self.error_here(format!("expected '(' after '_Pragma', found {}", self.found()))
            );
        }
        self.skip_balanced()?;
        self.warn_at(loc, "'_Pragma' was not handled by the preprocessor: ignored");
        Ok(())
    }

    /// Names an untagged record after the first declarator of its
    /// declaration (`typedef struct { ... } name_t;`).
    fn name_top_record(&mut self, id: RecordId, name: &str) {
        if let Ok((ir, _)) = self.unit() {
            if let Some(r) = ir.records.get_mut(id.0 as usize).filter(|r| r.name.is_empty()) {
                r.name = name.to_string();
            }
        }
    }

    /// Names the untagged records added since `first`: nested ones
    /// `PARENT::suffix` (parents come first, being added before their
    /// members), the others `anon<N>`.
    fn name_records(&mut self, first: usize) {
        let pending = std::mem::take(&mut self.state.pending);
        let super::Sink::Unit { ir, .. } = &mut self.sink else { return };
        for i in first..ir.records.len() {
            if ir.records[i].tagged || !ir.records[i].name.is_empty() {
                continue;
            }
            let nested = pending.iter().find(|(child, _, _)| child.0 as usize == i);
            let nested = nested.and_then(|(_, parent, suffix)| {
                Some(format!("{}::{suffix}", ir.records.get(parent.0 as usize)?.name))
            });
            ir.records[i].name = nested.unwrap_or_else(|| {
                self.state.anon += 1;
                format!("anon{}", self.state.anon - 1)
            });
        }
    }
}
