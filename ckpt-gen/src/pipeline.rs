//! The front end run over a whole tree: scan, then preprocess and parse each
//! candidate header as its own translation unit (in parallel), then merge.
//!
//! Takes: [`Options`]. Returns: an [`Analysis`]: the merged, target-free IR
//! for the options' target (the preprocessor needs the target's macros, so
//! the IR is for one target even though it holds no sizes), every
//! diagnostic, and the files read. Layout, selection and emission are the
//! caller's next steps.

use crate::diag::{Diagnostic, Severity};
use crate::ir::{Ir, Macro, Merger, RecordId, Type};
use crate::preproc::{self, Config};
use crate::source::Sources;
use crate::target::Target;
use crate::{parse, scan};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What to read and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// Header trees or single headers to scan.
    pub paths: Vec<PathBuf>,
    /// Regular expression over record names; matching records defined in
    /// `paths` are selected.
    pub pattern: String,
    /// `-I` folders, searched before the trees' own include roots.
    pub include_dirs: Vec<PathBuf>,
    /// System folders; `None` for the host's (`/usr/include`, its multiarch
    /// folder, the compiler's own include folder).
    pub system_dirs: Option<Vec<PathBuf>>,
    /// `-D NAME[=VALUE]`, in order.
    pub defines: Vec<(String, String)>,
    /// `-U NAME`.
    pub undefines: Vec<String>,
    /// The target whose predefined macros the preprocessor sees.
    pub target: &'static Target,
    /// Deepest `#include` nesting.
    pub max_include_depth: usize,
    /// Most tokens one translation unit may produce: those of the files it
    /// includes plus those macro expansion produces.
    pub max_expansion_tokens: usize,
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
}

impl Options {
    /// Defaults for `paths` on `target`.
    pub fn new(paths: Vec<PathBuf>, target: &'static Target) -> Options {
        Options {
            paths,
            pattern: "^ckpt_".into(),
            include_dirs: Vec::new(),
            system_dirs: None,
            defines: Vec::new(),
            undefines: Vec::new(),
            target,
            max_include_depth: 200,
            max_expansion_tokens: 5_000_000,
            max_file_bytes: 64 << 20,
        }
    }
}

/// The front end's result.
#[derive(Debug)]
pub struct Analysis {
    /// Declarations of every unit, merged.
    pub ir: Ir,
    /// Everything reported, in a stable order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many headers the scan looked at.
    pub headers_seen: usize,
    /// How many of them were processed as translation units.
    pub units: usize,
    /// Every file read (for `cargo:rerun-if-changed`).
    pub files_read: Vec<PathBuf>,
    /// The headers whose translation unit had an error (their own or in a
    /// header they include): what is not self-contained for this target.
    pub failed_units: Vec<PathBuf>,
}

impl Analysis {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Runs the front end.
pub fn analyze(options: &Options) -> Analysis {
    let roots: Vec<PathBuf> = options.paths.iter().map(|p| absolute(p)).collect();
    let literal = scan::literal_prefix(&options.pattern);
    let mut scan = scan::scan_bounded(&roots, literal.as_deref(), options.max_file_bytes);
    let scan_roots = scan::Roots::new(&roots);
    scan.candidates.retain(|p| !foreign_arch(p, &scan_roots, options.target));
    let config = preproc_config(options, &roots);
    let sources = Sources::new(roots, options.max_file_bytes);

    // Units are merged a batch at a time, in scan order: holding every
    // unit's IR until the end took gigabytes for all of /usr/include.
    let mut merger = Merger::default();
    let mut diagnostics = scan.diagnostics;
    if options.system_dirs.is_none() {
        if let Some(why) = missing_system_headers(options.target) {
            diagnostics.push(Diagnostic::global(Severity::Warning, why));
        }
    }
    // Units are merged in batches so that only a few units' IR is alive at
    // once, whatever the size of the tree.
    let n_units = scan.candidates.len();
    let mut failed_units = Vec::new();
    let batch = 8 * rayon::current_num_threads().max(1);
    for paths in scan.candidates.chunks(batch) {
        let units: Vec<(Ir, Vec<Diagnostic>)> =
            paths.par_iter().map(|path| unit(path, &config, &sources)).collect();
        for (path, (ir, diags)) in paths.iter().zip(units) {
            if diags.iter().any(Diagnostic::is_error) {
                failed_units.push(path.clone());
            }
            merger.add(ir);
            diagnostics.extend(diags);
        }
    }
    let (ir, renumber) = merger.finish(sources.infos());
    for loc in diagnostics.iter_mut().filter_map(|d| d.loc.as_mut()) {
        if let Some(new) = renumber.get(loc.file.0 as usize) {
            loc.file = *new;
        }
    }
    if let Ok(pattern) = regex::Regex::new(&options.pattern) {
        diagnostics.extend(duplicate_records(&ir, &pattern));
    }
    dedup_diagnostics(&mut diagnostics);
    let files_read = ir.files.iter().map(|f| f.path.clone()).collect();
    Analysis {
        ir,
        diagnostics,
        headers_seen: scan.headers_seen,
        units: n_units,
        files_read,
        failed_units,
    }
}

/// One translation unit: preprocess, parse, collect integer macros.
fn unit(path: &Path, config: &Config, sources: &Sources) -> (Ir, Vec<Diagnostic>) {
    let pp = preproc::preprocess(path, config, sources);
    let mut ir = Ir::default();
    let mut diags = pp.diagnostics;
    let parsed = parse::parse_unit(&pp.tokens, &pp.pack, &mut ir);
    diags.extend(parsed.diagnostics);
    for m in &pp.macros {
        if let Some(value) = parse::parse_constant(&m.expansion, &ir, &parsed.scope) {
            ir.macros.push(Macro { name: m.name.to_string(), value, loc: m.loc });
        }
    }
    (ir, diags)
}

/// Matched records defined at more than one place: a warning, as the
/// bindings name all but the first after their header. (Not an error: real trees define a tag in
/// headers that are never included together, as glibc's `<netinet/in.h>`
/// and `<linux/in.h>` both define `struct sockaddr_in`.)
fn duplicate_records(ir: &Ir, pattern: &regex::Regex) -> Vec<Diagnostic> {
    let mut first: HashMap<(&str, &str), (RecordId, String)> = HashMap::new();
    let mut diags = Vec::new();
    for id in matched_records(ir, pattern) {
        let r = ir.record(id);
        if !r.tagged {
            continue;
        }
        let body = body_signature(ir, id);
        let Some((earlier, earlier_body)) =
            first.get(&(r.kind.keyword(), r.name.as_str())).cloned()
        else {
            first.insert((r.kind.keyword(), &r.name), (id, body));
            continue;
        };
        let e = ir.record(earlier);
        let at = format!("{}:{}", ir.file(e.loc.file).display, e.loc.line);
        let what = format!("{} {}", r.kind.keyword(), r.name);
        diags.push(if body == earlier_body {
            Diagnostic::warning(r.loc, format!("'{what}' is defined again with the same body"))
                .with_note(format!("first defined at {at}; the bindings hold one item for both"))
        } else {
            Diagnostic::warning(r.loc, format!("'{what}' is defined again with a different body"))
                .with_note(format!("first defined at {at}, which keeps the C name in the bindings; this one is named after its header (`{}__<header>`)", r.name))
        });
    }
    diags
}

/// What two definitions of a record must share to be the same: members,
/// their C types and attributes.
fn body_signature(ir: &Ir, id: RecordId) -> String {
    use std::fmt::Write as _;
    let r = ir.record(id);
    let mut s =
        format!("{} {} {:?} {};", r.packed, r.aligned.len(), r.max_field_align, r.kind.keyword());
    for f in &r.fields {
        let _ = write!(
            s,
            "{:?} {} {} {};",
            f.name,
            ir.type_name(&f.ty),
            f.bit_width.is_some(),
            f.packed
        );
        if let Type::Record(inner) = ir.resolve_typedefs(&f.ty) {
            if !ir.record(*inner).tagged {
                s.push_str(&body_signature(ir, *inner));
            }
        }
    }
    s
}

/// Units share headers, so the same problem is found by each unit that
/// includes the file: report it once.
fn dedup_diagnostics(diags: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert((d.loc, d.message.clone())));
    diags.sort_by(|a, b| {
        let key = |d: &Diagnostic| d.loc.map(|l| (l.file, l.offset));
        key(a).cmp(&key(b))
    });
}

/// Whether `path` lies under `arch/<other>/` of a scanned kernel-like
/// tree: another architecture's headers are not part of this target's
/// view of the tree.
fn foreign_arch(path: &Path, roots: &scan::Roots, target: &Target) -> bool {
    roots.folders_holding(path).filter_map(|r| path.strip_prefix(r).ok()).any(|rel| {
        let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
        parts.next().as_deref() == Some("arch")
            && parts.next().is_some_and(|a| a != target.kernel_arch())
            && parts.next().is_some()
    })
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn preproc_config(options: &Options, roots: &[PathBuf]) -> Config {
    let target = options.target;
    let mut include_dirs: Vec<PathBuf> = options.include_dirs.iter().map(|p| absolute(p)).collect();
    include_dirs.extend(tree_include_roots(roots, target));
    let system_dirs = options.system_dirs.clone().unwrap_or_else(|| system_dirs(target));
    let mut defines = target.predefined_macros();
    defines.extend(options.defines.iter().cloned());
    Config {
        include_dirs,
        system_dirs,
        defines,
        undefines: options.undefines.clone(),
        max_include_depth: options.max_include_depth,
        max_expansion_tokens: options.max_expansion_tokens,
    }
}

/// The include roots a kernel-like tree has: `include/`, `include/uapi/`,
/// `arch/<arch>/include/` (and its `uapi/`).
fn tree_include_roots(roots: &[PathBuf], target: &Target) -> Vec<PathBuf> {
    let arch = format!("arch/{}/include", target.kernel_arch());
    let mut dirs = Vec::new();
    for root in roots.iter().filter(|r| r.is_dir()) {
        for sub in ["include", "include/uapi", &arch, &format!("{arch}/uapi")] {
            let dir = root.join(sub);
            if dir.is_dir() {
                dirs.push(dir);
            }
        }
    }
    dirs
}

/// The system include folders for `target`, in the order gcc searches
/// them. For the host: `/usr/local/include`, the multiarch folder,
/// `/usr/include`. For another target the host's `/usr/include` would be
/// wrong (its `asm/` is the host's), so only that target's own headers are
/// used: `/usr/<triple>/include` from Debian's `libc6-dev-<arch>-cross`,
/// or a multiarch `/usr/include/<multiarch>` (multilib) with `/usr/include`.
/// [`missing_system_headers`] says when neither is there.
pub fn system_dirs(target: &Target) -> Vec<PathBuf> {
    let multiarch = target.multiarch();
    let mut dirs = Vec::new();
    if let Some(gcc) = gcc_include_dir(target) {
        dirs.push(gcc);
    }
    let cross = PathBuf::from(format!("/usr/{}/include", target.cross_triple()));
    let multiarch_dir = PathBuf::from(format!("/usr/include/{multiarch}"));
    let candidates: Vec<PathBuf> = if target.is_host() {
        vec!["/usr/local/include".into(), multiarch_dir, "/usr/include".into()]
    } else if cross.is_dir() {
        vec![cross]
    } else if multiarch_dir.is_dir() {
        vec![multiarch_dir, "/usr/include".into()]
    } else {
        Vec::new()
    };
    dirs.extend(candidates.into_iter().filter(|p| p.is_dir()));
    dirs
}

/// Why the system headers for `target` cannot be found, with the Debian
/// package that provides them; `None` when they are there.
pub fn missing_system_headers(target: &Target) -> Option<String> {
    let found = if target.is_host() {
        Path::new("/usr/include").is_dir()
    } else {
        Path::new(&format!("/usr/{}/include", target.cross_triple())).is_dir()
            || Path::new(&format!("/usr/include/{}", target.multiarch())).is_dir()
    };
    (!found).then(|| {
        format!(
            "no system headers for {target}: install libc6-dev-{}-cross (or pass the folders with -isystem)",
            target.debian_arch()
        )
    })
}

/// `include/` of the newest gcc for `target` (it holds `stddef.h` and
/// `stdarg.h`): the cross compiler's under `/usr/lib/gcc-cross/`, else the
/// host's, which serves other targets too, as those headers only use
/// predefined macros.
fn gcc_include_dir(target: &Target) -> Option<PathBuf> {
    let host = Target::host().map_or("x86_64-linux-gnu", |t| t.multiarch());
    let bases = [
        format!("/usr/lib/gcc/{}", target.multiarch()),
        format!("/usr/lib/gcc-cross/{}", target.cross_triple()),
        format!("/usr/lib/gcc/{host}"),
    ];
    for base in bases {
        let Ok(entries) = std::fs::read_dir(&base) else { continue };
        let mut versions: Vec<(Vec<u32>, PathBuf)> = entries
            .flatten()
            .filter(|e| e.path().join("include/stddef.h").is_file())
            .map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let version = name.split('.').map(|p| p.parse().unwrap_or(0)).collect();
                (version, e.path().join("include"))
            })
            .collect();
        versions.sort();
        if let Some((_, dir)) = versions.pop() {
            return Some(dir);
        }
    }
    None
}

/// The flags that give a C compiler the same view of the tree as
/// [`analyze`] has: `-I` for the `-I` folders and the trees' include roots,
/// `-D`/`-U` as given. System folders are left to the caller (see
/// [`system_dirs`]): each compiler has its own way to replace them.
pub fn compiler_args(options: &Options) -> Vec<String> {
    let roots: Vec<PathBuf> = options.paths.iter().map(|p| absolute(p)).collect();
    let mut args: Vec<String> =
        options.include_dirs.iter().map(|p| format!("-I{}", absolute(p).display())).collect();
    args.extend(
        tree_include_roots(&roots, options.target).iter().map(|d| format!("-I{}", d.display())),
    );
    args.extend(options.defines.iter().map(|(k, v)| format!("-D{k}={v}")));
    args.extend(options.undefines.iter().map(|u| format!("-U{u}")));
    args
}

/// The system folders [`analyze`] uses for `options`.
pub fn effective_system_dirs(options: &Options) -> Vec<PathBuf> {
    options.system_dirs.clone().unwrap_or_else(|| system_dirs(options.target))
}

/// The records `pattern` selects: complete, defined in a scanned file, and
/// named by the pattern (nested records go with their parent).
pub fn matched_records(ir: &Ir, pattern: &regex::Regex) -> Vec<RecordId> {
    ir.records_with_ids()
        .filter(|(_, r)| r.complete && ir.file(r.loc.file).in_scan)
        .filter(|(_, r)| {
            let top = r.name.split("::").next().unwrap_or(&r.name);
            pattern.is_match(top)
        })
        .map(|(id, _)| id)
        .collect()
}

/// Diagnostics worth failing for: errors.
pub fn errors(diags: &[Diagnostic]) -> usize {
    diags.iter().filter(|d| d.severity == Severity::Error).count()
}
