//! Integration tests: one binary, a module per area, shared helpers in `fixture`.

mod cli;
mod corpus;
mod discovery;
mod fixture;
mod policy;
mod verdicts;
