//! Stagecraft's core: simulates `docker build` without an engine.
//!
//! Pipeline (one module each, data flowing one way):
//! `parse` → `plan` → `build` (on `vfs`) → `report`. See ARCHITECTURE.md.

pub mod context;
pub mod diagnostics;
pub mod dockerfile;
pub mod expand;
pub mod parse;
pub mod shell;
pub mod span;
pub mod vfs;
