//! Thin entry point: limit libgit2's pack mapping, parse arguments, start logging, run, map the outcome to an
//! exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    // SAFETY: the first statement of `main`: the process has one thread and has made no libgit2 call yet, so
    // nothing reads libgit2's limits while they are set.
    if let Err(e) = unsafe { keepopen::safety::limit_pack_windows() } {
        eprintln!("keepopen: cannot limit libgit2's pack mapping (scans use more memory): {e}");
    }
    keepopen::cli::main()
}
