//! Integration tests: one binary, a module per area; shared helpers in `fixture` (git repositories built with
//! git2) and `support` (a GitHub-shaped API server and a git smart-HTTP server on loopback).

mod cli;
mod corpus;
mod demo;
mod discovery;
mod fixture;
mod monitor;
mod monitor_cli;
mod policy;
mod report;
mod republish;
mod safety;
mod support;
mod verdicts;
