//! Reads licence candidates from a repository's default branch, from git objects only.
//!
//! The first step of the licence engine: given a bare mirror (or any repository), find the tip of the default
//! branch and read, from that one tree, every text that may say how the repository is licensed — root licence
//! and notice files, a REUSE `LICENSES/` folder, licence files in subfolders, licence, copyright and terms pages
//! in documentation folders, `SPDX-License-Identifier:` lines, manifest licence fields and the README's licence
//! section. Which names count is decided by pure functions ([`root_file_kind`], [`is_nested_license_name`],
//! [`is_documentation_page`]); vendored and generated folders are never entered. Nothing is checked out and no link is followed; no
//! history is walked; blobs are read up to a bound (the sha256 still covers the whole blob). What looks like a
//! licence but cannot be read as text (a symlink, a folder, a submodule, a binary or empty file) is reported as
//! [`Skipped`], never as an error: only a repository whose default branch cannot be read at all fails.
//!
//! `detect` turns the candidates into findings.

use std::collections::{HashMap, VecDeque};
use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use git2::{ErrorCode, FileMode, ObjectType, Odb, Oid, Repository, RepositoryOpenFlags};
use regex::Regex;
use sha2::{Digest, Sha256};

use super::manifest;
use super::{Candidate, Discovery, FolderLayout, Skipped, SourceKind};

mod decode;
pub(crate) use decode::{decode_utf16, decode_utf32};
mod header;
mod names;
mod readme;
mod repository;
#[cfg(test)]
mod tests;
mod walk;

// What the rooms share with each other (their `pub(super)` items), each room taking `super::*`.
use self::{decode::*, names::*, readme::*, repository::*, walk::*};

pub use self::decode::decode_text;
pub use self::header::spdx_header_lines;
pub(crate) use self::names::is_vendored_folder;
pub use self::names::{
    is_bundle_banners, is_documentation_page, is_licence_id_name, is_licence_word,
    is_licence_word_name, is_nested_license_name, may_carry_header, root_file_kind,
};
pub use self::readme::{ReadmeSection, is_license_heading, readme_sections, template_readme};
pub use self::repository::{
    DiscoveryError, HeaderCache, Limits, POINTED_MISSING, ReadWork, discover, discover_commit,
    discover_commit_evidence, discover_path,
};
pub use self::walk::{
    ScanPlace, git_name_order, header_scan_order, header_scan_place, in_git_order,
    resolve_link_target,
};
