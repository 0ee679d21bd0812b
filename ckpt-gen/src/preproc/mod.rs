//! Preprocessing (C17 6.10): includes, macros and conditional inclusion.
//!
//! Takes: a root header, include search paths, command-line macros and the
//! target's predefined macros. Returns: the expanded token stream of the
//! translation unit, the `#pragma pack` state changes within it, the
//! object-like macros defined in scanned files, and diagnostics.
//!
//! Known gaps against GCC (each found by comparing with it; none has been
//! seen to change a record of a real header):
//! - `#line` is ignored: `__LINE__`, `__FILE__` and diagnostics keep the
//!   real position.
//! - `__VA_OPT__` whose variadic argument is present but expands to
//!   nothing, `#__VA_OPT__`, and GNU `, ## __VA_ARGS__` with an argument
//!   that is present but empty, differ from GCC; so does the white space
//!   `#` keeps around an argument that expands to nothing.
//! - Directives inside the arguments of a macro call (a GCC extension) end
//!   the call with an error.
//! - An integer literal too large for 64 bits in `#if` is an error (GCC
//!   warns and truncates).

use crate::diag::Diagnostic;
use crate::ir::Loc;
use crate::lex::{Sym, Token};

/// From token index `at` on, `#pragma pack` caps member alignment at
/// `max_align` bytes (`None`: no cap).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackChange {
    /// Index into [`Output::tokens`] of the first token the state applies to.
    pub at: usize,
    /// The cap in bytes, or `None` for the default.
    pub max_align: Option<u32>,
}

/// An object-like macro, fully expanded, as candidate integer constant.
#[derive(Clone, Debug)]
pub struct ObjectMacro {
    /// The name.
    pub name: Sym,
    /// The replacement list after expansion with the macros defined at the
    /// end of the translation unit.
    pub expansion: Vec<Token>,
    /// Where `#define` named it.
    pub loc: Loc,
}

/// A preprocessed translation unit.
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// The token stream the parser reads.
    pub tokens: Vec<Token>,
    /// `#pragma pack` changes, in token order.
    pub pack: Vec<PackChange>,
    /// Object-like macros defined in scanned files and still defined at the
    /// end of the unit.
    pub macros: Vec<ObjectMacro>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

mod cond;
mod expand;
mod hide;

pub(crate) use cond::parse_integer;

#[cfg(test)]
mod tests;

use crate::lex::{IdMap, TokenKind, BOL, NO_EXPAND, SPACE};
use crate::source::{Loaded, Sources};
use expand::{Mode, PTok};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

/// How to preprocess.
#[derive(Clone, Debug)]
pub struct Config {
    /// Searched for `#include "..."` (after the including file's folder) and
    /// `#include <...>`, in order: `-I` folders, then the scanned trees'
    /// include roots.
    pub include_dirs: Vec<PathBuf>,
    /// Searched after `include_dirs`: the system folders.
    pub system_dirs: Vec<PathBuf>,
    /// Macros defined before the first line, in order (the target's
    /// predefined macros, then `-D`).
    pub defines: Vec<(String, String)>,
    /// Macros removed after `defines` (`-U`).
    pub undefines: Vec<String>,
    /// Deepest `#include` nesting accepted.
    pub max_include_depth: usize,
    /// Most tokens one translation unit may produce: those of the files
    /// it includes plus those macro expansion produces.
    pub max_expansion_tokens: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            include_dirs: Vec::new(),
            system_dirs: Vec::new(),
            defines: Vec::new(),
            undefines: Vec::new(),
            max_include_depth: 200,
            max_expansion_tokens: 5_000_000,
        }
    }
}

/// Special macros whose value the preprocessor computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Builtin {
    File,
    /// `__BASE_FILE__`: the translation unit's own header.
    BaseFile,
    /// `__INCLUDE_LEVEL__`: 0 in the unit's header, 1 in what it includes.
    IncludeLevel,
    /// `__DATE__`, `__TIME__`, `__TIMESTAMP__`: what GCC gives when it
    /// cannot tell the date (`"??? ?? ????"`), of the real value's length,
    /// so that output does not change from run to run.
    Date(&'static str),
    Line,
    Counter,
    /// `__has_include` and the other `__has_*` operators: only meaningful in
    /// `#if`; listed so that `defined(__has_include)` is true.
    HasOperator,
}

/// A macro definition.
#[derive(Clone, Debug)]
struct Macro {
    params: Option<Vec<Sym>>,
    variadic: bool,
    body: Vec<Token>,
    loc: Option<Loc>,
    in_scan: bool,
    builtin: Option<Builtin>,
}

/// One open `#if` group.
#[derive(Clone, Copy, Debug)]
struct Cond {
    /// Tokens of this group are being processed.
    active: bool,
    /// Some branch of this `#if` chain was taken already.
    taken: bool,
    /// The enclosing group is active.
    parent_active: bool,
    /// `#else` was seen.
    else_seen: bool,
    /// Where the `#if` is.
    loc: Loc,
}

struct Frame {
    file: Arc<Loaded>,
    /// Index in the search list of the folder the file was found in.
    found_in: Option<usize>,
}

struct Pp<'a> {
    sources: &'a Sources,
    config: &'a Config,
    search: Vec<PathBuf>,
    /// Shared so that expanding a macro does not copy its body.
    macros: IdMap<Sym, Rc<Macro>>,
    pushed_macros: IdMap<Sym, Vec<Option<Rc<Macro>>>>,
    hides: hide::HideSets,
    out: Vec<Token>,
    pack: Vec<PackChange>,
    /// `#pragma pack(push[, label][, N])` entries: the packing before the
    /// push, and the label.
    pack_stack: Vec<(Option<u32>, Option<Sym>)>,
    pack_now: Option<u32>,
    once: HashSet<crate::ir::FileId>,
    stack: Vec<Frame>,
    diags: Vec<Diagnostic>,
    spent: usize,
    budget_reported: bool,
    /// How many expansions of macro arguments are open (each nests a call
    /// of `expand`).
    nesting: u32,
    nesting_reported: bool,
    counter: u64,
}

/// Preprocesses the translation unit rooted at `root`.
pub fn preprocess(root: &Path, config: &Config, sources: &Sources) -> Output {
    let mut pp = Pp::new(config, sources);
    match sources.load(root) {
        Ok(file) => pp.run_file(file, None),
        Err(e) => pp.diags.push(Diagnostic::global(
            crate::diag::Severity::Error,
            format!("cannot read {}: {e}", root.display()),
        )),
    }
    pp.finish()
}

impl<'a> Pp<'a> {
    fn new(config: &'a Config, sources: &'a Sources) -> Pp<'a> {
        let search = config.include_dirs.iter().chain(&config.system_dirs).cloned().collect();
        let mut pp = Pp {
            sources,
            config,
            search,
            macros: IdMap::default(),
            pushed_macros: IdMap::default(),
            hides: hide::HideSets::default(),
            out: Vec::new(),
            pack: Vec::new(),
            pack_stack: Vec::new(),
            pack_now: None,
            once: HashSet::new(),
            stack: Vec::new(),
            diags: Vec::new(),
            spent: 0,
            nesting: 0,
            nesting_reported: false,
            budget_reported: false,
            counter: 0,
        };
        pp.define_builtins();
        pp
    }

    fn define_builtins(&mut self) {
        let builtin = |b| {
            Rc::new(Macro {
                params: None,
                variadic: false,
                body: Vec::new(),
                loc: None,
                in_scan: false,
                builtin: Some(b),
            })
        };
        self.macros.insert(Sym::new("__FILE__"), builtin(Builtin::File));
        self.macros.insert(Sym::new("__LINE__"), builtin(Builtin::Line));
        self.macros.insert(Sym::new("__COUNTER__"), builtin(Builtin::Counter));
        self.macros.insert(Sym::new("__BASE_FILE__"), builtin(Builtin::BaseFile));
        self.macros.insert(Sym::new("__INCLUDE_LEVEL__"), builtin(Builtin::IncludeLevel));
        for (name, text) in [
            ("__DATE__", "\"??? ?? ????\""),
            ("__TIME__", "\"??:??:??\""),
            ("__TIMESTAMP__", "\"??? ??? ?? ??:??:?? ????\""),
        ] {
            self.macros.insert(Sym::new(name), builtin(Builtin::Date(text)));
        }
        for name in HAS_OPERATORS {
            self.macros.insert(Sym::new(name), builtin(Builtin::HasOperator));
        }
        let config = self.config;
        for tokens in self.sources.definitions(&config.defines).iter() {
            if tokens.len() >= 3 {
                self.define(&tokens[2..], false);
            }
        }
        for name in &config.undefines {
            self.macros.remove(&Sym::new(name));
        }
    }

    fn finish(mut self) -> Output {
        let mut macros = Vec::new();
        let mut names: Vec<(Sym, Rc<Macro>)> = self
            .macros
            .iter()
            .filter(|(_, m)| m.in_scan && m.params.is_none() && !m.body.is_empty())
            .map(|(k, m)| (*k, m.clone()))
            .collect();
        names.sort_by_key(|(_, m)| m.loc.map(|l| (l.file, l.offset)));
        for (name, m) in names {
            let Some(loc) = m.loc else { continue };
            let before = self.diags.len();
            let input =
                m.body.iter().map(|t| PTok::new(Token { loc, origin: Some(name), ..*t })).collect();
            let expansion: Vec<Token> =
                self.expand(input, Mode::Text).into_iter().map(|p| p.t).collect();
            // Problems in a macro nobody uses are not the user's problem.
            self.diags.truncate(before);
            macros.push(ObjectMacro { name, expansion, loc });
        }
        Output { tokens: self.out, pack: self.pack, macros, diagnostics: self.diags }
    }

    fn active(conds: &[Cond]) -> bool {
        conds.last().is_none_or(|c| c.active)
    }

    fn run_file(&mut self, file: Arc<Loaded>, found_in: Option<usize>) {
        for e in &file.errors {
            self.diags.push(Diagnostic::error(e.loc, e.message.clone()));
        }
        self.stack.push(Frame { file: file.clone(), found_in });
        let tokens = &file.tokens;
        let mut conds: Vec<Cond> = Vec::new();
        let mut run: Vec<PTok> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = tokens[i];
            if !(t.flags & BOL != 0 && t.is("#")) {
                if Self::active(&conds) {
                    run.push(PTok::new(t));
                }
                i += 1;
                continue;
            }
            let end = (i + 1..tokens.len()).find(|&j| tokens[j].at_bol()).unwrap_or(tokens.len());
            if !run.is_empty() {
                self.emit(std::mem::take(&mut run));
            }
            self.directive(t, &tokens[i + 1..end], &mut conds);
            i = end;
        }
        if !run.is_empty() {
            self.emit(run);
        }
        for c in conds {
            self.diags.push(Diagnostic::error(c.loc, "unterminated conditional directive"));
        }
        self.stack.pop();
    }

    /// Expands a run of text lines and appends it to the output, handling
    /// `_Pragma`.
    fn emit(&mut self, run: Vec<PTok>) {
        let expanded = self.expand(run, Mode::Text);
        let mut i = 0;
        while i < expanded.len() {
            let t = expanded[i].t;
            if t.is("_Pragma") && expanded.get(i + 1).is_some_and(|p| p.t.is("(")) {
                if let (Some(s), Some(close)) = (expanded.get(i + 2), expanded.get(i + 3)) {
                    if s.t.kind == TokenKind::Str && close.t.is(")") {
                        self.pragma_string(s.t);
                        i += 4;
                        continue;
                    }
                }
            }
            let mut t = t;
            t.flags &= !NO_EXPAND;
            self.out.push(t);
            i += 1;
        }
    }

    fn pragma_string(&mut self, s: Token) {
        let text = s.text();
        let inner = text.trim_start_matches(['L', 'u', 'U', '8']);
        let inner = inner.get(1..inner.len().saturating_sub(1)).unwrap_or("");
        let inner = inner.replace("\\\"", "\"").replace("\\\\", "\\");
        let lexed = crate::lex::lex(
            s.loc.file,
            inner.as_bytes(),
            &crate::lex::LineIndex::new(inner.as_bytes()),
        );
        let toks: Vec<Token> =
            lexed.tokens.into_iter().map(|t| Token { loc: s.loc, ..t }).collect();
        self.pragma(&toks);
    }

    fn directive(&mut self, hash: Token, line: &[Token], conds: &mut Vec<Cond>) {
        let Some(name) = line.first() else { return };
        let args = &line[1..];
        let active = Self::active(conds);
        match name.text() {
            "if" | "ifdef" | "ifndef" => {
                let value = active && self.condition_of(name.text(), *name, args);
                conds.push(Cond {
                    active: value,
                    taken: value,
                    parent_active: active,
                    else_seen: false,
                    loc: hash.loc,
                });
            }
            "elif" | "elifdef" | "elifndef" => {
                let Some(c) = conds.last().copied() else {
                    return self.diags.push(Diagnostic::error(
                        hash.loc,
                        format!("#{} without #if", name.text()),
                    ));
                };
                if c.else_seen {
                    self.diags
                        .push(Diagnostic::error(hash.loc, format!("#{} after #else", name.text())));
                }
                let kind = name.text().trim_start_matches("el");
                let kind = if kind == "if" { "if" } else { kind };
                let value = c.parent_active && !c.taken && self.condition_of(kind, *name, args);
                if let Some(last) = conds.last_mut() {
                    last.active = value;
                    last.taken |= value;
                }
            }
            "else" => match conds.last_mut() {
                Some(c) => {
                    if c.else_seen {
                        self.diags.push(Diagnostic::error(hash.loc, "#else after #else"));
                    }
                    c.active = c.parent_active && !c.taken;
                    c.taken = true;
                    c.else_seen = true;
                }
                None => self.diags.push(Diagnostic::error(hash.loc, "#else without #if")),
            },
            "endif" => {
                if conds.pop().is_none() {
                    self.diags.push(Diagnostic::error(hash.loc, "#endif without #if"));
                }
            }
            _ if !active => {}
            "define" => self.define(args, true),
            "undef" => {
                if let Some(n) = args.first() {
                    self.macros.remove(&n.sym);
                }
            }
            "include" | "include_next" | "import" => self.include(*name, args),
            "pragma" => self.pragma(args),
            "error" => {
                let msg = format!("#error {}", spell(args));
                self.diags.push(Diagnostic::error(hash.loc, msg.trim_end().to_string()));
            }
            "warning" => {
                let msg = format!("#warning {}", spell(args));
                self.diags.push(Diagnostic::warning(hash.loc, msg.trim_end().to_string()));
            }
            "line" | "ident" | "sccs" | "assert" | "unassert" => {}
            _ if name.kind == TokenKind::Number => {}
            other => {
                let msg = format!("invalid preprocessing directive #{other}");
                self.diags.push(Diagnostic::error(name.loc, msg));
            }
        }
    }

    /// The value of `#if`/`#ifdef`/`#ifndef` with these operands.
    fn condition_of(&mut self, kind: &str, at: Token, args: &[Token]) -> bool {
        if kind == "ifdef" || kind == "ifndef" {
            let Some(n) = args.first().filter(|t| t.kind == TokenKind::Ident) else {
                self.diags.push(Diagnostic::error(at.loc, format!("#{kind} expects a macro name")));
                return false;
            };
            return self.macros.contains_key(&n.sym) == (kind == "ifdef");
        }
        if args.is_empty() {
            self.diags.push(Diagnostic::error(at.loc, "#if with no expression"));
            return false;
        }
        let input = args.iter().map(|t| PTok::new(*t)).collect();
        let expanded: Vec<Token> =
            self.expand(input, Mode::Condition).into_iter().map(|p| p.t).collect();
        // Character constants take the target's signedness of `char` and
        // `wchar_t`, which its predefined macros tell (looked up only for
        // the few expressions that have one).
        let mut chars = cond::CharSigns::default();
        if expanded.iter().any(|t| t.kind == TokenKind::Char) {
            chars.char_unsigned = self.macros.contains_key(&Sym::new("__CHAR_UNSIGNED__"));
            chars.wchar_unsigned = (self.macros.get(&Sym::new("__WCHAR_MIN__")))
                .is_some_and(|m| m.body.first().is_some_and(|t| t.text() == "0U"));
        }
        match cond::evaluate(&expanded, chars) {
            Ok(v) => v,
            Err((pos, msg)) => {
                let loc = expanded.get(pos).map_or(at.loc, |t| t.loc);
                self.diags.push(Diagnostic::error(loc, msg));
                false
            }
        }
    }

    /// In `#if`: replaces `defined X` and the `__has_*` operators by `0`/`1`.
    /// Returns whether `tok` was such an operator.
    fn condition_operator(
        &mut self,
        tok: PTok,
        pending: &mut Vec<PTok>,
        out: &mut Vec<PTok>,
    ) -> bool {
        let name = tok.t.text();
        if name == "defined" {
            let paren = pending.last().is_some_and(|p| p.t.is("("));
            if paren {
                pending.pop();
            }
            let value = match pending.pop() {
                Some(n) if n.t.kind == TokenKind::Ident => self.macros.contains_key(&n.t.sym),
                _ => {
                    self.diags.push(Diagnostic::error(tok.t.loc, "'defined' expects a macro name"));
                    false
                }
            };
            if paren && pending.last().is_some_and(|p| p.t.is(")")) {
                pending.pop();
            }
            out.push(PTok::new(self.synth(
                if value { "1" } else { "0" },
                TokenKind::Number,
                tok.t,
            )));
            return true;
        }
        if !HAS_OPERATORS.contains(&name) {
            return false;
        }
        let mut inner = Vec::new();
        if pending.last().is_some_and(|p| p.t.is("(")) {
            pending.pop();
            let mut depth = 0usize;
            while let Some(p) = pending.pop() {
                if p.t.is("(") {
                    depth += 1;
                } else if p.t.is(")") {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                inner.push(p.t);
            }
        }
        let value = self.has_operator(name, &inner);
        out.push(PTok::new(self.synth(if value { "1" } else { "0" }, TokenKind::Number, tok.t)));
        true
    }

    fn has_operator(&mut self, name: &str, inner: &[Token]) -> bool {
        match name {
            "__has_include" | "__has_include_next" => {
                let next = name == "__has_include_next";
                match self.header_name(inner) {
                    Some((file, quoted)) => self.resolve(&file, quoted, next).is_some(),
                    None => false,
                }
            }
            // GCC 12 knows these attributes; headers use them to pick
            // declarations, none of which changes a record's layout.
            "__has_attribute" | "__has_c_attribute" | "__has_cpp_attribute" => {
                inner.first().is_some_and(|t| {
                    let a = t.text().trim_start_matches("__").trim_end_matches("__");
                    matches!(
                        a,
                        "packed"
                            | "aligned"
                            | "deprecated"
                            | "unused"
                            | "used"
                            | "noreturn"
                            | "const"
                            | "pure"
                            | "malloc"
                            | "nonnull"
                            | "format"
                            | "warn_unused_result"
                            | "always_inline"
                            | "noinline"
                            | "cold"
                            | "hot"
                            | "visibility"
                            | "alias"
                            | "weak"
                            | "section"
                            | "nonstring"
                            | "access"
                            | "fallthrough"
                            | "mode"
                            | "vector_size"
                            | "may_alias"
                            | "returns_nonnull"
                            | "sentinel"
                            | "alloc_size"
                            | "artificial"
                            | "gnu_inline"
                            | "leaf"
                            | "nothrow"
                            | "transparent_union"
                            | "designated_init"
                    )
                })
            }
            // GCC's built-in functions, by the prefixes of their families;
            // headers test them to pick an implementation, not a layout.
            "__has_builtin" => inner.first().is_some_and(|t| {
                let name = t.text();
                ["__builtin_", "__atomic_", "__sync_"].iter().any(|p| name.starts_with(p))
            }),
            _ => false,
        }
    }

    /// The file named by `#include` operands: the name and whether it was
    /// quoted. Expands macros when the operands are neither form.
    fn header_name(&mut self, toks: &[Token]) -> Option<(String, bool)> {
        let first = toks.first()?;
        if first.kind == TokenKind::Str {
            let t = first.text();
            return Some((t.get(1..t.len().saturating_sub(1))?.to_string(), true));
        }
        if first.is("<") {
            let mut name = String::new();
            for t in &toks[1..] {
                if t.is(">") {
                    return Some((name, false));
                }
                if t.has_space() && !name.is_empty() {
                    name.push(' ');
                }
                name.push_str(t.text());
            }
            return None;
        }
        let input = toks.iter().map(|t| PTok::new(*t)).collect();
        let expanded: Vec<Token> =
            self.expand(input, Mode::Text).into_iter().map(|p| p.t).collect();
        if expanded.first().is_some_and(|t| t.kind == TokenKind::Str || t.is("<")) {
            return self.header_name(&expanded);
        }
        None
    }

    /// Finds an include file: the including file's folder first for a
    /// quoted name, then the search list (after the current file's folder
    /// for `#include_next`).
    fn resolve(&self, name: &str, quoted: bool, next: bool) -> Option<(PathBuf, Option<usize>)> {
        if Path::new(name).is_absolute() {
            let p = PathBuf::from(name);
            return self.sources.is_file(&p).then_some((p, None));
        }
        let current = self.stack.last();
        if quoted && !next {
            if let Some(dir) = current.and_then(|f| f.file.info.path.parent()) {
                let p = dir.join(name);
                if self.sources.is_file(&p) {
                    return Some((p, current.and_then(|f| f.found_in)));
                }
            }
        }
        let start = match (next, current.and_then(|f| f.found_in)) {
            (true, Some(i)) => i + 1,
            _ => 0,
        };
        self.search.iter().enumerate().skip(start).find_map(|(i, dir)| {
            let p = dir.join(name);
            self.sources.is_file(&p).then_some((p, Some(i)))
        })
    }

    fn include(&mut self, directive: Token, args: &[Token]) {
        let Some((name, quoted)) = self.header_name(args) else {
            let msg = "#include expects \"FILENAME\" or <FILENAME>";
            return self.diags.push(Diagnostic::error(directive.loc, msg));
        };
        let next = directive.text() == "include_next";
        let Some((path, found_in)) = self.resolve(&name, quoted, next) else {
            let msg = format!("'{name}' file not found");
            let shown = if quoted { format!("\"{name}\"") } else { format!("<{name}>") };
            return self.diags.push(
                Diagnostic::error(directive.loc, msg)
                    .with_note(format!("searched for {shown} in the including file's folder and {} include folders; add one with -I", self.search.len())),
            );
        };
        let file = match self.sources.load(&path) {
            Ok(f) => f,
            Err(e) => {
                let msg = format!("cannot read '{}': {e}", path.display());
                return self.diags.push(Diagnostic::error(directive.loc, msg));
            }
        };
        if file.guard.is_some_and(|g| self.macros.contains_key(&g)) || self.once.contains(&file.id)
        {
            return;
        }
        if file.pragma_once {
            self.once.insert(file.id);
        }
        if self.stack.len() >= self.config.max_include_depth {
            return self.include_too_deep(directive, &file);
        }
        // A file without a guard that includes itself twice doubles the text
        // with each level: the depth limit alone allows 2^200 lines.
        if self.spent > self.config.max_expansion_tokens {
            return self.include_budget_spent(directive);
        }
        self.spent += file.tokens.len();
        self.run_file(file, found_in);
    }

    fn include_budget_spent(&mut self, directive: Token) {
        if self.budget_reported {
            return;
        }
        self.budget_reported = true;
        let msg = format!(
            "translation unit exceeds the limit of {} tokens; #include not processed",
            self.config.max_expansion_tokens
        );
        self.diags.push(Diagnostic::error(directive.loc, msg).with_note(
            "a header without an include guard that includes itself several times grows exponentially; raise the limit with --max-expansion if this is intended",
        ));
    }

    fn include_too_deep(&mut self, directive: Token, file: &Loaded) {
        let on_stack = self.stack.iter().position(|f| f.file.id == file.id);
        let msg = match on_stack {
            Some(_) => format!(
                "include cycle: '{}' includes itself (nesting exceeds {} levels)",
                file.info.display, self.config.max_include_depth
            ),
            None => {
                format!("#include nested more than {} levels deep", self.config.max_include_depth)
            }
        };
        let chain: Vec<&str> =
            self.stack.iter().rev().take(4).map(|f| f.file.info.display.as_str()).collect();
        self.diags.push(
            Diagnostic::error(directive.loc, msg)
                .with_note(format!("innermost includes: {}", chain.join(" <- ")))
                .with_note("an include guard (#ifndef X / #define X ... #endif) or #pragma once stops a cycle; --max-include-depth raises the limit"),
        );
    }

    fn define(&mut self, args: &[Token], from_file: bool) {
        let Some(name) = args.first().filter(|t| t.kind == TokenKind::Ident) else {
            if let Some(t) = args.first() {
                self.diags.push(Diagnostic::error(t.loc, "macro names must be identifiers"));
            }
            return;
        };
        if name.text() == "defined" {
            return self
                .diags
                .push(Diagnostic::error(name.loc, "'defined' cannot be used as a macro name"));
        }
        let mut body_start = 1;
        let mut params = None;
        let mut variadic = false;
        if args.get(1).is_some_and(|t| t.is("(") && !t.has_space()) {
            match parse_params(&args[2..]) {
                Ok((p, v, used)) => {
                    params = Some(p);
                    variadic = v;
                    body_start = 2 + used;
                }
                Err(at) => {
                    let loc = args.get(2 + at).map_or(name.loc, |t| t.loc);
                    let msg =
                        format!("invalid parameter list in definition of macro '{}'", name.text());
                    return self.diags.push(Diagnostic::error(loc, msg));
                }
            }
        }
        let mut body: Vec<Token> = args[body_start..].to_vec();
        if let Some(first) = body.first_mut() {
            first.flags &= !(SPACE | BOL);
        }
        if body.first().is_some_and(|t| t.is("##")) || body.last().is_some_and(|t| t.is("##")) {
            let msg = "'##' cannot appear at either end of a macro expansion";
            return self.diags.push(Diagnostic::error(name.loc, msg));
        }
        let in_scan = from_file && self.stack.last().is_some_and(|f| f.file.info.in_scan);
        let loc = from_file.then_some(name.loc);
        let m = Macro { params, variadic, body, loc, in_scan, builtin: None };
        self.macros.insert(name.sym, Rc::new(m));
    }

    fn pragma(&mut self, args: &[Token]) {
        let Some(first) = args.first() else { return };
        match first.text() {
            "once" => {
                if let Some(f) = self.stack.last() {
                    self.once.insert(f.file.id);
                }
            }
            "pack" => self.pragma_pack(first, &args[1..]),
            "push_macro" | "pop_macro" => {
                let Some(name) = args.get(2).filter(|t| t.kind == TokenKind::Str) else { return };
                let text = name.text().trim_matches('"');
                let sym = Sym::new(text);
                if first.text() == "push_macro" {
                    let current = self.macros.get(&sym).cloned();
                    self.pushed_macros.entry(sym).or_default().push(current);
                } else if let Some(saved) = self.pushed_macros.get_mut(&sym).and_then(|s| s.pop()) {
                    match saved {
                        Some(m) => self.macros.insert(sym, m),
                        None => self.macros.remove(&sym),
                    };
                }
            }
            _ => {}
        }
    }

    /// `#pragma pack(N)`, `pack()`, `pack(push[, label][, N])`,
    /// `pack(pop[, label])`. Popping a label pops every entry above it too
    /// (as GCC and Clang do); a label never pushed pops one entry, with a
    /// warning.
    fn pragma_pack(&mut self, at: &Token, args: &[Token]) {
        let inner: Vec<&Token> =
            args.iter().filter(|t| !t.is("(") && !t.is(")") && !t.is(",")).collect();
        let number = |t: &Token| -> Option<u32> {
            let (v, _, _) = parse_integer(t.text())?;
            u32::try_from(v).ok().filter(|v| v.is_power_of_two() && *v <= 16)
        };
        let mut words = inner.iter();
        let new = match words.next() {
            None => None,
            Some(t) if t.is("push") => {
                let label = inner.iter().find(|t| t.kind == TokenKind::Ident && !t.is("push"));
                self.pack_stack.push((self.pack_now, label.map(|t| t.sym)));
                match words.find(|t| t.kind == TokenKind::Number) {
                    Some(n) => number(n),
                    None => self.pack_now,
                }
            }
            Some(t) if t.is("pop") => {
                let label = inner.iter().find(|t| t.kind == TokenKind::Ident && !t.is("pop"));
                let found =
                    label.and_then(|l| self.pack_stack.iter().rposition(|e| e.1 == Some(l.sym)));
                if let (Some(l), None) = (label, found) {
                    let msg =
                        format!("#pragma pack(pop, {0}) without a matching push of {0}", l.text());
                    self.diags.push(Diagnostic::warning(l.loc, msg));
                }
                match found {
                    Some(i) => self.pack_stack.drain(i..).next().and_then(|e| e.0),
                    None => self.pack_stack.pop().and_then(|e| e.0),
                }
            }
            Some(t) if t.kind == TokenKind::Number => match number(t) {
                Some(n) => Some(n),
                None => {
                    let msg = format!("#pragma pack({}) is not 1, 2, 4, 8 or 16", t.text());
                    self.diags.push(Diagnostic::warning(t.loc, msg));
                    return;
                }
            },
            Some(t) if t.is("show") => return,
            Some(_) => {
                self.diags.push(Diagnostic::warning(at.loc, "malformed #pragma pack, ignored"));
                return;
            }
        };
        if new != self.pack_now || self.pack.last().is_none_or(|p| p.at != self.out.len()) {
            self.pack_now = new;
            self.pack.push(PackChange { at: self.out.len(), max_align: new });
        }
    }

    fn builtin_value(&mut self, b: Builtin, at: Token) -> Token {
        let text = match b {
            Builtin::File | Builtin::BaseFile => {
                let frame = if b == Builtin::File { self.stack.last() } else { self.stack.first() };
                let display = frame.map(|f| f.file.info.display.clone()).unwrap_or_default();
                return self.synth(
                    &format!("\"{}\"", display.replace('\\', "\\\\")),
                    TokenKind::Str,
                    at,
                );
            }
            Builtin::Line => at.loc.line.to_string(),
            Builtin::IncludeLevel => self.stack.len().saturating_sub(1).to_string(),
            Builtin::Date(text) => return self.synth(text, TokenKind::Str, at),
            Builtin::Counter => {
                self.counter += 1;
                (self.counter - 1).to_string()
            }
            Builtin::HasOperator => "0".to_string(),
        };
        self.synth(&text, TokenKind::Number, at)
    }
}

const HAS_OPERATORS: [&str; 9] = [
    "__has_include",
    "__has_include_next",
    "__has_attribute",
    "__has_c_attribute",
    "__has_cpp_attribute",
    "__has_builtin",
    "__has_feature",
    "__has_extension",
    "__has_warning",
];

/// Parses `a, b, ...)`; returns the names, whether variadic, and how many
/// tokens were used (including the `)`). On error, the index of the token.
fn parse_params(toks: &[Token]) -> Result<(Vec<Sym>, bool, usize), usize> {
    let mut params = Vec::new();
    let mut i = 0;
    if toks.first().is_some_and(|t| t.is(")")) {
        return Ok((params, false, 1));
    }
    loop {
        let t = toks.get(i).ok_or(i)?;
        if t.is("...") {
            params.push(Sym::new("__VA_ARGS__"));
            return match toks.get(i + 1) {
                Some(c) if c.is(")") => Ok((params, true, i + 2)),
                _ => Err(i + 1),
            };
        }
        if t.kind != TokenKind::Ident {
            return Err(i);
        }
        params.push(t.sym);
        i += 1;
        match toks.get(i) {
            Some(c) if c.is(",") => i += 1,
            Some(c) if c.is(")") => return Ok((params, false, i + 1)),
            // GNU named variadic parameter: `args...`.
            Some(c) if c.is("...") && toks.get(i + 1).is_some_and(|c| c.is(")")) => {
                return Ok((params, true, i + 2));
            }
            _ => return Err(i),
        }
    }
}

/// The tokens' spelling, single spaces where the source had white space.
fn spell(toks: &[Token]) -> String {
    let mut s = String::new();
    for (i, t) in toks.iter().enumerate() {
        if i > 0 && (t.has_space() || t.at_bol()) {
            s.push(' ');
        }
        s.push_str(t.text());
    }
    s
}
