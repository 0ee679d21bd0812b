//! Analyses over laid-out records: functions of (IR, layouts, options)
//! that report on the records instead of emitting code.
//!
//! - [`check`]: the portability and hygiene report across targets.

pub mod check;
