//! The `ovopsim` binary: parse arguments, run, print the error chain, exit with 0, 1 or 2.

use clap::Parser;

fn main() {
    let argv: Vec<String> = std::env::args().collect();
    let cli = ovopsim::cli::Cli::parse();
    if let Err(e) = ovopsim::app::run(cli, argv) {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}
