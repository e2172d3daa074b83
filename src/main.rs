//! Thin entry point: parse arguments, start logging, run, map the outcome to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    keepopen::cli::main()
}
