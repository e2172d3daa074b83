//! keepopen's integration tests: one binary, a module per area, shared helpers in `support`.

mod monitor;
mod support;
