//! The `ckpt-gen` command line: parses flags, calls the library, prints the
//! result and maps it to an exit code (0 success, 1 problems found, 2 usage
//! or input error).

mod cli;

fn main() {
    std::process::exit(cli::run(std::env::args_os().collect()));
}
