//! `ckpt`: the runtime side of checkpoint records.
