//! Lexing: the bytes of one file to preprocessing tokens (C17 6.4), each
//! with its location.
//!
//! Takes: a file's bytes. Returns: its tokens, with a flag for "first on its
//! line" and "preceded by white space" (the preprocessor needs both), and the
//! lexical errors found (unterminated comments, strings and characters).
//! Comments become white space; line splices (`\` before a newline) are
//! removed wherever they occur. Bytes that are not UTF-8 are only accepted
//! inside comments, strings and character constants. Identifiers, numbers
//! and punctuators are interned as [`Sym`] so that later stages compare and
//! hash integers.

use crate::ir::{FileId, Loc};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, OnceLock};

/// An interned string: identifier, number, literal or punctuator spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub u32);

/// Spellings by [`Sym`], in chunks that never move: chunk `k` holds the
/// ids `FIRST_CHUNK * (2^k - 1) ..`, `FIRST_CHUNK * 2^k` of them. Slots are
/// written once, under the interner's lock, before their `Sym` exists, so
/// [`Sym::as_str`] reads them without a lock (it is called for every token
/// comparison of every stage).
const FIRST_CHUNK: usize = 1 << 12;
const CHUNKS: usize = 20;
type Chunk = Box<[OnceLock<&'static str>]>;
static SPELLINGS: [OnceLock<Chunk>; CHUNKS] = [const { OnceLock::new() }; CHUNKS];

/// Chunk and slot of an id.
fn slot_of(id: usize) -> (usize, usize) {
    let k = (id / FIRST_CHUNK + 1).ilog2() as usize;
    (k, id - FIRST_CHUNK * ((1 << k) - 1))
}

#[derive(Default)]
struct Interner {
    map: IdMap<&'static str, Sym>,
    len: usize,
}

fn interner() -> &'static Mutex<Interner> {
    static INTERNER: OnceLock<Mutex<Interner>> = OnceLock::new();
    INTERNER.get_or_init(Default::default)
}

fn lock() -> std::sync::MutexGuard<'static, Interner> {
    interner().lock().unwrap_or_else(|e| e.into_inner())
}

impl Sym {
    /// Interns `s`.
    pub fn new(s: &str) -> Sym {
        lock().intern(s)
    }

    /// Interns many strings under one lock.
    pub fn new_many<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<Sym> {
        let mut w = lock();
        items.into_iter().map(|s| w.intern(s)).collect()
    }

    /// The interned text.
    pub fn as_str(self) -> &'static str {
        let (k, i) = slot_of(self.0 as usize);
        // A `Sym` is only made by `Interner::intern`, after its slot is set;
        // `Sym(n)` built by hand from an unused number reads as "".
        SPELLINGS.get(k).and_then(|c| c.get()).and_then(|c| c.get(i)?.get()).copied().unwrap_or("")
    }
}

impl Interner {
    fn intern(&mut self, s: &str) -> Sym {
        if let Some(sym) = self.map.get(s) {
            return *sym;
        }
        // Interned strings live as long as the process: the set of distinct
        // spellings in a header tree is small (a few MB for /usr/include).
        let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str());
        let (k, i) = slot_of(self.len);
        let Some(chunk) = SPELLINGS.get(k) else {
            // FIXME: past ~4 billion spellings the table is full; such input
            // reads as empty spellings instead of failing the run.
            return Sym(u32::MAX);
        };
        let chunk = chunk.get_or_init(|| (0..FIRST_CHUNK << k).map(|_| OnceLock::new()).collect());
        let _ = chunk[i].set(leaked);
        let sym = Sym(self.len as u32);
        self.len += 1;
        self.map.insert(leaked, sym);
        sym
    }
}

/// A hasher for small integer keys such as [`Sym`], and short strings
/// (multiplicative, as rustc's FxHash): much cheaper than SipHash, and the keys are not chosen
/// by an attacker who could profit from collisions beyond slowing one run.
#[derive(Clone, Copy, Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        let mut last = [0u8; 8];
        last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.write_u64(u64::from_le_bytes(last));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// A `HashMap` keyed by [`Sym`] or other small ids.
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

impl std::fmt::Display for Sym {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of a preprocessing token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// An identifier or keyword.
    Ident,
    /// A preprocessing number.
    Number,
    /// A character constant, prefix and quotes included.
    Char,
    /// A string literal, prefix and quotes included.
    Str,
    /// A punctuator.
    Punct,
    /// A byte that starts no token (`@`, a stray `\`, non-ASCII).
    Other,
    /// A placemarker produced by `##` with an empty operand (C17 6.10.3.3).
    Placemarker,
}

/// The token is the first on its logical line.
pub const BOL: u8 = 1;
/// White space (or a comment) precedes the token.
pub const SPACE: u8 = 2;
/// The token is an identifier that names a macro that was being expanded
/// when it was produced: it must never be expanded (C17 6.10.3.4p2).
pub const NO_EXPAND: u8 = 4;

/// A preprocessing token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Its spelling.
    pub sym: Sym,
    /// [`BOL`], [`SPACE`], [`NO_EXPAND`].
    pub flags: u8,
    /// Where it was spelled, or for a token produced by macro expansion,
    /// where the outermost macro was invoked.
    pub loc: Loc,
    /// For a token produced by macro expansion, the outermost macro invoked
    /// in the text being preprocessed: `N` in `char name[N];`.
    pub origin: Option<Sym>,
}

impl Token {
    /// The spelling.
    pub fn text(&self) -> &'static str {
        self.sym.as_str()
    }

    /// Whether this is the punctuator or identifier `s`.
    pub fn is(&self, s: &str) -> bool {
        matches!(self.kind, TokenKind::Punct | TokenKind::Ident) && self.text() == s
    }

    /// Whether the token is first on its line.
    pub fn at_bol(&self) -> bool {
        self.flags & BOL != 0
    }

    /// Whether white space precedes the token.
    pub fn has_space(&self) -> bool {
        self.flags & SPACE != 0
    }
}

/// A lexical error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    /// Where.
    pub loc: Loc,
    /// What.
    pub message: String,
}

/// Line start offsets of a file, to turn byte offsets into lines and columns.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    /// Indexes `src`.
    pub fn new(src: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', src).map(|i| i as u32 + 1));
        LineIndex { starts }
    }

    /// The location of byte `offset` of `file`.
    pub fn loc(&self, file: FileId, offset: u32) -> Loc {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let column = offset - self.starts[line - 1] + 1;
        Loc { file, offset, line: line as u32, column }
    }
}

/// The tokens of one file and the errors found while lexing it.
#[derive(Clone, Debug, Default)]
pub struct Lexed {
    /// Tokens in order.
    pub tokens: Vec<Token>,
    /// Errors, in order.
    pub errors: Vec<LexError>,
}

const PUNCTS3: [&[u8]; 3] = [b"...", b"<<=", b">>="];
const PUNCTS2: [&[u8]; 26] = [
    b"->", b"++", b"--", b"<<", b">>", b"<=", b">=", b"==", b"!=", b"&&", b"||", b"*=", b"/=",
    b"%=", b"+=", b"-=", b"&=", b"^=", b"|=", b"##", b"::", b"<:", b":>", b"<%", b"%>", b"%:",
];

/// The punctuator a digraph (C17 6.4.6p3) stands for.
fn digraph(spelling: &str) -> Option<&'static str> {
    Some(match spelling {
        "<:" => "[",
        ":>" => "]",
        "<%" => "{",
        "%>" => "}",
        "%:" => "#",
        "%:%:" => "##",
        _ => return None,
    })
}

struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    file: FileId,
    lines: &'a LineIndex,
    // Token spellings are collected first and interned together.
    spelled: Vec<(TokenKind, std::borrow::Cow<'a, str>, u8, u32)>,
    errors: Vec<LexError>,
}

/// Lexes `src`, the contents of `file`.
pub fn lex(file: FileId, src: &[u8], lines: &LineIndex) -> Lexed {
    let mut lx = Lexer { src, pos: 0, file, lines, spelled: Vec::new(), errors: Vec::new() };
    lx.run();
    let syms = Sym::new_many(lx.spelled.iter().map(|(_, s, _, _)| s.as_ref()));
    let tokens = lx
        .spelled
        .iter()
        .zip(syms)
        .map(|(&(kind, _, flags, offset), sym)| Token {
            kind,
            sym,
            flags,
            loc: lines.loc(file, offset),
            origin: None,
        })
        .collect();
    Lexed { tokens, errors: lx.errors }
}

/// The length of the line splice at `i`, if there is one: a backslash, then
/// a newline, perhaps after spaces, tabs or a carriage return (which GCC
/// accepts with a warning).
fn splice_len(src: &[u8], i: usize) -> Option<usize> {
    if src.get(i) != Some(&b'\\') {
        return None;
    }
    let blanks = src[i + 1..].iter().take_while(|&&b| matches!(b, b' ' | b'\t' | b'\r')).count();
    (src.get(i + 1 + blanks) == Some(&b'\n')).then_some(blanks + 2)
}

impl<'a> Lexer<'a> {
    /// The byte at `i`, after skipping line splices; with its real position.
    fn at(&self, mut i: usize) -> (u8, usize) {
        loop {
            match self.src.get(i) {
                Some(&c) => match splice_len(self.src, i) {
                    Some(n) => i += n,
                    None => return (c, i),
                },
                None => return (0, self.src.len()),
            }
        }
    }

    fn peek(&self) -> u8 {
        self.at(self.pos).0
    }

    /// Moves past the current byte (and any splice before it).
    fn bump(&mut self) -> u8 {
        let (c, i) = self.at(self.pos);
        self.pos = (i + 1).min(self.src.len());
        c
    }

    fn eof(&self) -> bool {
        self.at(self.pos).1 >= self.src.len()
    }

    fn error(&mut self, offset: usize, message: impl Into<String>) {
        let loc = self.lines.loc(self.file, offset as u32);
        self.errors.push(LexError { loc, message: message.into() });
    }

    fn run(&mut self) {
        let mut flags = BOL;
        while !self.eof() {
            let (c, start) = self.at(self.pos);
            match c {
                b'\n' => {
                    self.bump();
                    flags = BOL;
                }
                b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c' => {
                    self.bump();
                    flags |= SPACE;
                }
                b'/' if self.at(start + 1).0 == b'*' || self.at(self.at(start).1 + 1).0 == b'*' => {
                    self.block_comment(start);
                    flags |= SPACE;
                }
                b'/' if self.at(self.at(start).1 + 1).0 == b'/' => {
                    while !self.eof() && self.peek() != b'\n' {
                        self.bump();
                    }
                    flags |= SPACE;
                }
                _ => {
                    self.token(start, flags);
                    flags = 0;
                }
            }
        }
    }

    fn block_comment(&mut self, start: usize) {
        self.bump();
        self.bump();
        loop {
            if self.eof() {
                self.error(start, "unterminated comment");
                return;
            }
            if self.bump() == b'*' && self.peek() == b'/' {
                self.bump();
                return;
            }
        }
    }

    /// The source text from `start` to the current position, splices removed.
    fn text_from(&self, start: usize) -> std::borrow::Cow<'a, str> {
        let raw = &self.src[start..self.pos];
        if memchr::memchr(b'\\', raw).is_none() {
            return String::from_utf8_lossy(raw);
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            if let Some(n) = splice_len(raw, i) {
                i += n;
            } else {
                out.push(raw[i]);
                i += 1;
            }
        }
        std::borrow::Cow::Owned(String::from_utf8_lossy(&out).into_owned())
    }

    fn push(&mut self, kind: TokenKind, start: usize, flags: u8) {
        let mut text = self.text_from(start);
        if let Some(canonical) = (kind == TokenKind::Punct).then(|| digraph(&text)).flatten() {
            text = std::borrow::Cow::Borrowed(canonical);
        }
        self.spelled.push((kind, text, flags, start as u32));
    }

    fn token(&mut self, start: usize, flags: u8) {
        let c = self.peek();
        let kind = match c {
            b'L' | b'u' | b'U' if self.literal_prefix_len().is_some() => {
                let n = self.literal_prefix_len().unwrap_or(0);
                for _ in 0..n {
                    self.bump();
                }
                let quote = self.peek();
                self.quoted(start, quote)
            }
            c if c == b'_' || c == b'$' || c.is_ascii_alphabetic() => {
                while matches!(self.peek(), b'_' | b'$' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z') {
                    self.bump();
                }
                TokenKind::Ident
            }
            b'0'..=b'9' => self.number(),
            b'.' if self.at(self.at(start).1 + 1).0.is_ascii_digit() => self.number(),
            b'"' | b'\'' => self.quoted(start, c),
            _ => self.punct(),
        };
        self.push(kind, start, flags);
    }

    /// For `L"`, `u8'`, ...: the length of the prefix before the quote.
    fn literal_prefix_len(&self) -> Option<usize> {
        let (a, i) = self.at(self.pos);
        let (b, j) = self.at(i + 1);
        if b == b'"' || b == b'\'' {
            return Some(1);
        }
        if a == b'u' && b == b'8' && matches!(self.at(j + 1).0, b'"' | b'\'') {
            return Some(2);
        }
        None
    }

    fn number(&mut self) -> TokenKind {
        loop {
            let c = self.peek();
            if matches!(c, b'e' | b'E' | b'p' | b'P') {
                self.bump();
                if matches!(self.peek(), b'+' | b'-') {
                    self.bump();
                }
            } else if c == b'.' || c == b'_' || c.is_ascii_alphanumeric() {
                self.bump();
            } else if c == b'\'' && self.at(self.at(self.pos).1 + 1).0.is_ascii_alphanumeric() {
                // C23 digit separator.
                self.bump();
            } else {
                return TokenKind::Number;
            }
        }
    }

    fn quoted(&mut self, start: usize, quote: u8) -> TokenKind {
        self.bump();
        loop {
            if self.eof() || self.peek() == b'\n' {
                let what = if quote == b'"' { "string literal" } else { "character constant" };
                self.error(start, format!("unterminated {what}"));
                break;
            }
            match self.bump() {
                b'\\' => {
                    self.bump();
                }
                c if c == quote => break,
                _ => {}
            }
        }
        if quote == b'"' {
            TokenKind::Str
        } else {
            TokenKind::Char
        }
    }

    fn punct(&mut self) -> TokenKind {
        let (a, i) = self.at(self.pos);
        let (b, j) = self.at(i + 1);
        let (c, _) = self.at(j + 1);
        let three = [a, b, c];
        let two = [a, b];
        let n = if three == *b"%:%" && self.at(self.at(j + 1).1 + 1).0 == b':' {
            4
        } else if PUNCTS3.iter().any(|p| *p == three) {
            3
        } else if PUNCTS2.iter().any(|p| *p == two) {
            2
        } else {
            1
        };
        for _ in 0..n {
            self.bump();
        }
        if a.is_ascii_punctuation() && a != b'@' && a != b'`' && a != b'\\' {
            TokenKind::Punct
        } else {
            // Skip the rest of a multi-byte UTF-8 sequence as one token.
            while self.peek() & 0xc0 == 0x80 {
                self.bump();
            }
            TokenKind::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spell(src: &str) -> Vec<String> {
        let lines = LineIndex::new(src.as_bytes());
        lex(FileId(0), src.as_bytes(), &lines).tokens.iter().map(|t| t.text().to_string()).collect()
    }

    #[test]
    fn tokens() {
        let cases: &[(&str, &[&str])] = &[
            ("struct a { int x; };", &["struct", "a", "{", "int", "x", ";", "}", ";"]),
            ("a->b ... <<= x##y", &["a", "->", "b", "...", "<<=", "x", "##", "y"]),
            ("0x1fULL 1.5e+3 .5", &["0x1fULL", "1.5e+3", ".5"]),
            ("L'x' u8\"s\" 'a'", &["L'x'", "u8\"s\"", "'a'"]),
            ("in\\\nt x", &["int", "x"]),
            (
                "%:define X <: :> <% %> %:%: %:%",
                &["#", "define", "X", "[", "]", "{", "}", "##", "#", "%"],
            ),
            // A splice with blanks before the newline, as GCC accepts.
            ("in\\ \t\r\nt x // c \\  \n y\nz", &["int", "x", "z"]),
            ("a /* } */ b // c\nd", &["a", "b", "d"]),
            ("\"a \\\" b\" c", &["\"a \\\" b\"", "c"]),
        ];
        for (src, want) in cases {
            assert_eq!(spell(src), *want, "lexing {src:?}");
        }
    }

    #[test]
    fn flags_and_locations() {
        let src = "#define A 1\n  x y";
        let lines = LineIndex::new(src.as_bytes());
        let t = lex(FileId(0), src.as_bytes(), &lines).tokens;
        assert!(t[0].at_bol() && !t[1].at_bol());
        assert!(t[4].at_bol() && t[4].has_space() && t[4].loc.line == 2 && t[4].loc.column == 3);
        assert!(!t[5].at_bol() && t[5].has_space());
    }

    #[test]
    fn errors() {
        for (src, msg) in
            [("/* open", "unterminated comment"), ("\"abc\n", "unterminated string literal")]
        {
            let lines = LineIndex::new(src.as_bytes());
            let lexed = lex(FileId(0), src.as_bytes(), &lines);
            assert_eq!(lexed.errors[0].message, msg);
        }
        let bytes = b"/* \xff\xfe */ int";
        let lexed = lex(FileId(0), bytes, &LineIndex::new(bytes));
        assert!(lexed.errors.is_empty());
        assert_eq!(lexed.tokens.len(), 1);
    }
}
