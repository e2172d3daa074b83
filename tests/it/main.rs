//! Integration tests: one binary, a module per area; shared helpers in `fixture` (git repositories built with
//! git2) and `support` (a GitHub-shaped API server and a git smart-HTTP server on loopback).

mod check_verdict;
mod cli;
mod contract;
mod corpus;
mod demo;
mod discovery;
mod faults;
mod fixture;
mod flow;
mod hostile;
mod monitor;
mod monitor_cli;
mod policy;
mod report;
mod republish;
mod safety;
mod secrets;
mod support;
mod verdicts;
