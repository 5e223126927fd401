//! `ovopsim serve`: a local web page on which students move parameters and watch replications stream in; this file binds the server and holds its shared state.
//!
//! The page (embedded in the binary, [`assets`]) talks to a small JSON API
//! ([`api`]): the scenarios and the parameter table, a check of the chosen
//! values (errors worded as the CLI words them), the TOML that reproduces a
//! run, and the run itself, whose replications are sent as server-sent
//! events as they finish ([`stream`]), next to the same scenario without a
//! programme (`approach = "none"`) at the same seeds.
//!
//! Safe by default: it listens on loopback unless `--host` says otherwise;
//! replications, years, villages, overrides and request bodies are limited
//! ([`Limits`]); one run computes at a time and the others wait in a short
//! queue; a run stops when its page goes away.

mod api;
mod assets;
mod stream;

use crate::scenario::{Resolved, ScenarioError};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// What `ovopsim serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Scenario files offered first (before the shipped ones).
    pub scenarios: Vec<PathBuf>,
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the page in the default browser.
    pub open: bool,
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A scenario given on the command line is bad (exit code 2).
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// `--host` is not an address (exit code 2).
    #[error("--host {0}: not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for every interface)")]
    Host(String),
    /// The address cannot be bound, or the server failed (exit code 1).
    #[error("{0}")]
    Io(String),
}

/// What a page may ask for; `ovopsim run` has no such limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub reps: u32,
    pub years: u32,
    pub villages: usize,
    /// Overrides in one request, and characters in one override.
    pub sets: usize,
    pub set_chars: usize,
    /// Bytes of a request body.
    pub body: usize,
    /// Runs waiting behind the one computing.
    pub waiting: usize,
}

/// The limits of `ovopsim serve`: a classroom district, not a national run.
pub const LIMITS: Limits = Limits {
    reps: 100,
    years: 50,
    villages: 200,
    sets: 300,
    set_chars: 2000,
    body: 64 * 1024,
    waiting: 8,
};

/// A scenario the page can pick.
pub(crate) struct Entry {
    /// The path as given or found: the page's name for it, and where errors point.
    pub id: String,
    pub resolved: Resolved,
}

/// Shared by every request.
pub(crate) struct State {
    pub scenarios: Vec<Entry>,
    pub limits: Limits,
    pub queue: stream::Queue,
    pub store: stream::Store,
    pub next_run: AtomicU64,
}

impl State {
    /// State with these scenarios (the first is selected on the page).
    pub fn new(scenarios: Vec<Entry>, limits: Limits) -> Arc<Self> {
        Arc::new(State {
            scenarios,
            limits,
            queue: stream::Queue::new(limits.waiting),
            store: stream::Store::default(),
            next_run: AtomicU64::new(1),
        })
    }
}

/// Starts the server and serves until the process is stopped.
pub fn run(opts: Options) -> Result<(), ServeError> {
    let ip: IpAddr = opts
        .host
        .parse()
        .map_err(|_| ServeError::Host(opts.host.clone()))?;
    let scenarios = scenarios(&opts.scenarios)?;
    if scenarios.is_empty() {
        return Err(ServeError::Io(
            "no scenario to offer: give scenario files, or start in a folder that has scenarios/"
                .into(),
        ));
    }
    let state = State::new(scenarios, LIMITS);
    // One thread answers requests; the replications run on rayon's threads.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Io(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, opts.port))
            .await
            .map_err(|e| ServeError::Io(format!("cannot listen on {ip}:{}: {e}", opts.port)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ServeError::Io(e.to_string()))?;
        if !ip.is_loopback() {
            eprintln!(
                "warning: listening on {ip}, so other machines on the network can reach this page and run simulations here; leave --host out to keep it to this machine"
            );
        }
        let url = match addr {
            SocketAddr::V6(a) => format!("http://[{}]:{}/", a.ip(), a.port()),
            SocketAddr::V4(a) => format!("http://{a}/"),
        };
        eprintln!("ovopsim serve: open {url} (Ctrl-C stops)");
        if opts.open {
            open_browser(&url);
        }
        axum::serve(listener, api::router(state))
            .await
            .map_err(|e| ServeError::Io(format!("server stopped: {e}")))
    })
}

/// The scenarios given, then the shipped ones not given; a bad given file is an error, a bad shipped one a warning.
fn scenarios(given: &[PathBuf]) -> Result<Vec<Entry>, ServeError> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for path in given {
        let resolved = Resolved::read(path)?;
        // Checked here so that a broken file stops the server before any page sees it.
        resolved.apply(&[])?;
        seen.push(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()));
        out.push(Entry {
            id: path.display().to_string(),
            resolved,
        });
    }
    for path in shipped() {
        let id = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.contains(&id) {
            continue;
        }
        match Resolved::read(&path) {
            Ok(resolved) => out.push(Entry {
                id: path.display().to_string(),
                resolved,
            }),
            Err(e) => eprintln!("warning: skipping {}: {e}", path.display()),
        }
    }
    Ok(out)
}

/// The `.toml` files of `scenarios/` in the current folder, else of the
/// source tree this binary was built from, sorted with `ovop.toml` first.
fn shipped() -> Vec<PathBuf> {
    let here = Path::new("scenarios");
    let dir = if here.is_dir() {
        here.to_path_buf()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
    };
    let Ok(read) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    // The default scenario first, so the page opens on it.
    files.sort_by_key(|p| (p.file_name().is_none_or(|n| n != "ovop.toml"), p.clone()));
    files
}

/// Asks the desktop to open `url`; a failure is only a note (the URL is printed).
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(program)
        .args(&args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("note: could not open a browser ({program}: {e}); open the address above");
    }
}
