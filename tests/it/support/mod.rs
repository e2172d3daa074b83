//! Helpers shared by the integration tests: a GitHub-shaped API server, a git smart-HTTP server, git
//! fixtures built with git2 in temp dirs, and the licence check and history scan as the tests run them.

#![allow(dead_code)]

pub mod browser;
pub mod check;
pub mod git_fixture;
pub mod git_http;
pub mod github_api;
pub mod mtx;
pub mod prism;
pub mod scan;
