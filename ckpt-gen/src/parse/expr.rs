//! Integer constant expressions (C17 6.6) to [`Expr`].
//!
//! Takes: tokens of an array length, bit-field width, enumerator value,
//! attribute argument or macro body. Returns: the expression tree, with
//! names resolved in the current scope (enumerators) and types parsed
//! (`sizeof`, `_Alignof`, casts, `offsetof`). Nothing is evaluated: values
//! depend on the target and are computed by layout.
//!
//! Encodings:
//! - `e[i]` is `Deref(e)` (only `sizeof` reads it, and the index does not
//!   change the type); in an `offsetof` path it is the string `"[i]"`, `i`
//!   folded to a decimal literal.
//! - `&((T *)0)->a.b[2]` (hand-written `offsetof`) is
//!   `OffsetOf(T, ["a", "b", "[2]"])`.
//! - `sizeof e` is `SizeOf` of the operand's type when the parser knows it
//!   (literals, casts, comparisons, `sizeof`), else `SizeOfExpr(e)` for
//!   layout to resolve (`sizeof(((struct s *)0)->m)`).

use super::literal;
use super::scope::Ordinary;
use super::{PResult, Parser, Reported};
use crate::ir::{BinaryOp, Expr, IntKind, Loc, Type, UnaryOp};
use crate::lex::{Token, TokenKind};

/// Operators in one chain (`a + b + ...`) at most: bounds the depth of the
/// trees built, which later passes walk recursively.
const MAX_CHAIN: usize = 1024;

/// A binary operator and its precedence (higher binds tighter).
fn binary_op(t: Token) -> Option<(u8, BinaryOp)> {
    if t.kind != TokenKind::Punct {
        return None;
    }
    Some(match t.text() {
        "||" => (1, BinaryOp::LogicalOr),
        "&&" => (2, BinaryOp::LogicalAnd),
        "|" => (3, BinaryOp::BitOr),
        "^" => (4, BinaryOp::BitXor),
        "&" => (5, BinaryOp::BitAnd),
        "==" => (6, BinaryOp::Eq),
        "!=" => (6, BinaryOp::Ne),
        "<" => (7, BinaryOp::Lt),
        ">" => (7, BinaryOp::Gt),
        "<=" => (7, BinaryOp::Le),
        ">=" => (7, BinaryOp::Ge),
        "<<" => (8, BinaryOp::Shl),
        ">>" => (8, BinaryOp::Shr),
        "+" => (9, BinaryOp::Add),
        "-" => (9, BinaryOp::Sub),
        "*" => (10, BinaryOp::Mul),
        "/" => (10, BinaryOp::Div),
        "%" => (10, BinaryOp::Rem),
        _ => return None,
    })
}

/// A prefix operator.
fn unary_op(t: Token) -> Option<UnaryOp> {
    if t.kind != TokenKind::Punct {
        return None;
    }
    Some(match t.text() {
        "-" => UnaryOp::Neg,
        "+" => UnaryOp::Plus,
        "~" => UnaryOp::Not,
        "!" => UnaryOp::LogicalNot,
        _ => return None,
    })
}

/// Whether `e` has an integer value (not a pointer or an lvalue path):
/// what a macro must be to count as an integer constant.
pub(super) fn is_integer(e: &Expr) -> bool {
    match e {
        Expr::Macro(_, inner) => is_integer(inner),
        Expr::NullPointer(_) | Expr::Member(..) | Expr::Deref(_) => false,
        _ => true,
    }
}

impl Parser<'_> {
    /// A constant expression (a conditional expression, C17 6.6p1).
    pub(super) fn constant_expr(&mut self) -> PResult<Expr> {
        let e = self.conditional()?;
        Ok(lower_indices(e))
    }

    /// A constant expression that, when spelled entirely by one macro
    /// invocation (`char name[NAME_LEN]`), is wrapped in [`Expr::Macro`].
    pub(super) fn macro_constant(&mut self) -> PResult<Expr> {
        let start = self.pos;
        let e = self.constant_expr()?;
        Ok(self.wrap_macro(start, self.pos, e))
    }

    fn wrap_macro(&self, start: usize, end: usize, e: Expr) -> Expr {
        let toks = self.toks.get(start..end).unwrap_or(&[]);
        let Some(first) = toks.first().copied() else { return e };
        let Some(origin) = first.origin else { return e };
        // Tokens of one invocation share its origin and location.
        let same = |t: &Token| t.origin == Some(origin) && t.loc == first.loc;
        let before = start.checked_sub(1).and_then(|i| self.toks.get(i)).is_some_and(same);
        let after = self.toks.get(end).is_some_and(same);
        if !toks.iter().all(same) || before || after {
            return e;
        }
        Expr::Macro(origin.to_string(), Box::new(e))
    }

    /// An expression with the comma operator (inside parentheses).
    fn expression(&mut self) -> PResult<Expr> {
        let mut e = self.conditional()?;
        while self.eat(",") {
            let rhs = self.conditional()?;
            e = Expr::Binary(BinaryOp::Comma, Box::new(e), Box::new(rhs));
        }
        Ok(e)
    }

    /// `c ? a : b` (and GNU `c ?: b`).
    fn conditional(&mut self) -> PResult<Expr> {
        let cond = self.binary(1)?;
        if !self.eat("?") {
            return Ok(cond);
        }
        let then = if self.at(":") { cond.clone() } else { self.expression()? };
        self.expect(":", "in conditional expression")?;
        let other = self.nested(|p| p.conditional())?;
        Ok(Expr::Cond(Box::new(cond), Box::new(then), Box::new(other)))
    }

    /// Binary operators of precedence `min` and tighter, left-associative.
    fn binary(&mut self, min: u8) -> PResult<Expr> {
        let mut lhs = self.unary()?;
        let mut chain = 0;
        while let Some((prec, op)) = self.peek().and_then(binary_op).filter(|(p, _)| *p >= min) {
            chain += 1;
            if chain > MAX_CHAIN {
                return Err(
                    self.error_here(format!("more than {MAX_CHAIN} operators in one expression"))
                );
            }
            self.bump();
            let rhs = self.binary(prec + 1)?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    /// Prefix operators, casts, `sizeof`, `_Alignof`.
    fn unary(&mut self) -> PResult<Expr> {
        self.nested(|p| p.unary_inner())
    }

    fn unary_inner(&mut self) -> PResult<Expr> {
        let Some(t) = self.peek() else {
            return Err(self.error_here("expected expression, found end of input"));
        };
        if let Some(op) = unary_op(t) {
            self.bump();
            return Ok(Expr::Unary(op, Box::new(self.unary()?)));
        }
        match t.text() {
            "&" if t.kind == TokenKind::Punct => {
                self.bump();
                let e = self.unary()?;
                self.address_of(&e, t.loc)
            }
            "*" if t.kind == TokenKind::Punct => {
                self.bump();
                Ok(Expr::Deref(Box::new(self.unary()?)))
            }
            "sizeof" => self.sizeof(),
            "_Alignof" | "__alignof__" | "__alignof" | "alignof" => self.alignof(),
            "__extension__" => {
                self.bump();
                self.unary()
            }
            "(" if self.peek_at(1).is_some_and(|n| self.starts_type_name(n)) => self.cast(),
            "++" | "--" => Err(self.error_here(format!("'{}' in constant expression", t.text()))),
            _ => self.postfix(),
        }
    }

    /// `( type-name ) cast-expression`.
    fn cast(&mut self) -> PResult<Expr> {
        let loc = self.loc();
        let ty = self.paren_type_name("cast")?;
        if self.at("{") {
            return Err(self.error_here("compound literal in constant expression"));
        }
        // A floating constant, perhaps parenthesized, as the operand.
        let parens = usize::from(self.at("("));
        let closed = parens == 0 || self.at_n(2, ")");
        let float = (self.peek_at(parens))
            .filter(|t| t.kind == TokenKind::Number && closed)
            .and_then(|t| literal::castable_floating(t.text()));
        if let Some(f) = float {
            let value = match self.resolved(&ty) {
                // To `_Bool` a floating value converts by comparing with 0.
                Type::Int(IntKind::Bool) => {
                    Some(Expr::Int { value: u128::from(f != 0.0), unsigned: false, long: 0 })
                }
                Type::Int(_) | Type::Enum(_) => Some(literal::truncated(f)),
                _ => None,
            };
            if let Some(value) = value {
                for _ in 0..1 + 2 * parens {
                    self.bump();
                }
                return Ok(Expr::Cast(Box::new(ty), Box::new(value)));
            }
        }
        let e = self.unary()?;
        self.make_cast(ty, e, loc)
    }

    /// A cast: to an integer type it stays; to a pointer type only from 0
    /// (a null pointer, for `sizeof` and `offsetof` patterns).
    fn make_cast(&mut self, ty: Type, e: Expr, loc: Loc) -> PResult<Expr> {
        match self.resolved(&ty) {
            Type::Int(_) | Type::Enum(_) => Ok(Expr::Cast(Box::new(ty), Box::new(e))),
            Type::Pointer(pointee) if fold(&e) == Some(0) => Ok(Expr::NullPointer(pointee)),
            Type::Pointer(_) => Err(self.error_at(
                loc,
                "cast of a non-zero value to a pointer type in constant expression",
            )),
            Type::Unknown(_) => Err(Reported),
            _ => Err(self.error_at(
                loc,
                "cast to a type that is neither integer nor pointer in constant expression",
            )),
        }
    }

    /// `sizeof ( type-name )` or `sizeof unary-expression`.
    fn sizeof(&mut self) -> PResult<Expr> {
        self.bump();
        if self.at("(") && self.peek_at(1).is_some_and(|n| self.starts_type_name(n)) {
            let ty = self.paren_type_name("sizeof")?;
            if self.at("{") {
                return Err(self.error_here("compound literal in constant expression"));
            }
            return Ok(Expr::SizeOf(Box::new(ty)));
        }
        if let Some(ty) = self.string_literal_type()? {
            return Ok(Expr::SizeOf(Box::new(ty)));
        }
        let e = self.unary()?;
        Ok(sizeof_of(e))
    }

    /// `"..." "..."` or `("...")` after `sizeof`: the array type the
    /// (concatenated) literal has; `None` when no string literal is here.
    fn string_literal_type(&mut self) -> PResult<Option<Type>> {
        let paren = self.at("(") && self.peek_at(1).is_some_and(|t| t.kind == TokenKind::Str);
        if !paren && !self.peek().is_some_and(|t| t.kind == TokenKind::Str) {
            return Ok(None);
        }
        if paren {
            self.bump();
        }
        let (mut len, mut elem) = (0u64, 1u64);
        while let Some(t) = self.peek().filter(|t| t.kind == TokenKind::Str) {
            let Some((n, e)) = literal::string_length(t.text()) else {
                return Err(self.error_here("unsupported string literal in 'sizeof'"));
            };
            self.bump();
            // Concatenation drops each literal's terminating null but one.
            len += n;
            elem = elem.max(e);
        }
        if paren {
            self.expect(")", "to close '(' in 'sizeof'")?;
        }
        let elem_ty = match elem {
            1 => IntKind::Char,
            2 => IntKind::UShort,
            _ => IntKind::UInt,
        };
        let len = Expr::Int { value: u128::from(len + 1), unsigned: false, long: 0 };
        Ok(Some(Type::Array { elem: Box::new(Type::Int(elem_ty)), len: Some(Box::new(len)) }))
    }

    /// `_Alignof ( type-name )`, `__alignof__ ( type-name )`.
    fn alignof(&mut self) -> PResult<Expr> {
        let Some(kw) = self.bump() else { return Err(Reported) };
        if !(self.at("(") && self.peek_at(1).is_some_and(|n| self.starts_type_name(n))) {
            let msg = format!(
                "'{}' of an expression is not supported: expected '(' and a type name",
                kw.text()
            );
            return Err(self.error_here(msg));
        }
        let ty = Box::new(self.paren_type_name(kw.text())?);
        Ok(match kw.text() {
            "__alignof__" | "__alignof" => Expr::PreferredAlignOf(ty),
            _ => Expr::AlignOf(ty),
        })
    }

    /// A primary expression followed by `[i]`, `.m`, `->m`.
    fn postfix(&mut self) -> PResult<Expr> {
        let mut e = self.primary()?;
        loop {
            if self.eat("[") {
                let index = self.expression()?;
                self.expect("]", "after array index")?;
                e = Expr::Deref(Box::new(Expr::Binary(
                    BinaryOp::Add,
                    Box::new(e),
                    Box::new(index),
                )));
            } else if self.eat(".") || self.eat("->") {
                let member = self.expect_ident("after member access operator")?;
                e = Expr::Member(Box::new(e), member.text().to_string());
            } else if self.at("(") {
                return Err(self.error_here("function call in constant expression"));
            } else if self.at("++") || self.at("--") {
                return Err(self.error_here(format!("{} in constant expression", self.found())));
            } else {
                return Ok(e);
            }
        }
    }

    /// Literals, enumerators, parenthesized expressions, `offsetof`.
    fn primary(&mut self) -> PResult<Expr> {
        let Some(t) = self.peek() else {
            return Err(self.error_here("expected expression, found end of input"));
        };
        let literal = match t.kind {
            TokenKind::Number => literal::integer(t.text()),
            TokenKind::Char => literal::character(t.text()),
            TokenKind::Str => {
                return Err(self.error_here("string literal in integer constant expression"))
            }
            TokenKind::Ident => return self.identifier(t),
            _ if t.is("(") => {
                self.bump();
                let e = self.expression()?;
                self.expect(")", "to close '(' in expression")?;
                return Ok(e);
            }
            _ => {
                return Err(self.error_here(format!("expected expression, found {}", self.found())))
            }
        };
        self.bump();
        literal.map_err(|msg| self.error_at(t.loc, msg))
    }

    /// An identifier in an expression: an enumerator or `offsetof`.
    fn identifier(&mut self, t: Token) -> PResult<Expr> {
        let word = t.text();
        if matches!(word, "__builtin_offsetof" | "offsetof") && self.at_n(1, "(") {
            return self.offsetof();
        }
        match self.scope().ordinary(word) {
            Some(Ordinary::EnumConst(id, index)) => {
                self.bump();
                Ok(Expr::EnumConst(id, index))
            }
            Some(Ordinary::Typedef(_)) => {
                Err(self.error_here(format!("unexpected type name '{word}': expected expression")))
            }
            Some(Ordinary::Object) => Err(self.error_here(format!("'{word}' is not a constant"))),
            None => Err(self.error_here(format!(
                "use of undeclared identifier '{word}' in constant expression"
            ))),
        }
    }

    /// `__builtin_offsetof ( type-name , member-designator )`.
    fn offsetof(&mut self) -> PResult<Expr> {
        self.bump();
        self.expect("(", "after 'offsetof'")?;
        let ty = self.type_name()?;
        self.expect(",", "after type name in 'offsetof'")?;
        let first = self.expect_ident("as member in 'offsetof'")?;
        let mut path = vec![first.text().to_string()];
        loop {
            if self.eat(".") {
                path.push(self.expect_ident("after '.' in 'offsetof'")?.text().to_string());
            } else if self.at("[") {
                let loc = self.loc();
                self.bump();
                let index = self.expression()?;
                self.expect("]", "after array index in 'offsetof'")?;
                path.push(self.index_string(&index, loc)?);
            } else {
                break;
            }
        }
        self.expect(")", "after member designator in 'offsetof'")?;
        Ok(Expr::OffsetOf(Box::new(ty), path))
    }

    /// An array index in an `offsetof` path: `"[2]"`.
    fn index_string(&mut self, index: &Expr, loc: Loc) -> PResult<String> {
        match fold(index) {
            Some(v) => Ok(format!("[{v}]")),
            None => Err(self.error_at(loc, "array index in 'offsetof' must be an integer literal")),
        }
    }

    /// `&e` where `e` is a member path from a null pointer: the offset of
    /// that member.
    fn address_of(&mut self, e: &Expr, loc: Loc) -> PResult<Expr> {
        let mut path = Vec::new();
        let mut cur = e;
        loop {
            match cur {
                Expr::Member(inner, name) => {
                    path.push(name.clone());
                    cur = inner;
                }
                Expr::Deref(inner) => match &**inner {
                    Expr::Binary(BinaryOp::Add, base, index) => {
                        path.push(self.index_string(index, loc)?);
                        cur = base;
                    }
                    Expr::NullPointer(_) => cur = inner,
                    _ => break,
                },
                Expr::NullPointer(ty) if !path.is_empty() => {
                    path.reverse();
                    return Ok(Expr::OffsetOf(ty.clone(), path));
                }
                _ => break,
            }
        }
        Err(self.error_at(loc, "'&' in constant expression: expected the form '&((T *)0)->member'"))
    }
}

/// The type `sizeof` gives to an expression, when known here.
fn sizeof_of(e: Expr) -> Expr {
    let int = |k| Expr::SizeOf(Box::new(Type::Int(k)));
    match e {
        Expr::Int { unsigned, long, .. } => int(literal_kind(unsigned, long)),
        Expr::Macro(_, inner) => sizeof_of(*inner),
        Expr::Cast(ty, _) => Expr::SizeOf(ty),
        Expr::NullPointer(ty) => Expr::SizeOf(Box::new(Type::Pointer(ty))),
        Expr::EnumConst(..) | Expr::Unary(UnaryOp::LogicalNot, _) => int(IntKind::Int),
        Expr::Binary(op, ..) if is_comparison(op) => int(IntKind::Int),
        Expr::SizeOf(_)
        | Expr::AlignOf(_)
        | Expr::PreferredAlignOf(_)
        | Expr::SizeOfExpr(_)
        | Expr::OffsetOf(..) => int(IntKind::ULong),
        other => Expr::SizeOfExpr(Box::new(other)),
    }
}

fn is_comparison(op: BinaryOp) -> bool {
    use BinaryOp::*;
    matches!(op, Lt | Gt | Le | Ge | Eq | Ne | LogicalAnd | LogicalOr)
}

/// The type of a literal with these flags.
pub(super) fn literal_kind(unsigned: bool, long: u8) -> IntKind {
    match (unsigned, long) {
        (false, 0) => IntKind::Int,
        (true, 0) => IntKind::UInt,
        (false, 1) => IntKind::Long,
        (true, 1) => IntKind::ULong,
        (false, _) => IntKind::LongLong,
        (true, _) => IntKind::ULongLong,
    }
}

/// The value of an expression made of literals and `+ - *` only.
fn fold(e: &Expr) -> Option<i128> {
    match e {
        Expr::Int { value, .. } => i128::try_from(*value).ok(),
        Expr::Macro(_, inner) => fold(inner),
        Expr::Unary(UnaryOp::Neg, x) => fold(x)?.checked_neg(),
        Expr::Unary(UnaryOp::Plus, x) => fold(x),
        Expr::Binary(BinaryOp::Add, a, b) => fold(a)?.checked_add(fold(b)?),
        Expr::Binary(BinaryOp::Sub, a, b) => fold(a)?.checked_sub(fold(b)?),
        Expr::Binary(BinaryOp::Mul, a, b) => fold(a)?.checked_mul(fold(b)?),
        Expr::Cast(_, x) => fold(x),
        _ => None,
    }
}

/// Whether `e` designates an object reached from a null pointer.
fn is_path(e: &Expr) -> bool {
    match e {
        Expr::Member(..) | Expr::NullPointer(_) | Expr::Deref(_) => true,
        Expr::Binary(BinaryOp::Add, base, _) => is_path(base),
        _ => false,
    }
}

/// Rewrites the parser's `*(e + i)` form of `e[i]` on member paths to the
/// IR's `Deref(e)`.
fn lower_indices(e: Expr) -> Expr {
    let b = |e: Box<Expr>| Box::new(lower_indices(*e));
    match e {
        Expr::Deref(inner) => match *inner {
            Expr::Binary(BinaryOp::Add, base, _) if is_path(&base) => Expr::Deref(b(base)),
            other => Expr::Deref(Box::new(lower_indices(other))),
        },
        Expr::SizeOfExpr(x) => Expr::SizeOfExpr(b(x)),
        Expr::Cast(ty, x) => Expr::Cast(ty, b(x)),
        Expr::Member(x, m) => Expr::Member(b(x), m),
        Expr::Unary(op, x) => Expr::Unary(op, b(x)),
        Expr::Binary(op, x, y) => Expr::Binary(op, b(x), b(y)),
        Expr::Cond(x, y, z) => Expr::Cond(b(x), b(y), b(z)),
        Expr::Macro(name, x) => Expr::Macro(name, b(x)),
        leaf => leaf,
    }
}
