//! Hide sets (C17 6.10.3.4): the macros a token came out of, which must not
//! expand again when the token is rescanned.

use crate::lex::{IdMap, Sym};

/// Index of a hide set in a [`HideSets`] arena; `HideId(0)` is empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct HideId(u32);

/// An arena of sorted, deduplicated hide sets. Operations are memoized:
/// expansion asks for the same few unions over and over (one per token of
/// every macro argument).
pub struct HideSets {
    sets: Vec<Vec<Sym>>,
    ids: IdMap<Vec<Sym>, HideId>,
    with: IdMap<(HideId, Sym), HideId>,
    unions: IdMap<(HideId, HideId), HideId>,
    intersections: IdMap<(HideId, HideId), HideId>,
}

impl Default for HideSets {
    fn default() -> Self {
        let mut ids = IdMap::default();
        ids.insert(Vec::new(), HideId(0));
        HideSets {
            sets: vec![Vec::new()],
            ids,
            with: IdMap::default(),
            unions: IdMap::default(),
            intersections: IdMap::default(),
        }
    }
}

impl HideSets {
    fn intern(&mut self, set: Vec<Sym>) -> HideId {
        if let Some(id) = self.ids.get(&set) {
            return *id;
        }
        let id = HideId(self.sets.len() as u32);
        self.sets.push(set.clone());
        self.ids.insert(set, id);
        id
    }

    /// Whether `name` is in `id`.
    pub fn contains(&self, id: HideId, name: Sym) -> bool {
        self.sets[id.0 as usize].binary_search(&name).is_ok()
    }

    /// `id` with `name` added.
    pub fn with(&mut self, id: HideId, name: Sym) -> HideId {
        if let Some(done) = self.with.get(&(id, name)) {
            return *done;
        }
        let set = &self.sets[id.0 as usize];
        let result = match set.binary_search(&name) {
            Ok(_) => id,
            Err(at) => {
                let mut new = set.clone();
                new.insert(at, name);
                self.intern(new)
            }
        };
        self.with.insert((id, name), result);
        result
    }

    /// The union of two sets.
    pub fn union(&mut self, a: HideId, b: HideId) -> HideId {
        if a == b || b.0 == 0 {
            return a;
        }
        if a.0 == 0 {
            return b;
        }
        if let Some(done) = self.unions.get(&(a, b)) {
            return *done;
        }
        let mut new = self.sets[a.0 as usize].clone();
        new.extend_from_slice(&self.sets[b.0 as usize]);
        new.sort_unstable();
        new.dedup();
        let result = self.intern(new);
        self.unions.insert((a, b), result);
        result
    }

    /// The intersection of two sets.
    pub fn intersection(&mut self, a: HideId, b: HideId) -> HideId {
        if a == b {
            return a;
        }
        if let Some(done) = self.intersections.get(&(a, b)) {
            return *done;
        }
        let other = &self.sets[b.0 as usize];
        let new: Vec<Sym> = self.sets[a.0 as usize]
            .iter()
            .filter(|s| other.binary_search(s).is_ok())
            .copied()
            .collect();
        let result = self.intern(new);
        self.intersections.insert((a, b), result);
        result
    }
}
