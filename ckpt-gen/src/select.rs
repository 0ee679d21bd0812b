//! stub
use crate::ir::*;
pub struct Selection { pub records: Vec<RecordId> }
pub fn select(ir: &Ir, re: &regex::Regex) -> Selection { Selection { records: crate::pipeline::matched_records(ir, re) } }
