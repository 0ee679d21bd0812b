//! Struct and union specifiers (C17 6.7.2.1): tags, definitions, members,
//! bit-fields and attributes.
//!
//! Takes: tokens from `struct`/`union` on. Returns: a [`Type::Record`],
//! after adding or completing the [`Record`] in the IR. A nested tagged
//! definition is visible at file scope, as in C. An untagged record gets
//! its name later (see `decl.rs`): `PARENT::MEMBER` or `PARENT::anon<N>`
//! when nested, else the first declarator's name.

use super::attr::{biggest_alignment, Attrs};
use super::scope::Tag;
use super::types::{Ctx, DeclKind, Declarator, Specs};
use super::{PResult, Parser, Reported};
use crate::ir::{Expr, Field, Loc, Record, RecordId, RecordKind, Type};
use crate::lex::Token;

impl Parser<'_> {
    /// `struct-or-union attributes? tag? attributes? ({ members })?
    /// attributes?`. Attributes before the body or right after it apply to
    /// the record; those of a mere reference go to `decl_attrs`. Returns the
    /// type and, for an untagged definition, the record to name.
    pub(super) fn record_specifier(
        &mut self,
        decl_attrs: &mut Attrs,
    ) -> PResult<(Type, Option<RecordId>)> {
        let Some(kw) = self.bump() else { return Err(Reported) };
        let kind = if kw.is("union") { RecordKind::Union } else { RecordKind::Struct };
        let mut attrs = self.attributes()?;
        let tag = if self.at_ident() { self.bump() } else { None };
        attrs.merge(self.attributes()?);

        if !self.at("{") {
            let Some(tag) = tag else {
                let msg = format!(
                    "expected '{{' or tag name after '{}', found {}",
                    kw.text(),
                    self.found()
                );
                return Err(self.error_here(msg));
            };
            decl_attrs.merge(attrs);
            return Ok((Type::Record(self.record_reference(kind, tag)?), None));
        }

        let (id, fresh) = self.record_definition(kind, kw, tag)?;
        attrs.merge(self.attributes()?);
        if fresh {
            self.set_record_attrs(id, attrs)?;
        }
        Ok((Type::Record(id), tag.is_none().then_some(id)))
    }

    /// `struct tag` without a body: the visible record, or a new incomplete
    /// one.
    fn record_reference(&mut self, kind: RecordKind, tag: Token) -> PResult<RecordId> {
        match self.scope().tag(tag.text()) {
            Some(Tag::Record(id)) if self.record_kind(id) == Some(kind) => Ok(id),
            Some(_) => Err(self.wrong_tag(tag, kind.keyword())),
            None => self.new_record(kind, Some(tag), tag.loc),
        }
    }

    /// A definition: fills a forward declaration or adds a record; a
    /// second definition of a tag is skipped (and reported if its body
    /// differs). Returns whether this definition is the one kept.
    fn record_definition(
        &mut self,
        kind: RecordKind,
        kw: Token,
        tag: Option<Token>,
    ) -> PResult<(RecordId, bool)> {
        let open = self.pos;
        let id = match tag {
            None => self.new_record(kind, None, kw.loc)?,
            Some(tag) => match self.scope().tag(tag.text()) {
                None => self.new_record(kind, Some(tag), tag.loc)?,
                Some(Tag::Record(id)) if self.record_kind(id) == Some(kind) => {
                    if self.state.bodies.contains_key(&Tag::Record(id)) {
                        self.redefinition(Tag::Record(id), tag, kind.keyword())?;
                        return Ok((id, false));
                    }
                    self.unit()?.0.records.get_mut(id.0 as usize).ok_or(Reported)?.loc = tag.loc;
                    id
                }
                Some(_) => {
                    let err = self.wrong_tag(tag, kind.keyword());
                    self.skip_balanced()?;
                    return Err(err);
                }
            },
        };
        self.state.bodies.insert(Tag::Record(id), (open, usize::MAX));
        self.record_body(id)?;
        self.state.bodies.insert(Tag::Record(id), (open, self.pos));
        Ok((id, true))
    }

    /// Reports a tag used with the wrong keyword.
    pub(super) fn wrong_tag(&mut self, tag: Token, keyword: &str) -> Reported {
        let msg = format!(
            "'{}' used as '{keyword}' tag, but declared earlier as another kind of tag",
            tag.text()
        );
        self.error_at(tag.loc, msg)
    }

    /// Skips the body of a second definition of `key`, reporting it if its
    /// tokens differ from the first one's.
    pub(super) fn redefinition(&mut self, key: Tag, tag: Token, keyword: &str) -> PResult<()> {
        let start = self.pos;
        self.skip_balanced()?;
        let (a, b) = self.state.bodies.get(&key).copied().unwrap_or((0, 0));
        let old = self.toks.get(a..b).unwrap_or(&[]);
        let new = self.toks.get(start..self.pos).unwrap_or(&[]);
        let same = old.len() == new.len() && old.iter().zip(new).all(|(x, y)| x.sym == y.sym);
        if !same {
            let msg = format!("redefinition of '{keyword} {}' with a different body", tag.text());
            self.error_at(tag.loc, msg);
        }
        Ok(())
    }

    fn record_kind(&self, id: RecordId) -> Option<RecordKind> {
        self.ir().records.get(id.0 as usize).map(|r| r.kind)
    }

    /// Adds an incomplete record (declaring its tag).
    fn new_record(&mut self, kind: RecordKind, tag: Option<Token>, loc: Loc) -> PResult<RecordId> {
        let (ir, scope) = self.unit()?;
        let id = RecordId(ir.records.len() as u32);
        ir.records.push(Record {
            name: tag.map_or_else(String::new, |t| t.text().to_string()),
            tagged: tag.is_some(),
            kind,
            complete: false,
            fields: Vec::new(),
            packed: false,
            aligned: Vec::new(),
            max_field_align: None,
            begins_with_hdr: false,
            loc,
        });
        if let Some(tag) = tag {
            scope.set_tag(tag.text(), Tag::Record(id));
        }
        Ok(id)
    }

    fn set_record_attrs(&mut self, id: RecordId, attrs: Attrs) -> PResult<()> {
        let record = self.unit()?.0.records.get_mut(id.0 as usize).ok_or(Reported)?;
        record.packed |= attrs.packed;
        record.aligned.extend(attrs.aligned);
        Ok(())
    }

    /// `{ member-declarations }`, then completes the record.
    fn record_body(&mut self, id: RecordId) -> PResult<()> {
        self.nested(|p| {
            let open_pos = p.pos;
            let open = p.bump().ok_or(Reported)?;
            let mut fields = Vec::new();
            let mut anon = 0u32;
            loop {
                match p.peek() {
                    None => {
                        let msg = format!(
                            "expected '}}' to end '{}', found end of input",
                            p.record_title(id)
                        );
                        return Err(p.error_at(open.loc, msg));
                    }
                    Some(t) if t.is("}") => break,
                    Some(_) => {
                        if p.member_declaration(id, &mut anon, &mut fields).is_err() {
                            p.recover(true);
                        }
                    }
                }
            }
            p.bump();
            p.complete_record(id, fields, open_pos)
        })
    }

    /// `struct tag` or `struct <anonymous>`, for messages.
    fn record_title(&self, id: RecordId) -> String {
        match self.ir().records.get(id.0 as usize) {
            Some(r) if r.tagged => format!("{} {}", r.kind.keyword(), r.name),
            Some(r) => format!("{} <anonymous>", r.kind.keyword()),
            None => "<record>".to_string(),
        }
    }

    fn complete_record(
        &mut self,
        id: RecordId,
        fields: Vec<Field>,
        open_pos: usize,
    ) -> PResult<()> {
        let max_field_align = self.pack_at(open_pos);
        let begins_with_hdr = fields.first().is_some_and(|f| self.is_ckpt_hdr(&f.ty));
        let record = self.unit()?.0.records.get_mut(id.0 as usize).ok_or(Reported)?;
        record.fields = fields;
        record.complete = true;
        record.max_field_align = max_field_align;
        record.begins_with_hdr = begins_with_hdr;
        Ok(())
    }

    /// Whether `ty` is `struct ckpt_hdr` (through typedefs, not pointers).
    fn is_ckpt_hdr(&self, ty: &Type) -> bool {
        match self.resolved(ty) {
            Type::Record(id) => self
                .ir()
                .records
                .get(id.0 as usize)
                .is_some_and(|r| r.tagged && r.name == "ckpt_hdr"),
            _ => false,
        }
    }

    /// One member declaration, up to its `;`.
    fn member_declaration(
        &mut self,
        parent: RecordId,
        anon: &mut u32,
        fields: &mut Vec<Field>,
    ) -> PResult<()> {
        if self.eat(";") {
            return Ok(());
        }
        if self.at_static_assert() {
            return self.skip_static_assert();
        }
        if self.at("_Pragma") {
            return self.skip_pragma_operator();
        }
        let specs = self.decl_specifiers(Ctx::Member)?;
        if specs.is_typedef {
            return Err(
                self.error_at(specs.loc, "'typedef' in a member declaration: expected a member")
            );
        }
        if self.eat(";") {
            self.bare_member(parent, anon, specs, fields);
            return Ok(());
        }
        let mut first = true;
        loop {
            let field = self.member_declarator(parent, anon, &specs, first)?;
            fields.push(field);
            first = false;
            if self.eat(",") {
                continue;
            }
            if self.eat(";") {
                return Ok(());
            }
            let msg = format!("expected ';' after member declaration, found {}", self.found());
            return Err(self.error_here(msg));
        }
    }

    /// A member declaration without declarators: an anonymous struct or
    /// union member (C11), or one that declares nothing.
    fn bare_member(
        &mut self,
        parent: RecordId,
        anon: &mut u32,
        specs: Specs,
        fields: &mut Vec<Field>,
    ) {
        let Some(child) = specs.untagged else {
            if !matches!(specs.ty, Type::Enum(_)) {
                self.warn_at(specs.loc, "member declaration does not declare anything");
            }
            return;
        };
        self.state.pending.push((child, parent, format!("anon{anon}")));
        *anon += 1;
        fields.push(Field {
            name: None,
            ty: specs.ty,
            bit_width: None,
            packed: specs.attrs.packed,
            aligned: aligned_exprs(&specs.attrs),
            loc: specs.loc,
        });
    }

    /// One member declarator with its attributes and bit-field width.
    fn member_declarator(
        &mut self,
        parent: RecordId,
        anon: &mut u32,
        specs: &Specs,
        first: bool,
    ) -> PResult<Field> {
        let loc = self.loc();
        let d =
            if self.at(":") { Declarator::default() } else { self.declarator(DeclKind::Named)? };
        let name = d.name;
        let mut attrs = specs.attrs.clone().merged(d.attrs.clone());
        attrs.merge(self.attributes()?);
        let bit_width = if self.eat(":") { Some(self.macro_constant()?) } else { None };
        attrs.merge(self.attributes()?);

        if let (true, Some(child)) = (first, specs.untagged) {
            let suffix = match name {
                Some(t) => t.text().to_string(),
                None => {
                    *anon += 1;
                    format!("anon{}", *anon - 1)
                }
            };
            self.state.pending.push((child, parent, suffix));
        }
        let ty = d.apply(specs.ty.clone());
        let ty = self.apply_type_attrs(ty, &attrs, loc);
        if matches!(ty, Type::Function) {
            let what = name.map_or("<unnamed>", |t| t.text());
            return Err(self.error_at(
                loc,
                format!("member '{what}' declared as a function: expected a pointer to it"),
            ));
        }

        let loc = name.map_or(loc, |t| t.loc);
        let name = name.map(|t| t.text().to_string());
        Ok(Field { name, ty, bit_width, packed: attrs.packed, aligned: aligned_exprs(&attrs), loc })
    }
}

/// `aligned` attributes of a member, the argument-less one as the biggest
/// alignment.
pub(super) fn aligned_exprs(attrs: &Attrs) -> Vec<Expr> {
    attrs.aligned.iter().map(|a| a.clone().unwrap_or_else(biggest_alignment)).collect()
}
