//! Macro expansion (C17 6.10.3): object- and function-like macros, `#`,
//! `##`, `__VA_ARGS__`, `__VA_OPT__`, GNU `, ## __VA_ARGS__`, and rescanning
//! with hide sets so that a macro never expands inside its own expansion.
//!
//! Expansion is bounded: every token produced counts against a budget per
//! translation unit, so an exponential macro ends in a diagnostic.

use super::hide::HideId;
use super::{Macro, Pp};
use crate::diag::Diagnostic;
use crate::lex::{self, LineIndex, Sym, Token, TokenKind, NO_EXPAND, SPACE};

/// Deepest nesting of macro invocations inside macro arguments.
const MAX_NESTING: u32 = 256;

/// A token under expansion, with its hide set.
#[derive(Clone, Copy, Debug)]
pub(super) struct PTok {
    pub t: Token,
    pub hs: HideId,
}

impl PTok {
    pub fn new(t: Token) -> PTok {
        PTok { t, hs: HideId::default() }
    }
}

/// What a `#if` line needs beyond plain expansion.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Text,
    Condition,
}

impl Pp<'_> {
    /// Fully expands `input`. Arguments are expanded by a nested call, so
    /// `F(F(F(...)))` nests as deep as the text: past [`MAX_NESTING`] the
    /// input is left unexpanded (and never expanded later), with an error.
    pub(super) fn expand(&mut self, input: Vec<PTok>, mode: Mode) -> Vec<PTok> {
        if self.nesting >= MAX_NESTING {
            match input.first() {
                Some(first) if !self.nesting_reported => {
                    self.nesting_reported = true;
                    let msg = format!("macro arguments nested more than {MAX_NESTING} levels deep");
                    self.diags.push(Diagnostic::error(first.t.loc, msg));
                }
                _ => {}
            }
            // Marked, so that the callers' rescans do not descend again.
            let mut input = input;
            input.iter_mut().for_each(|p| p.t.flags |= NO_EXPAND);
            return input;
        }
        self.nesting += 1;
        let out = self.expand_flat(input, mode);
        self.nesting -= 1;
        out
    }

    fn expand_flat(&mut self, input: Vec<PTok>, mode: Mode) -> Vec<PTok> {
        let mut pending: Vec<PTok> = input;
        pending.reverse();
        let mut out = Vec::with_capacity(pending.len());

        while let Some(tok) = pending.pop() {
            if tok.t.kind != TokenKind::Ident || tok.t.flags & NO_EXPAND != 0 {
                out.push(tok);
                continue;
            }
            if mode == Mode::Condition && self.condition_operator(tok, &mut pending, &mut out) {
                continue;
            }
            if self.hides.contains(tok.hs, tok.t.sym) {
                let mut t = tok;
                t.t.flags |= NO_EXPAND;
                out.push(t);
                continue;
            }
            let Some(m) = self.macros.get(&tok.t.sym).cloned() else {
                out.push(tok);
                continue;
            };
            if self.budget_spent(tok.t) {
                out.push(tok);
                out.extend(pending.drain(..).rev());
                break;
            }
            match self.expand_one(tok, &m, &mut pending) {
                Some(mut body) => {
                    if let Some(first) = body.first_mut() {
                        first.t.flags = (first.t.flags & !SPACE) | (tok.t.flags & SPACE);
                    }
                    self.spent += body.len();
                    pending.extend(body.into_iter().rev());
                }
                None => out.push(tok),
            }
        }
        out
    }

    fn budget_spent(&mut self, at: Token) -> bool {
        if self.spent <= self.config.max_expansion_tokens {
            return false;
        }
        if !self.budget_reported {
            self.budget_reported = true;
            let msg = format!(
                "macro expansion of '{}' exceeds the limit of {} tokens",
                at.text(),
                self.config.max_expansion_tokens
            );
            self.diags.push(
                Diagnostic::error(at.loc, msg)
                    .with_note("a macro that uses its argument several times grows exponentially; raise the limit with --max-expansion if this is intended"),
            );
        }
        true
    }

    /// Expands one invocation of `m` named by `tok`; `None` when `tok` is a
    /// function-like macro name not followed by `(`.
    fn expand_one(&mut self, tok: PTok, m: &Macro, pending: &mut Vec<PTok>) -> Option<Vec<PTok>> {
        if let Some(b) = m.builtin {
            return Some(vec![PTok { t: self.builtin_value(b, tok.t), hs: tok.hs }]);
        }
        let Some(params) = &m.params else {
            let hs = self.hides.with(tok.hs, tok.t.sym);
            return Some(self.substitute(m, &[], hs, tok.t));
        };
        if !pending.last().is_some_and(|p| p.t.is("(")) {
            return None;
        }
        let (args, rparen) = match self.collect_args(tok.t, pending) {
            Some(found) => found,
            None => return Some(Vec::new()),
        };
        // Collecting arguments is work too: `F(F(F(...)))` copies what
        // follows at every level.
        self.spent += args.iter().map(Vec::len).sum::<usize>();
        let args = self.match_params(tok.t, m, params.len(), args)?;
        let hs = self.hides.intersection(tok.hs, rparen.hs);
        let hs = self.hides.with(hs, tok.t.sym);
        Some(self.substitute(m, &args, hs, tok.t))
    }

    /// Reads `( a, b, ... )` from `pending`. Returns the arguments and the
    /// closing parenthesis, or `None` (after a diagnostic) when the input
    /// ends first.
    fn collect_args(
        &mut self,
        name: Token,
        pending: &mut Vec<PTok>,
    ) -> Option<(Vec<Vec<PTok>>, PTok)> {
        pending.pop();
        let mut args = vec![Vec::new()];
        let mut depth = 0usize;
        while let Some(t) = pending.pop() {
            if t.t.is("(") {
                depth += 1;
            } else if t.t.is(")") {
                if depth == 0 {
                    return Some((args, t));
                }
                depth -= 1;
            } else if t.t.is(",") && depth == 0 {
                args.push(Vec::new());
                continue;
            }
            if let Some(last) = args.last_mut() {
                last.push(t);
            }
        }
        let msg = format!("unterminated argument list invoking macro '{}'", name.text());
        self.diags.push(Diagnostic::error(name.loc, msg));
        None
    }

    /// Checks the argument count; folds variadic arguments into one.
    fn match_params(
        &mut self,
        name: Token,
        m: &Macro,
        n: usize,
        mut args: Vec<Vec<PTok>>,
    ) -> Option<Vec<Vec<PTok>>> {
        if n == 0 && args.len() == 1 && args[0].is_empty() {
            return Some(Vec::new());
        }
        if m.variadic {
            if args.len() < n {
                if args.len() + 1 == n {
                    args.push(Vec::new());
                } else {
                    return self.arg_count_error(name, n, args.len());
                }
            }
            let rest: Vec<Vec<PTok>> = args.drain(n - 1..).collect();
            let mut joined = Vec::new();
            for (i, part) in rest.into_iter().enumerate() {
                if i > 0 {
                    let comma = self.synth(",", TokenKind::Punct, name);
                    joined.push(PTok::new(comma));
                }
                joined.extend(part);
            }
            args.push(joined);
            return Some(args);
        }
        if args.len() != n {
            return self.arg_count_error(name, n, args.len());
        }
        Some(args)
    }

    fn arg_count_error(&mut self, name: Token, want: usize, got: usize) -> Option<Vec<Vec<PTok>>> {
        let msg = format!("macro '{}' takes {want} argument(s), {got} given", name.text());
        self.diags.push(Diagnostic::error(name.loc, msg));
        None
    }

    /// A token with spelling `s` at `at`'s location.
    pub(super) fn synth(&self, s: &str, kind: TokenKind, at: Token) -> Token {
        Token { kind, sym: Sym::new(s), flags: 0, loc: at.loc, origin: at.origin }
    }

    /// The replacement list of `m` with arguments substituted and `##`
    /// applied, every token carrying hide set `hs`.
    fn substitute(&mut self, m: &Macro, args: &[Vec<PTok>], hs: HideId, inv: Token) -> Vec<PTok> {
        let origin = inv.origin.or(Some(inv.sym));
        let body = &m.body;
        let param = |t: &Token| -> Option<usize> {
            if t.kind != TokenKind::Ident {
                return None;
            }
            m.params.as_ref()?.iter().position(|p| *p == t.sym)
        };
        let va_index = m.params.as_ref().map(|p| p.len().wrapping_sub(1));
        let va_empty =
            m.variadic && va_index.and_then(|i| args.get(i)).is_none_or(|a| a.is_empty());

        // Pieces: tokens, with `##` kept as a marker to apply afterwards.
        let mut items: Vec<Piece> = Vec::with_capacity(body.len());
        let mut i = 0;
        while i < body.len() {
            let t = body[i];
            let next_is_paste = body.get(i + 1).is_some_and(|n| n.is("##"));
            let prev_is_paste = i > 0 && body[i - 1].is("##");

            // `#param`: stringize.
            if t.is("#") && m.params.is_some() {
                if let Some(p) = body.get(i + 1).and_then(param) {
                    let s = stringize(&args[p]);
                    let mut tok = self.synth(&s, TokenKind::Str, inv);
                    tok.flags = t.flags & SPACE;
                    items.push(Piece::Tok(PTok { t: tok, hs }));
                    i += 2;
                    continue;
                }
            }
            // GNU `, ## __VA_ARGS__`: drop the comma when there are no
            // variadic arguments, otherwise keep both without pasting.
            if t.is(",") && next_is_paste && m.variadic {
                if let Some(p) = body.get(i + 2).and_then(param) {
                    if Some(p) == va_index {
                        if !va_empty {
                            items.push(Piece::Tok(PTok { t: self.relocate(t, inv, origin), hs }));
                            for a in &args[p] {
                                items.push(Piece::Tok(*a));
                            }
                        }
                        i += 3;
                        continue;
                    }
                }
            }
            if t.is("__VA_OPT__") && m.variadic && body.get(i + 1).is_some_and(|n| n.is("(")) {
                let close = matching_paren(body, i + 1);
                if !va_empty {
                    let inner = Macro { body: body[i + 2..close].to_vec(), ..m.clone() };
                    for p in self.substitute(&inner, args, hs, inv) {
                        items.push(Piece::Tok(p));
                    }
                }
                i = close + 1;
                continue;
            }
            if t.is("##") && i > 0 && i + 1 < body.len() {
                items.push(Piece::Paste);
                i += 1;
                continue;
            }
            if let Some(p) = param(&t) {
                let arg = &args[p];
                let mut toks = if next_is_paste || prev_is_paste {
                    arg.clone()
                } else {
                    self.expand(arg.clone(), Mode::Text)
                };
                if toks.is_empty() {
                    items.push(Piece::Placemarker);
                } else {
                    toks[0].t.flags = (toks[0].t.flags & !SPACE) | (t.flags & SPACE);
                    items.extend(toks.into_iter().map(|mut a| {
                        a.hs = self.hides.union(a.hs, hs);
                        Piece::Tok(a)
                    }));
                }
                i += 1;
                continue;
            }
            items.push(Piece::Tok(PTok { t: self.relocate(t, inv, origin), hs }));
            i += 1;
        }
        self.paste_all(items, hs)
    }

    /// A replacement-list token placed at the invocation.
    fn relocate(&self, t: Token, inv: Token, origin: Option<Sym>) -> Token {
        Token { loc: inv.loc, origin, ..t }
    }

    fn paste_all(&mut self, items: Vec<Piece>, hs: HideId) -> Vec<PTok> {
        let mut out: Vec<Piece> = Vec::with_capacity(items.len());
        let mut it = items.into_iter();
        while let Some(piece) = it.next() {
            if !matches!(piece, Piece::Paste) {
                out.push(piece);
                continue;
            }
            let lhs = out.pop().unwrap_or(Piece::Placemarker);
            let rhs = it.next().unwrap_or(Piece::Placemarker);
            match (lhs, rhs) {
                (Piece::Tok(a), Piece::Tok(b)) => {
                    for p in self.paste(a, b, hs) {
                        out.push(Piece::Tok(p));
                    }
                }
                (Piece::Tok(a), _) => out.push(Piece::Tok(a)),
                (_, other) => out.push(other),
            }
        }
        out.into_iter()
            .filter_map(|p| match p {
                Piece::Tok(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    /// `a ## b`: one token if the spellings form one, else both and an error.
    fn paste(&mut self, a: PTok, b: PTok, hs: HideId) -> Vec<PTok> {
        let text = format!("{}{}", a.t.text(), b.t.text());
        let lexed = lex::lex(a.t.loc.file, text.as_bytes(), &LineIndex::new(text.as_bytes()));
        if lexed.tokens.len() == 1 && lexed.errors.is_empty() {
            let t = Token {
                flags: a.t.flags & SPACE,
                loc: a.t.loc,
                origin: a.t.origin,
                ..lexed.tokens[0]
            };
            return vec![PTok { t, hs }];
        }
        let msg = format!(
            "pasting \"{}\" and \"{}\" does not give a valid preprocessing token",
            a.t.text(),
            b.t.text()
        );
        self.diags.push(Diagnostic::error(a.t.loc, msg));
        vec![a, b]
    }
}

enum Piece {
    Tok(PTok),
    Paste,
    Placemarker,
}

/// Index of the `)` matching the `(` at `open` (or the last index).
fn matching_paren(body: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, t) in body.iter().enumerate().skip(open) {
        if t.is("(") {
            depth += 1;
        } else if t.is(")") {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
    }
    body.len().saturating_sub(1)
}

/// `#arg` (C17 6.10.3.2): the spelling as a string literal.
pub(super) fn stringize(arg: &[PTok]) -> String {
    let mut s = String::from("\"");
    for (i, p) in arg.iter().enumerate() {
        if i > 0 && p.t.has_space() {
            s.push(' ');
        }
        let text = p.t.text();
        if matches!(p.t.kind, TokenKind::Str | TokenKind::Char) {
            for c in text.chars() {
                if c == '"' || c == '\\' {
                    s.push('\\');
                }
                s.push(c);
            }
        } else {
            s.push_str(text);
        }
    }
    s.push('"');
    s
}
