//! Acceptance tests: the layout cases of `cases/layout/*/` (an `input.h`
//! and an `expected.json` per case, measured with GCC 12 and Clang 14),
//! lexed, parsed and laid out for every target the case lists.
//!
//! The cases live outside the repository: `$CKPT_LAYOUT_CASES`, or
//! `/work/shared/cases/layout`. When neither exists the test says so on
//! stderr and checks nothing.
//!
//! The headers need a little preprocessing (include guards, object-like
//! macros, `#pragma pack`, and one `#if` on `__BYTE_ORDER__`). Until the
//! `preproc` stage exists, [`MiniCpp`] does just that much, per target.

use super::Layouts;
use crate::ir::{FileId, Ir, Record, RecordId, SourceFile};
use crate::lex::{self, LineIndex, Token, TokenKind};
use crate::parse;
use crate::preproc::PackChange;
use crate::target::Target;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn cases_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("CKPT_LAYOUT_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/cases/layout"));
    dir.is_dir().then_some(dir)
}

/// Just enough of a preprocessor for the case headers: object-like
/// `#define`, `#if`/`#ifdef`/`#ifndef`/`#else`/`#endif`, `#pragma pack`.
struct MiniCpp {
    target: &'static Target,
    macros: HashMap<String, Vec<Token>>,
    out: Vec<Token>,
    pack: Vec<PackChange>,
    pack_stack: Vec<Option<u32>>,
    pack_now: Option<u32>,
    /// One entry per open conditional: (this group is live, a group of
    /// this conditional was taken).
    conds: Vec<(bool, bool)>,
}

impl MiniCpp {
    fn new(target: &'static Target) -> MiniCpp {
        let mut macros = HashMap::new();
        for (name, value) in target.predefined_macros() {
            macros.insert(name, lex_text(&value));
        }
        let (out, pack, pack_stack) = (Vec::new(), Vec::new(), Vec::new());
        MiniCpp { target, macros, out, pack, pack_stack, pack_now: None, conds: Vec::new() }
    }

    fn live(&self) -> bool {
        self.conds.iter().all(|&(live, _)| live)
    }

    fn run(mut self, tokens: &[Token]) -> (Vec<Token>, Vec<PackChange>) {
        let mut i = 0;
        while i < tokens.len() {
            let line_end = |from: usize| {
                (from + 1..tokens.len()).find(|&j| tokens[j].at_bol()).unwrap_or(tokens.len())
            };
            if tokens[i].at_bol() && tokens[i].is("#") {
                let end = line_end(i);
                self.directive(&tokens[i + 1..end]);
                i = end;
                continue;
            }
            let end = line_end(i);
            if self.live() {
                let expanded = self.expand(&tokens[i..end], &mut Vec::new());
                self.out.extend(expanded);
            }
            i = end;
        }
        assert!(self.conds.is_empty(), "unterminated #if");
        (self.out, self.pack)
    }

    fn directive(&mut self, line: &[Token]) {
        let Some((name, rest)) = line.split_first() else { return };
        match name.text() {
            "ifndef" | "ifdef" => {
                let defined = self.macros.contains_key(rest[0].text());
                let live = defined == (name.text() == "ifdef");
                self.conds.push((live, live));
            }
            "if" => {
                let live = self.condition(rest);
                self.conds.push((live, live));
            }
            "else" => {
                let (_, taken) = self.conds.pop().expect("#else without #if");
                self.conds.push((!taken, true));
            }
            "endif" => {
                self.conds.pop().expect("#endif without #if");
            }
            _ if !self.live() => {}
            "define" => {
                let function_like = rest.get(1).is_some_and(|t| t.is("(") && !t.has_space());
                assert!(!function_like, "function-like macros are not supported by MiniCpp");
                self.macros.insert(rest[0].text().to_string(), rest[1..].to_vec());
            }
            "pragma" if rest.first().is_some_and(|t| t.is("pack")) => self.pragma_pack(&rest[1..]),
            other => panic!("MiniCpp does not support #{other}"),
        }
    }

    /// `#pragma pack(push[, N])`, `(pop)`, `(N)`, `()`.
    fn pragma_pack(&mut self, args: &[Token]) {
        let words: Vec<&str> =
            args.iter().map(Token::text).filter(|t| !matches!(*t, "(" | ")" | ",")).collect();
        let number = |w: &str| w.parse::<u32>().expect("pack argument");
        match words.as_slice() {
            ["push"] => self.pack_stack.push(self.pack_now),
            ["push", n] => {
                self.pack_stack.push(self.pack_now);
                self.pack_now = Some(number(n));
            }
            ["pop"] => self.pack_now = self.pack_stack.pop().flatten(),
            [n] => self.pack_now = Some(number(n)),
            [] => self.pack_now = None,
            other => panic!("unsupported #pragma pack{other:?}"),
        }
        self.pack.push(PackChange { at: self.out.len(), max_align: self.pack_now });
    }

    /// An `#if` condition: `defined` resolved, macros expanded, other
    /// identifiers 0, then parsed and evaluated as a constant expression.
    fn condition(&self, tokens: &[Token]) -> bool {
        let mut resolved = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if tokens[i].is("defined") {
                let paren = tokens[i + 1].is("(");
                let name = if paren { &tokens[i + 2] } else { &tokens[i + 1] };
                let value = if self.macros.contains_key(name.text()) { "1" } else { "0" };
                resolved.extend(lex_text(value));
                i += if paren { 4 } else { 2 };
            } else {
                resolved.push(tokens[i]);
                i += 1;
            }
        }
        let expanded = self.expand(&resolved, &mut Vec::new());
        let zeroed: Vec<Token> = expanded
            .into_iter()
            .flat_map(|t| if t.kind == TokenKind::Ident { lex_text("0") } else { vec![t] })
            .collect();
        let ir = Ir::default();
        let expr = parse::parse_constant(&zeroed, &ir, &parse::Scope::default())
            .expect("#if condition parses");
        Layouts::compute(&ir, self.target).eval(&expr).expect("#if condition evaluates") != 0
    }

    /// Object-like macro expansion, with the names being expanded hidden
    /// (C17 6.10.3.4p2).
    fn expand(&self, tokens: &[Token], hidden: &mut Vec<String>) -> Vec<Token> {
        let mut out = Vec::new();
        for t in tokens {
            let name = t.text();
            match self.macros.get(name) {
                Some(body) if t.kind == TokenKind::Ident && !hidden.iter().any(|h| h == name) => {
                    hidden.push(name.to_string());
                    let origin = t.origin.or(Some(t.sym));
                    let expanded = self.expand(body, hidden);
                    out.extend(expanded.into_iter().map(|b| Token { loc: t.loc, origin, ..b }));
                    hidden.pop();
                }
                _ => out.push(*t),
            }
        }
        out
    }
}

fn lex_text(text: &str) -> Vec<Token> {
    let lines = LineIndex::new(text.as_bytes());
    let mut tokens = lex::lex(FileId(0), text.as_bytes(), &lines).tokens;
    for t in &mut tokens {
        t.flags &= !lex::BOL;
    }
    tokens
}

/// Preprocesses and parses one header for one target.
fn parse_case(path: &Path, target: &'static Target) -> Ir {
    let src = std::fs::read_to_string(path).expect("read input.h");
    parse_text(&src, target)
}

/// Preprocesses (with [`MiniCpp`]) and parses C text for one target;
/// panics on any lexer or parser diagnostic.
pub(super) fn parse_text(src: &str, target: &'static Target) -> Ir {
    let lines = LineIndex::new(src.as_bytes());
    let lexed = lex::lex(FileId(0), src.as_bytes(), &lines);
    assert!(lexed.errors.is_empty(), "lex errors {:?}", lexed.errors);

    let (tokens, pack) = MiniCpp::new(target).run(&lexed.tokens);
    let mut ir = Ir::default();
    ir.files.push(SourceFile { path: "input.h".into(), display: "input.h".into(), in_scan: true });
    let parsed = parse::parse_unit(&tokens, &pack, &mut ir);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    ir
}

/// The record `expected.json` calls `name`.
pub(super) fn record_by_name<'a>(ir: &'a Ir, name: &str) -> Option<(RecordId, &'a Record)> {
    ir.records_with_ids().find(|(_, r)| expected_name(r) == name)
}

/// The name `expected.json` uses: `struct tag`, `union tag`, or the typedef
/// name of an untagged record.
fn expected_name(rec: &Record) -> String {
    if rec.tagged {
        format!("{} {}", rec.kind.keyword(), rec.name)
    } else {
        rec.name.clone()
    }
}

/// Compares one record; returns the mismatches, described.
fn compare(layouts: &Layouts<'_>, want_name: &str, want: &serde_json::Value) -> Vec<String> {
    let ir = layouts.ir();
    let Some((id, rec)) = record_by_name(ir, want_name) else {
        return vec![format!("{want_name}: not found in the IR")];
    };
    let layout = match layouts.record(id) {
        Ok(l) => l,
        Err(e) => return vec![format!("{want_name}: no layout: {e}")],
    };

    let mut problems = Vec::new();
    let mut expect = |what: String, got: u64, want: &serde_json::Value| {
        if Some(got) != want.as_u64() {
            problems.push(format!("{want_name}.{what}: got {got}, expected {want}"));
        }
    };
    expect("size".into(), layout.size_bytes, &want["size"]);
    expect("align".into(), layout.align_bytes, &want["align"]);

    let bitfields = want.get("bitfields").and_then(|b| b.as_object());
    for (field, offset) in want["fields"].as_object().expect("fields") {
        let Some(index) = rec.fields.iter().position(|f| f.name.as_deref() == Some(field)) else {
            expect(format!("{field}: no such member in the IR; "), u64::MAX, offset);
            continue;
        };
        let got = &layout.fields[index];
        match bitfields.and_then(|b| b.get(field)) {
            Some(width) => {
                expect(format!("{field} bit offset"), got.offset_bits, offset);
                expect(format!("{field} width"), got.size_bits, width);
            }
            None => expect(format!("{field} offset"), got.offset_bits / 8, offset),
        }
    }
    problems
}

#[test]
fn layout_cases_match_the_compilers() {
    let Some(dir) = cases_dir() else {
        eprintln!("SKIPPED: no layout cases (set CKPT_LAYOUT_CASES to cases/layout)");
        return;
    };
    let mut case_dirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    case_dirs.sort();

    let (mut checked, mut problems) = (0, Vec::new());
    for case in &case_dirs {
        let expected: serde_json::Value =
            serde_json::from_slice(&std::fs::read(case.join("expected.json")).unwrap()).unwrap();
        for (target_name, records) in expected.as_object().expect("targets") {
            let target = Target::by_name(target_name).expect("known target");
            let ir = parse_case(&case.join("input.h"), target);
            let layouts = Layouts::compute(&ir, target);
            for (name, want) in records.as_object().expect("records") {
                checked += 1;
                let case_name = case.file_name().unwrap().to_string_lossy();
                problems.extend(
                    compare(&layouts, name, want)
                        .into_iter()
                        .map(|p| format!("{case_name} [{target_name}] {p}")),
                );
            }
        }
    }
    eprintln!("checked {checked} record layouts in {} cases", case_dirs.len());
    assert!(problems.is_empty(), "{} mismatches:\n{}", problems.len(), problems.join("\n"));
}
