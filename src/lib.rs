//! keepopen keeps public-sector open source open.
//!
//! The pipeline, one module a stage: `monitor` watches GitHub organisations and `archive` keeps bare mirrors;
//! `license` reads the licences of a mirror straight from git objects and `verdict` judges them against the
//! `policy`; `provenance` writes the notice, `proposal` asks maintainers by pull request and `publish` pushes the
//! mirror to the community organisation. Decisions are pure functions over plain data; the edges (git, disk,
//! GitHub) hold no decisions.

pub mod approval;
pub mod archive;
pub mod check;
pub mod cli;
pub mod control;
pub mod demo;
pub mod github;
pub mod license;
pub mod monitor;
pub mod policy;
pub mod proposal;
pub mod provenance;
pub mod publish;
pub mod record;
pub mod report;
pub mod safety;
pub mod state;
pub mod untrusted;
pub mod verdict;
