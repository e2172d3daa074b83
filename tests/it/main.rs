//! Integration tests: one binary, a module per area, shared helpers in `fixture`.

mod discovery;
mod fixture;
mod policy;
