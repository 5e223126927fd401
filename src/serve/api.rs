//! The HTTP API of `ovopsim serve`: routes, requests checked against the scenario rules and the page's limits, errors as JSON worded as the CLI words them, downloads.
//!
//! A request names a scenario, `key=value` overrides (what the page's
//! controls changed, applied like `--set`), replications, seed and years. It
//! is validated exactly as `ovopsim run FILE --years Y --set ...` would
//! validate it, so a bad value gets the CLI's message, with its key, for the
//! page to show next to the control.

use super::{State, assets, stream};
use crate::report;
use crate::scenario::{Config, PARAMS, ScenarioError};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State as Shared};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

pub(super) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(assets::page))
        .route("/app.js", get(assets::script))
        .route("/style.css", get(assets::style))
        .route("/api/init", get(init))
        .route("/api/check", post(check))
        .route("/api/run", get(run))
        .route("/api/toml", get(toml_file))
        .route("/api/runs/{id}/{file}", get(run_file))
        .layer(DefaultBodyLimit::max(state.limits.body))
        .with_state(state)
}

/// What the page asks to run.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RunRequest {
    /// A scenario's id as listed by `/api/init`.
    pub scenario: String,
    /// Overrides, `key.path=value`, applied in order after `years`.
    #[serde(default)]
    pub sets: Vec<String>,
    pub reps: u32,
    pub seed: u64,
    pub years: Option<u32>,
    /// A finished run to compare with, replication by replication.
    #[serde(default)]
    pub pin: Option<u64>,
}

/// A request that passed every check: what to run.
pub(super) struct Prepared {
    /// The scenario's id (its path), as the CLI names the file.
    pub file: String,
    /// `years=Y` then the page's overrides: the `--set`s of the equivalent command.
    pub sets: Vec<String>,
    pub config: Config,
    /// The same scenario without a programme; `None` when it has none already.
    pub baseline: Option<Config>,
    pub reps: u32,
    pub seed: u64,
    pub pin: Option<u64>,
}

/// One problem, for the page to show next to the control of `key`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(super) struct Problem {
    /// Key path (`coordination.quality`, `events.weather[0].severity`), or
    /// `reps`, `seed`, `years`, `scenario`; empty when no key is to blame.
    pub key: String,
    pub message: String,
    /// The whole line the CLI prints after `error: `.
    pub text: String,
}

/// A 4xx or 5xx answer with its problems, as JSON `{"errors": [...]}`.
#[derive(Debug)]
pub(super) struct ApiError {
    pub status: StatusCode,
    pub errors: Vec<Problem>,
}

impl ApiError {
    pub fn new(status: StatusCode, key: &str, text: String) -> Self {
        let message = text
            .strip_prefix(&format!("{key}: "))
            .unwrap_or(&text)
            .to_string();
        ApiError {
            status,
            errors: vec![Problem {
                key: key.into(),
                message,
                text,
            }],
        }
    }

    fn bad(key: &str, text: String) -> Self {
        Self::new(StatusCode::BAD_REQUEST, key, text)
    }
}

impl From<ScenarioError> for ApiError {
    fn from(e: ScenarioError) -> Self {
        let errors = match &e {
            ScenarioError::Invalid(problems) => problems
                .iter()
                .map(|p| Problem {
                    key: p.key.clone(),
                    message: p.message.clone(),
                    text: p.to_string(),
                })
                .collect(),
            ScenarioError::Read { .. } => vec![Problem {
                key: String::new(),
                message: e.to_string(),
                text: e.to_string(),
            }],
        };
        ApiError {
            status: StatusCode::BAD_REQUEST,
            errors,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(json!({ "errors": self.errors }))).into_response()
    }
}

/// Checks a request: its size, the page's limits, then the scenario with
/// its overrides exactly as `ovopsim run` checks them.
pub(super) fn prepare(state: &State, req: RunRequest) -> Result<Prepared, ApiError> {
    let limits = state.limits;
    let entry = state
        .scenarios
        .iter()
        .find(|e| e.id == req.scenario)
        .ok_or_else(|| {
            let known: Vec<&str> = state.scenarios.iter().map(|e| e.id.as_str()).collect();
            ApiError::bad(
                "scenario",
                format!(
                    "scenario: unknown {:?} (known: {})",
                    req.scenario,
                    known.join(", ")
                ),
            )
        })?;
    if req.reps == 0 || req.reps > limits.reps {
        return Err(ApiError::bad(
            "reps",
            format!(
                "reps: must be 1 to {} on this page (`ovopsim run --reps` takes more), got {}",
                limits.reps, req.reps
            ),
        ));
    }
    if req.sets.len() > limits.sets {
        return Err(ApiError::bad(
            "",
            format!(
                "at most {} changed values in one run, got {}",
                limits.sets,
                req.sets.len()
            ),
        ));
    }
    if let Some(long) = req
        .sets
        .iter()
        .find(|s| s.chars().count() > limits.set_chars)
    {
        let key = long.split('=').next().unwrap_or("").trim();
        return Err(ApiError::bad(
            key,
            format!(
                "{key}: a value of at most {} characters, got {}",
                limits.set_chars,
                long.chars().count()
            ),
        ));
    }
    // The horizon as `--years` gives it: first, so a `years=` override wins as on the CLI.
    let mut sets = Vec::new();
    if let Some(y) = req.years {
        sets.push(format!("years={y}"));
    }
    sets.extend(req.sets.iter().cloned());
    let config = entry.resolved.apply(&sets)?;
    let s = &config.scenario;
    if s.years > limits.years {
        return Err(ApiError::bad(
            "years",
            format!(
                "years: at most {} on this page (`ovopsim run` takes up to 100), got {}",
                limits.years, s.years
            ),
        ));
    }
    let villages = config
        .village_records
        .as_ref()
        .map_or(s.district.villages as usize, |r| r.len());
    if villages > limits.villages {
        return Err(ApiError::bad(
            "district.villages",
            format!(
                "district.villages: at most {} villages on this page, got {villages}; run a scenario this large with `ovopsim run`",
                limits.villages
            ),
        ));
    }
    let baseline = if s.approach == crate::scenario::Approach::None {
        None
    } else {
        let mut base_sets = sets.clone();
        base_sets.push("approach=none".into());
        base_sets.push(format!("name={}-baseline", s.name));
        Some(entry.resolved.apply(&base_sets)?)
    };
    Ok(Prepared {
        file: entry.id.clone(),
        sets,
        config,
        baseline,
        reps: req.reps,
        seed: req.seed,
        pin: req.pin,
    })
}

/// A request from a JSON text.
fn parse(text: &[u8]) -> Result<RunRequest, ApiError> {
    serde_json::from_slice(text).map_err(|e| ApiError::bad("", format!("bad request: {e}")))
}

/// The request in the query string: `?q=<JSON>` (an `EventSource` can only GET).
#[derive(Deserialize)]
struct Q {
    q: String,
}

fn from_query(
    query: Result<Query<Q>, axum::extract::rejection::QueryRejection>,
    limit: usize,
) -> Result<RunRequest, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::bad("", format!("bad request: {e}")))?;
    if q.q.len() > limit {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "",
            format!("request of {} bytes; at most {}", q.q.len(), limit),
        ));
    }
    parse(q.q.as_bytes())
}

/// Everything the page needs to draw its controls: the scenarios with their
/// values, the parameter table and the limits.
async fn init(Shared(state): Shared<Arc<State>>) -> Response {
    let scenarios: Vec<serde_json::Value> = state
        .scenarios
        .iter()
        .map(|e| {
            // Listed with its values as resolved; one that fails its own checks
            // is still listed, so that Run shows why.
            let (values, error) = match e.resolved.apply(&[]) {
                Ok(c) => (Some(c.scenario), None),
                Err(err) => (None, Some(err.to_string())),
            };
            json!({
                "id": e.id,
                "name": values.as_ref().map(|s| s.name.clone()),
                "description": values.as_ref().map(|s| s.description.clone()),
                "start_year": values.as_ref().map(|s| s.start_year),
                "values": values.as_ref().map(flat_values),
                "error": error,
            })
        })
        .collect();
    let params: Vec<serde_json::Value> = PARAMS
        .iter()
        .map(|p| {
            json!({
                "key": p.key, "unit": p.unit, "meaning": p.meaning,
                "allowed": p.allowed, "source": p.source, "advanced": p.advanced,
            })
        })
        .collect();
    let l = state.limits;
    axum::Json(json!({
        "scenarios": scenarios,
        "params": params,
        "limits": { "reps": l.reps, "years": l.years, "villages": l.villages },
        "version": env!("CARGO_PKG_VERSION"),
    }))
    .into_response()
}

/// Every leaf value of a scenario by key path (`agencies[0].budget`), as text a `--set` takes.
pub(super) fn flat_values(
    s: &crate::scenario::Scenario,
) -> serde_json::Map<String, serde_json::Value> {
    fn walk(prefix: &str, v: &toml::Value, out: &mut serde_json::Map<String, serde_json::Value>) {
        let join = |k: &str| {
            if prefix.is_empty() {
                k.to_string()
            } else {
                format!("{prefix}.{k}")
            }
        };
        match v {
            toml::Value::Table(t) => {
                for (k, x) in t {
                    walk(&join(k), x, out);
                }
            }
            toml::Value::Array(items)
                if !items.is_empty() && items.iter().all(toml::Value::is_table) =>
            {
                for (i, item) in items.iter().enumerate() {
                    walk(&format!("{prefix}[{i}]"), item, out);
                }
            }
            toml::Value::String(text) => {
                out.insert(prefix.into(), text.clone().into());
            }
            other => {
                out.insert(prefix.into(), other.to_string().into());
            }
        }
    }
    let mut out = serde_json::Map::new();
    walk(
        "",
        &toml::Value::try_from(s).expect("a scenario serializes"),
        &mut out,
    );
    out
}

/// Checks values without running: 200 with the run's size, or 4xx with the problems.
async fn check(Shared(state): Shared<Arc<State>>, body: Bytes) -> Result<Response, ApiError> {
    let prepared = prepare(&state, parse(&body)?)?;
    let s = &prepared.config.scenario;
    Ok(axum::Json(json!({
        "name": s.name,
        "years": s.years,
        "reps": prepared.reps,
        "baseline": prepared.baseline.is_some(),
    }))
    .into_response())
}

/// Runs a request, streaming its replications as server-sent events.
async fn run(
    Shared(state): Shared<Arc<State>>,
    query: Result<Query<Q>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let prepared = prepare(&state, from_query(query, state.limits.body)?)?;
    stream::start(state, prepared)
}

/// The scenario of a request as one TOML file that `ovopsim run` runs to the same numbers.
async fn toml_file(
    Shared(state): Shared<Arc<State>>,
    query: Result<Query<Q>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let prepared = prepare(&state, from_query(query, state.limits.body)?)?;
    let name = prepared.config.scenario.name.clone();
    Ok(attachment(
        &format!("{name}.toml"),
        "application/toml; charset=utf-8",
        reproducing_toml(&prepared).into_bytes(),
    ))
}

/// The whole resolved scenario, headed by the command that reproduces the run.
pub(super) fn reproducing_toml(p: &Prepared) -> String {
    let s = &p.config.scenario;
    let mut scenario = s.clone();
    // A villages file is named relative to the scenario that names it; the
    // downloaded file lives elsewhere, so it gets the absolute path.
    if !scenario.district.villages_file.is_empty() {
        let dir = std::path::Path::new(&p.file)
            .parent()
            .unwrap_or(std::path::Path::new("."));
        let path = dir.join(&scenario.district.villages_file);
        if let Ok(abs) = std::fs::canonicalize(&path) {
            scenario.district.villages_file = abs.display().to_string();
        }
    }
    let mut out = format!(
        "# Made by `ovopsim serve` from {} with{}.\n# The same numbers on the command line:\n#   ovopsim run {}.toml --seed {} --reps {}\n\n",
        p.file,
        if p.sets.is_empty() {
            " no changes".to_string()
        } else {
            p.sets
                .iter()
                .map(|s| format!(" --set {s}"))
                .collect::<String>()
        },
        s.name,
        p.seed,
        p.reps
    );
    out.push_str(&toml::to_string(&scenario).expect("a scenario serializes"));
    out
}

/// A file of a finished run: its CSVs, or the comparison with its baseline.
async fn run_file(
    Shared(state): Shared<Arc<State>>,
    Path((id, file)): Path<(u64, String)>,
) -> Result<Response, ApiError> {
    let run = state.store.get(id).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "",
            format!(
                "run {id} is no longer kept (the last {} are); run it again",
                stream::KEPT
            ),
        )
    })?;
    let bytes = match file.as_str() {
        "summary.csv" => report::summary_csv(&run.programme),
        "series.csv" => report::series_csv(&run.programme),
        "baseline-summary.csv" => report::summary_csv(&run.baseline),
        "comparison.csv" => report::comparison_csv(&[run.baseline.clone(), run.programme.clone()]),
        "effects.csv" => report::effects_csv(&[run.baseline.clone(), run.programme.clone()]),
        other => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "",
                format!(
                    "{other}: no such file (summary.csv, series.csv, baseline-summary.csv, comparison.csv, effects.csv)"
                ),
            ));
        }
    };
    Ok(attachment(
        &format!("{}-{file}", run.programme.name),
        "text/csv; charset=utf-8",
        bytes,
    ))
}

fn attachment(name: &str, kind: &'static str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Resolved;
    use crate::serve::{Entry, LIMITS};
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    const OVOP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ovop.toml");

    fn state() -> Arc<State> {
        let entry = |path: &str| Entry {
            id: path.to_string(),
            resolved: Resolved::read(std::path::Path::new(path)).unwrap(),
        };
        let national = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/national.toml");
        State::new(vec![entry(OVOP), entry(national)], LIMITS)
    }

    fn request(sets: &[&str], reps: u32) -> RunRequest {
        RunRequest {
            scenario: OVOP.into(),
            sets: sets.iter().map(ToString::to_string).collect(),
            reps,
            seed: 1,
            years: None,
            pin: None,
        }
    }

    /// Sends one request through the router; the status and the JSON answer.
    async fn send(state: Arc<State>, req: Request<Body>) -> (StatusCode, serde_json::Value) {
        let response = router(state).oneshot(req).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
            .await
            .unwrap();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null),
        )
    }

    fn post_check(body: impl Into<Body>) -> Request<Body> {
        Request::post("/api/check").body(body.into()).unwrap()
    }

    #[tokio::test]
    async fn bad_values_get_400_with_the_cli_message_and_key() {
        let body = serde_json::to_vec(&json!({
            "scenario": OVOP, "sets": ["coordination.quality=1.5"], "reps": 20, "seed": 1
        }))
        .unwrap();
        let (status, answer) = send(state(), post_check(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // What `ovopsim run scenarios/ovop.toml --set coordination.quality=1.5` prints after "error: ".
        let cli = crate::scenario::load(
            std::path::Path::new(OVOP),
            &["coordination.quality=1.5".to_string()],
        )
        .unwrap_err()
        .to_string();
        assert_eq!(answer["errors"][0]["text"], cli.as_str());
        assert_eq!(answer["errors"][0]["key"], "coordination.quality");
        assert_eq!(answer["errors"][0]["message"], "must be 0 to 1, got 1.5");

        // A misspelt key gets the nearest name, as on the command line.
        let body = serde_json::to_vec(&json!({
            "scenario": OVOP, "sets": ["coordination.qualty=0.5"], "reps": 2, "seed": 1
        }))
        .unwrap();
        let (status, answer) = send(state(), post_check(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let text = answer["errors"][0]["text"].as_str().unwrap();
        assert!(text.contains("did you mean `quality`?"), "{text}");
    }

    #[tokio::test]
    async fn good_values_pass_and_name_the_baseline() {
        let body = serde_json::to_vec(&json!({
            "scenario": OVOP, "sets": ["coordination.quality=0.4"], "reps": 3, "seed": 7, "years": 10
        }))
        .unwrap();
        let (status, answer) = send(state(), post_check(body)).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["years"], 10);
        assert_eq!(answer["baseline"], true);
    }

    #[tokio::test]
    async fn limits_are_enforced() {
        let s = state();
        let too_many_reps = prepare(&s, request(&[], LIMITS.reps + 1)).err().unwrap();
        assert_eq!(too_many_reps.errors[0].key, "reps");
        assert!(prepare(&s, request(&[], 0)).is_err());
        assert!(prepare(&s, request(&[], LIMITS.reps)).is_ok());
        let years = prepare(&s, request(&["years=60"], 2)).err().unwrap();
        assert_eq!(years.errors[0].key, "years");
        assert!(
            years.errors[0].message.starts_with("at most 50"),
            "{:?}",
            years.errors
        );
        let villages = prepare(&s, request(&["district.villages=201"], 2))
            .err()
            .unwrap();
        assert_eq!(villages.errors[0].key, "district.villages");
        let mut national = request(&[], 2);
        national.scenario = state().scenarios[1].id.clone();
        assert_eq!(
            prepare(&s, national).err().unwrap().errors[0].key,
            "district.villages"
        );
        let many: Vec<String> = (0..=LIMITS.sets).map(|_| "years=5".to_string()).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(prepare(&s, request(&refs, 2)).is_err());
        let long = format!("description={}", "x".repeat(LIMITS.set_chars));
        assert_eq!(
            prepare(&s, request(&[&long], 2)).err().unwrap().errors[0].key,
            "description"
        );
        let mut unknown = request(&[], 2);
        unknown.scenario = "nope.toml".into();
        assert_eq!(
            prepare(&s, unknown).err().unwrap().errors[0].key,
            "scenario"
        );

        // A body over the limit is refused before it is read whole.
        let big = vec![b' '; LIMITS.body + 1];
        let (status, _) = send(state(), post_check(big)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        // Not JSON, or unknown fields: 400 with a message.
        let (status, answer) = send(state(), post_check("{\"scenario\": 1}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            answer["errors"][0]["text"]
                .as_str()
                .unwrap()
                .starts_with("bad request")
        );
        // The run endpoint checks the same way before it streams anything.
        let q = serde_json::to_string(&json!({
            "scenario": OVOP, "sets": ["finance.kur_supply=-1"], "reps": 2, "seed": 1
        }))
        .unwrap();
        let uri = format!("/api/run?q={}", url_escape(&q));
        let (status, answer) = send(state(), Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(answer["errors"][0]["key"], "finance.kur_supply");
    }

    fn url_escape(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    #[test]
    fn the_downloaded_toml_is_the_same_scenario() {
        let s = state();
        let p = prepare(
            &s,
            request(
                &[
                    "coordination.quality=0.4",
                    "events.weather=[{kind = \"el_nino\", year = 2030, severity = 0.8}]",
                ],
                2,
            ),
        )
        .unwrap();
        let text = reproducing_toml(&p);
        assert!(text.contains("--seed 1 --reps 2"), "{text}");
        let back = crate::scenario::load_str(
            &text,
            std::path::Path::new("x.toml"),
            std::path::Path::new("."),
            &[],
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&back.scenario).unwrap(),
            serde_json::to_value(&p.config.scenario).unwrap()
        );
    }

    #[test]
    fn values_are_flattened_as_set_takes_them() {
        let config = crate::scenario::load(std::path::Path::new(OVOP), &[]).unwrap();
        let values = flat_values(&config.scenario);
        assert_eq!(values["coordination.quality"], "0.8");
        assert_eq!(values["approach"], "ovop");
        assert!(values.contains_key("agencies[0].budget"));
    }

    #[tokio::test]
    async fn a_finished_run_streams_and_is_kept_for_downloads() {
        let s = state();
        let q = serde_json::to_string(&json!({
            "scenario": OVOP, "sets": ["district.villages=3"], "reps": 2, "seed": 1, "years": 2
        }))
        .unwrap();
        let uri = format!("/api/run?q={}", url_escape(&q));
        let response = router(Arc::clone(&s))
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 26)
            .await
            .unwrap();
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let events: Vec<serde_json::Value> = text
            .lines()
            .filter_map(|l| l.strip_prefix("data: "))
            .map(|d| serde_json::from_str(d).unwrap())
            .collect();
        let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(
            kinds.iter().filter(|k| **k == "progress").count(),
            4,
            "{kinds:?}"
        );
        assert_eq!(kinds.last(), Some(&"done"));
        let done = events.last().unwrap();
        let run = done["run"].as_u64().unwrap();
        // Two years: the table has the last year only.
        assert_eq!(done["table"][0]["year"], 2);
        let kept = s.store.get(run).unwrap();
        let mean = crate::stats::summarize(&kept.programme.column(24, 0)).mean;
        assert_eq!(done["table"][0]["programme"]["value"].as_f64(), Some(mean));
        let (status, _) = send(
            Arc::clone(&s),
            Request::get(format!("/api/runs/{run}/summary.csv"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = send(
            s,
            Request::get("/api/runs/999/summary.csv")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn closing_the_page_cancels_the_run_and_frees_the_queue() {
        use futures_util::StreamExt;
        let s = state();
        // 2 x 100 replications of the whole district: minutes if not cancelled.
        let q = serde_json::to_string(&json!({"scenario": OVOP, "reps": 100, "seed": 1})).unwrap();
        let uri = format!("/api/run?q={}", url_escape(&q));
        let response = router(Arc::clone(&s))
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let mut events = response.into_body().into_data_stream();
        let first = events.next().await.unwrap().unwrap();
        assert!(String::from_utf8_lossy(&first).contains("\"started\""));
        assert!(s.queue.lock().running.is_some(), "the run computes");
        let clock = std::time::Instant::now();
        drop(events);
        // The replications running finish; the others never start.
        while s.queue.lock().running.is_some() {
            assert!(clock.elapsed().as_secs() < 30, "the run was not cancelled");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(s.store.get(1).is_none(), "a cancelled run is not kept");
    }
}
