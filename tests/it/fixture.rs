//! Git repositories for tests, built with git2 in temporary directories (never committed `.git` trees).
//!
//! ```ignore
//! let fx = RepoFixture::bare();
//! let tip = fx.commit("main", &TreeSpec::new().file("LICENCE.md", "MIT ...").symlink("LICENSE", "LICENCE.md"));
//! fx.set_head("main");
//! ```
//!
//! Besides ordinary files it can write what real mirrors hold and naive readers trip on: symbolic links,
//! submodule entries (gitlinks), binary and very large blobs (streamed, never held in memory), a missing or
//! dangling HEAD, refs to objects that do not exist, and removed or corrupt object files.
#![allow(dead_code)] // a shared helper: each test module uses a different part of it

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use git2::{FileMode, Oid, Repository, RepositoryInitOptions, Signature, Time};
use tempfile::TempDir;

/// One repository in its own temporary directory (removed on drop).
pub struct RepoFixture {
    dir: TempDir,
    repo: Repository,
}

/// The entries of one commit's tree, by `/`-separated path; intermediate folders are created as needed.
#[derive(Default, Clone)]
pub struct TreeSpec {
    entries: Vec<(String, Entry)>,
}

#[derive(Clone)]
enum Entry {
    Bytes { contents: Vec<u8>, executable: bool },
    Blob(Oid),
    Symlink(String),
    Submodule(Oid),
}

impl TreeSpec {
    pub fn new() -> Self {
        Self::default()
    }

    /// Regular files, `(path, contents)` each, in that order.
    pub fn files<P: AsRef<str>, C: AsRef<[u8]>>(files: &[(P, C)]) -> Self {
        files.iter().fold(Self::new(), |spec, (path, contents)| {
            spec.file(path.as_ref(), contents)
        })
    }

    /// A regular file.
    pub fn file(mut self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let contents = contents.as_ref().to_vec();
        self.entries.push((
            path.to_owned(),
            Entry::Bytes {
                contents,
                executable: false,
            },
        ));
        self
    }

    /// An executable file (mode 100755).
    pub fn executable(mut self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let contents = contents.as_ref().to_vec();
        self.entries.push((
            path.to_owned(),
            Entry::Bytes {
                contents,
                executable: true,
            },
        ));
        self
    }

    /// A regular file whose blob already exists (e.g. one made by [`RepoFixture::blob_from_reader`]).
    pub fn blob(mut self, path: &str, blob: Oid) -> Self {
        self.entries.push((path.to_owned(), Entry::Blob(blob)));
        self
    }

    /// A symbolic link: in git, a blob (mode 120000) holding the target path.
    pub fn symlink(mut self, path: &str, target: &str) -> Self {
        self.entries
            .push((path.to_owned(), Entry::Symlink(target.to_owned())));
        self
    }

    /// A submodule: a gitlink entry (mode 160000) naming a commit of another repository, absent from this one.
    pub fn submodule(mut self, path: &str, commit: Oid) -> Self {
        self.entries
            .push((path.to_owned(), Entry::Submodule(commit)));
        self
    }
}

/// Copy the folder `from`, its files and folders, to `to` (created with its parents).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create the copy's folder");
    for entry in fs::read_dir(from).expect("read the folder") {
        let entry = entry.expect("read a folder entry");
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("an entry's type").is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).expect("copy a file");
        }
    }
}

/// A bare mirror at `dir/name` (outside any temporary folder of its own) whose one commit on `main` holds
/// `files`; committed at the fixtures' fixed time, so its commit id is the same on every run.
pub fn mirror_at(dir: &Path, name: &str, files: &[(&str, &str)]) {
    copy_dir(RepoFixture::one_commit(files).path(), &dir.join(name));
}

/// The author and committer of every fixture commit, at a fixed time so that ids are reproducible.
pub fn signature() -> Signature<'static> {
    Signature::new(
        "Fixture",
        "fixture@example.invalid",
        &Time::new(1_700_000_000, 0),
    )
    .expect("valid signature")
}

impl RepoFixture {
    /// A bare repository, as an archive mirror is.
    pub fn bare() -> Self {
        Self::init(true)
    }

    /// A bare repository whose history is one commit holding `files` (`(path, contents)` each), on `main`,
    /// which HEAD names: the repository most tests need.
    pub fn one_commit<P: AsRef<str>, C: AsRef<[u8]>>(files: &[(P, C)]) -> Self {
        let fx = Self::bare();
        fx.commit("main", &TreeSpec::files(files));
        fx.set_head("main");
        fx
    }

    /// A repository with a (never populated) work tree.
    pub fn non_bare() -> Self {
        Self::init(false)
    }

    /// A bare repository in a new folder under `parent` whose name starts with `prefix`: many of them make a
    /// directory of mirrors for `keepopen check <dir>`.
    pub fn bare_in(parent: &Path, prefix: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in(parent)
            .expect("temp dir");
        Self::init_in(dir, true)
    }

    fn init(bare: bool) -> Self {
        Self::init_in(tempfile::tempdir().expect("temp dir"), bare)
    }

    fn init_in(dir: tempfile::TempDir, bare: bool) -> Self {
        let mut options = RepositoryInitOptions::new();
        options.bare(bare).initial_head("main");
        let repo = Repository::init_opts(dir.path(), &options).expect("git init");
        Self { dir, repo }
    }

    /// What a user would point keepopen at: the bare directory, or the work tree.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The git directory (`<path>` when bare, `<path>/.git` otherwise).
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    pub fn repo(&self) -> &Repository {
        &self.repo
    }

    /// Write `spec` as the tree of a new commit on `refs/heads/<branch>`, whose parent is the branch's current
    /// tip if it has one. HEAD is not touched (see [`Self::set_head`]). Returns the commit id.
    pub fn commit(&self, branch: &str, spec: &TreeSpec) -> Oid {
        let tree_id = self.write_tree(spec);
        let tree = self.repo.find_tree(tree_id).expect("tree just written");
        let refname = format!("refs/heads/{branch}");
        let parent = self
            .repo
            .find_reference(&refname)
            .ok()
            .and_then(|r| r.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let sig = signature();
        self.repo
            .commit(
                Some(&refname),
                &sig,
                &sig,
                &format!("fixture commit on {branch}"),
                &tree,
                &parents,
            )
            .expect("commit")
    }

    /// Write `spec` as a tree and return its id.
    pub fn write_tree(&self, spec: &TreeSpec) -> Oid {
        let empty = self
            .repo
            .treebuilder(None)
            .and_then(|b| b.write())
            .expect("empty tree");
        let empty = self.repo.find_tree(empty).expect("empty tree");
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, entry) in &spec.entries {
            let (id, mode) = match entry {
                Entry::Bytes {
                    contents,
                    executable,
                } => {
                    let mode = if *executable {
                        FileMode::BlobExecutable
                    } else {
                        FileMode::Blob
                    };
                    (self.blob(contents), mode)
                }
                Entry::Blob(id) => (*id, FileMode::Blob),
                Entry::Symlink(target) => (self.blob(target.as_bytes()), FileMode::Link),
                Entry::Submodule(commit) => (*commit, FileMode::Commit),
            };
            update.upsert(path.as_str(), id, mode);
        }
        update.create_updated(&self.repo, &empty).expect("tree")
    }

    /// Write a blob from memory.
    pub fn blob(&self, contents: &[u8]) -> Oid {
        self.repo.blob(contents).expect("blob")
    }

    /// Write a blob by streaming `reader` into the object database (a loose object, zlib-compressed), so a
    /// 100 MB file never sits in memory.
    pub fn blob_from_reader(&self, mut reader: impl Read) -> Oid {
        let mut writer = self.repo.blob_writer(None).expect("blob writer");
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = reader.read(&mut buffer).expect("read blob source");
            if n == 0 {
                break;
            }
            writer.write_all(&buffer[..n]).expect("write blob");
        }
        writer.commit().expect("finish blob")
    }

    /// Point HEAD at `refs/heads/<branch>` (symbolically, as `git clone --mirror` leaves it). The branch need
    /// not exist: that makes a dangling HEAD.
    pub fn set_head(&self, branch: &str) {
        self.write_git_file("HEAD", format!("ref: refs/heads/{branch}\n").as_bytes());
    }

    /// Detach HEAD at `commit`.
    pub fn detach_head(&self, commit: Oid) {
        self.write_git_file("HEAD", format!("{commit}\n").as_bytes());
    }

    /// Remove the HEAD file altogether (libgit2 then refuses to open the repository).
    pub fn delete_head(&self) {
        fs::remove_file(self.git_dir().join("HEAD")).expect("remove HEAD");
    }

    /// Write a loose ref file directly, without checking that `target` exists (for refs to missing objects).
    pub fn write_ref(&self, refname: &str, target: Oid) {
        self.write_git_file(refname, format!("{target}\n").as_bytes());
    }

    /// Delete a ref.
    pub fn delete_ref(&self, refname: &str) {
        self.repo
            .find_reference(refname)
            .and_then(|mut r| r.delete())
            .expect("delete ref");
    }

    /// The file of a loose object.
    pub fn object_path(&self, id: Oid) -> PathBuf {
        let hex = id.to_string();
        self.git_dir()
            .join("objects")
            .join(&hex[..2])
            .join(&hex[2..])
    }

    /// Delete a loose object's file, as a half-copied mirror might lack it.
    pub fn remove_object(&self, id: Oid) {
        let path = self.object_path(id);
        fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
    }

    /// Overwrite a loose object's file with bytes that are not zlib data.
    pub fn corrupt_object(&self, id: Oid) {
        let path = self.object_path(id);
        let mut permissions = fs::metadata(&path).expect("object file").permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        fs::set_permissions(&path, permissions).expect("make object writable");
        fs::write(&path, b"this is not a zlib stream\n").expect("corrupt object");
    }

    /// A mirror of this repository made the way `git clone --mirror` makes one: bare, every ref copied as-is
    /// under `refs/` (fetch refspec `+refs/*:refs/*`), HEAD symbolic to the source's default branch, and the
    /// objects received as a pack over git's transport (not hard-linked loose files).
    pub fn mirror(&self) -> RepoFixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("file://{}", self.git_dir().display());
        let repo = git2::build::RepoBuilder::new()
            .bare(true)
            .clone_local(git2::build::CloneLocal::None)
            .remote_create(|repo, name, url| repo.remote_with_fetch(name, url, "+refs/*:refs/*"))
            .clone(&url, dir.path())
            .expect("clone --mirror");
        repo.config()
            .and_then(|mut c| c.set_bool("remote.origin.mirror", true))
            .expect("mirror config");
        // libgit2's clone cannot place HEAD when the refspec maps refs/* onto itself (it leaves the unborn
        // default); git copies the source's symbolic HEAD, so do that.
        let head = fs::read(self.git_dir().join("HEAD")).expect("source HEAD");
        fs::write(repo.path().join("HEAD"), head).expect("mirror HEAD");
        RepoFixture { dir, repo }
    }

    fn write_git_file(&self, relative: &str, contents: &[u8]) {
        let path = self.git_dir().join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("ref folder");
        }
        fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}
