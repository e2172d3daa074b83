//! Integration tests: one binary, a module per area; shared helpers in `fixture` (git repositories built with
//! git2) and `support` (a GitHub-shaped API server and a git smart-HTTP server on loopback).
// The helpers are `pub` for their sibling modules; in a test binary nothing is reachable from outside, so the
// manifest's `unreachable_pub` (which guards the library's API) does not apply here.
#![allow(unreachable_pub)]

mod archives;
mod assets;
mod batch;
mod bundled;
mod bundled_headers;
mod check_verdict;
mod claims;
mod claims_needless;
mod cli;
mod config;
mod contract;
mod corpus;
mod demo;
mod discovery;
mod document_licences;
mod evaluation;
mod faults;
mod fixture;
mod flow;
mod grant_hedges;
mod hostile;
mod invariant;
mod key_fixtures;
mod licence_named_code;
mod licensors;
mod monitor;
mod monitor_cli;
mod mutation;
mod needless;
mod packages;
mod part_claims;
mod photographs;
mod policy;
mod raster_photographs;
mod reading;
mod readme_sections;
mod readme_shapes;
mod ref_grant;
mod refs;
mod report;
mod republish;
mod root_scope;
mod safety;
mod safety_baseline;
mod safety_config;
mod safety_declared;
mod safety_files;
mod safety_local_block;
mod safety_local_stack;
mod safety_places;
mod safety_precision;
mod safety_values;
mod scan_docs;
mod scanheld;
mod scanlocal;
mod scanshape;
mod secrets;
mod snapshots;
mod support;
mod verbatim_copies;
mod verdicts;
mod withheld_and_scoped;
