//! Helpers shared by the integration tests: a GitHub-shaped API server, a git smart-HTTP server, and git
//! fixtures built with git2 in temp dirs.

#![allow(dead_code)]

pub mod browser;
pub mod git_fixture;
pub mod git_http;
pub mod github_api;
pub mod prism;
