//! File-scope names (C17 6.2.1, 6.2.3): the ordinary identifiers (typedef
//! names, enumeration constants, objects and functions) and the tags of
//! structs, unions and enums.
//!
//! Takes: declarations as the parser meets them. Returns: lookups that
//! decide whether an identifier names a type, a constant or a tag. Block
//! scopes do not exist here: function bodies are skipped.

use crate::ir::{EnumId, RecordId, TypedefId};
use crate::lex::IdMap;

/// What an ordinary identifier names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ordinary {
    /// A typedef name.
    Typedef(TypedefId),
    /// An enumeration constant: the enum and the constant's position.
    EnumConst(EnumId, u32),
    /// An object or function: not usable in a constant expression.
    Object,
}

/// What a tag names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    /// A struct or union.
    Record(RecordId),
    /// An enum.
    Enum(EnumId),
}

/// The names visible at file scope of one translation unit. Ids index the
/// [`crate::ir::Ir`] the unit was parsed into.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    ordinary: IdMap<String, Ordinary>,
    tags: IdMap<String, Tag>,
}

impl Scope {
    /// What the ordinary identifier `name` denotes, if declared.
    pub fn ordinary(&self, name: &str) -> Option<Ordinary> {
        self.ordinary.get(name).copied()
    }

    /// The typedef `name`, if `name` is a typedef name.
    pub fn typedef(&self, name: &str) -> Option<TypedefId> {
        match self.ordinary(name) {
            Some(Ordinary::Typedef(id)) => Some(id),
            _ => None,
        }
    }

    /// The struct, union or enum tagged `name`, if declared.
    pub fn tag(&self, name: &str) -> Option<Tag> {
        self.tags.get(name).copied()
    }

    /// Declares (or redeclares) an ordinary identifier.
    pub(super) fn set_ordinary(&mut self, name: &str, what: Ordinary) {
        self.ordinary.insert(name.to_string(), what);
    }

    /// Declares a tag.
    pub(super) fn set_tag(&mut self, name: &str, tag: Tag) {
        self.tags.insert(name.to_string(), tag);
    }
}
