//! Enum specifiers (C17 6.7.2.2): tags, enumerator lists, attributes.
//!
//! Takes: tokens from `enum` on. Returns: a [`Type::Enum`], after adding or
//! completing the [`Enum`] in the IR. Each enumerator is declared as soon as
//! it is read, so later values can use it (`B = A + 1`).

use super::attr::Attrs;
use super::scope::{Ordinary, Tag};
use super::{PResult, Parser, Reported};
use crate::ir::{Enum, EnumConst, EnumId, Loc, Type};
use crate::lex::{Token, TokenKind};

impl Parser<'_> {
    /// `enum attributes? tag? attributes? ({ enumerators })? attributes?`.
    pub(super) fn enum_specifier(&mut self, decl_attrs: &mut Attrs) -> PResult<Type> {
        let Some(kw) = self.bump() else { return Err(Reported) };
        let mut attrs = self.attributes()?;
        let tag = if self.at_ident() { self.bump() } else { None };
        attrs.merge(self.attributes()?);
        // `enum e : unsigned char { ... }` (C23); `enum e :3;` is an unnamed
        // bit-field of type `enum e`.
        if self.at(":") && self.peek_at(1).is_some_and(|t| self.starts_type_name(t)) {
            return Err(self.error_here("enum with a fixed underlying type (C23) is not supported"));
        }

        if !self.at("{") {
            let Some(tag) = tag else {
                let msg = format!("expected '{{' or tag name after 'enum', found {}", self.found());
                return Err(self.error_here(msg));
            };
            decl_attrs.merge(attrs);
            return Ok(Type::Enum(self.enum_reference(tag)?));
        }

        let (id, fresh) = self.enum_definition(kw, tag)?;
        attrs.merge(self.attributes()?);
        if fresh {
            self.set_enum_attrs(id, attrs)?;
        }
        Ok(Type::Enum(id))
    }

    /// `enum tag` without a list (a GNU forward declaration if new).
    fn enum_reference(&mut self, tag: Token) -> PResult<EnumId> {
        match self.scope().tag(tag.text()) {
            Some(Tag::Enum(id)) => Ok(id),
            Some(Tag::Record(_)) => Err(self.wrong_tag(tag, "enum")),
            None => self.new_enum(Some(tag), tag.loc),
        }
    }

    /// A definition: see [`Parser::record_definition`]; the same rules.
    fn enum_definition(&mut self, kw: Token, tag: Option<Token>) -> PResult<(EnumId, bool)> {
        let open = self.pos;
        let id = match tag {
            None => self.new_enum(None, kw.loc)?,
            Some(tag) => match self.scope().tag(tag.text()) {
                None => self.new_enum(Some(tag), tag.loc)?,
                Some(Tag::Enum(id)) => {
                    if self.state.bodies.contains_key(&Tag::Enum(id)) {
                        self.redefinition(Tag::Enum(id), tag, "enum")?;
                        return Ok((id, false));
                    }
                    self.unit()?.0.enums.get_mut(id.0 as usize).ok_or(Reported)?.loc = tag.loc;
                    id
                }
                Some(Tag::Record(_)) => {
                    let err = self.wrong_tag(tag, "enum");
                    self.skip_balanced()?;
                    return Err(err);
                }
            },
        };
        self.state.bodies.insert(Tag::Enum(id), (open, usize::MAX));
        self.enum_body(id)?;
        self.state.bodies.insert(Tag::Enum(id), (open, self.pos));
        Ok((id, true))
    }

    fn new_enum(&mut self, tag: Option<Token>, loc: Loc) -> PResult<EnumId> {
        let (ir, scope) = self.unit()?;
        let id = EnumId(ir.enums.len() as u32);
        ir.enums.push(Enum {
            tag: tag.map(|t| t.text().to_string()),
            constants: Vec::new(),
            complete: false,
            packed: false,
            aligned: None,
            loc,
        });
        if let Some(tag) = tag {
            scope.set_tag(tag.text(), Tag::Enum(id));
        }
        Ok(id)
    }

    fn set_enum_attrs(&mut self, id: EnumId, attrs: Attrs) -> PResult<()> {
        let aligned = super::decl::last_alignment(&attrs.aligned);
        let e = self.unit()?.0.enums.get_mut(id.0 as usize).ok_or(Reported)?;
        e.packed |= attrs.packed;
        e.aligned = aligned;
        Ok(())
    }

    /// `{ enumerator (, enumerator)* ,? }`.
    fn enum_body(&mut self, id: EnumId) -> PResult<()> {
        let open = self.bump().ok_or(Reported)?;
        loop {
            match self.peek() {
                Some(t) if t.is("}") => break,
                Some(t) if t.is(";") => {
                    return Err(
                        self.error_here("expected '}' to end the enumerator list, found ';'")
                    );
                }
                None => {
                    return Err(self.error_at(
                        open.loc,
                        "expected '}' to end the enumerator list, found end of input",
                    ));
                }
                Some(_) => {
                    if self.enumerator(id).is_err() {
                        self.recover_enumerator();
                    }
                }
            }
        }
        self.bump();
        let e = self.unit()?.0.enums.get_mut(id.0 as usize).ok_or(Reported)?;
        e.complete = true;
        Ok(())
    }

    /// `name attributes? (= constant-expression)?` and its `,`.
    fn enumerator(&mut self, id: EnumId) -> PResult<()> {
        let name = self.expect_ident("in enumerator list")?;
        self.attributes()?;
        let value = if self.eat("=") { Some(self.constant_expr()?) } else { None };
        let (ir, scope) = self.unit()?;
        let e = ir.enums.get_mut(id.0 as usize).ok_or(Reported)?;
        let index = e.constants.len() as u32;
        e.constants.push(EnumConst { name: name.text().to_string(), value, loc: name.loc });
        scope.set_ordinary(name.text(), Ordinary::EnumConst(id, index));

        if self.eat(",") || self.at("}") {
            return Ok(());
        }
        let msg = format!(
            "expected ',' or '}}' after enumerator '{}', found {}",
            name.text(),
            self.found()
        );
        Err(self.error_here(msg))
    }

    /// Skips to the next `,` (consumed), `}` or `;` outside brackets.
    fn recover_enumerator(&mut self) {
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            let punct = if t.kind == TokenKind::Punct { t.text() } else { "" };
            match punct {
                "," if depth == 0 => {
                    self.bump();
                    return;
                }
                "}" | ";" if depth == 0 => return,
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.bump();
        }
    }
}
