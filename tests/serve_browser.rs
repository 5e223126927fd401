//! End to end in a real browser: `ovopsim serve` driven through Debian's headless chromium and chromedriver (WebDriver over plain HTTP).
//!
//! Loads the page, changes coordination quality, runs, reads the year-20
//! income from the table and checks it against `ovopsim run` at the same
//! seed; shows a bad value's CLI message beside its control; pins, reruns
//! with another value and checks the pinned difference; downloads the TOML
//! and checks `ovopsim run` of it gives the same numbers; saves screenshots
//! at two window sizes (in `target/tmp/serve-e2e/`).
//!
//! Skipped with a note when chromium or chromedriver is missing, unless
//! `OVOPSIM_REQUIRE_BROWSER=1` (as `.ci/run` sets once it has installed them).

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_ovopsim");
const REPS: u32 = 4;

/// Kills a child process when the test ends, passed or not.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names
        .iter()
        .flat_map(|n| std::env::split_paths(&path).map(move |d| d.join(n)))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A WebDriver session: JSON over HTTP/1.1, one connection per command.
struct Driver {
    port: u16,
    session: String,
}

impl Driver {
    fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
        let body = body.map(Value::to_string).unwrap_or_default();
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("chromedriver answers");
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        // chromedriver may keep the connection open: read by Content-Length.
        let mut raw = Vec::new();
        let mut buf = [0u8; 65536];
        let payload = loop {
            let n = stream.read(&mut buf).expect("chromedriver answers in time");
            raw.extend_from_slice(&buf[..n]);
            let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
                assert!(n > 0, "connection closed before the headers");
                continue;
            };
            let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
            let body = &raw[split + 4..];
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            match length {
                Some(len) if body.len() >= len => break body[..len].to_vec(),
                None if head.contains("transfer-encoding: chunked")
                    && body.ends_with(b"0\r\n\r\n") =>
                {
                    break dechunk(body);
                }
                None if n == 0 => break body.to_vec(),
                _ => assert!(n > 0, "connection closed before the body"),
            }
        };
        serde_json::from_slice(&payload).unwrap_or_else(|e| {
            panic!(
                "WebDriver {method} {path}: {e}: {}",
                String::from_utf8_lossy(&payload)
            )
        })
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        let answer = Self::http(self.port, method, &full, body.as_ref());
        let value = answer["value"].clone();
        if let Some(error) = value.get("error") {
            panic!("WebDriver {method} {path}: {error}: {}", value["message"]);
        }
        value
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    /// Replaces an input's text as a user would type it.
    fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        self.cmd("POST", &format!("/element/{id}/clear"), Some(json!({})));
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn script(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Polls a script until it returns something other than null.
    fn wait_for(&self, what: &str, script: &str, timeout: Duration) -> Value {
        let start = Instant::now();
        loop {
            let v = self.script(script);
            if !v.is_null() {
                return v;
            }
            if start.elapsed() > timeout {
                let status = self.script("return document.getElementById('status').textContent");
                panic!("timed out waiting for {what}; status: {status}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn window(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }

    fn screenshot(&self, path: &Path) {
        let b64 = self.cmd("GET", "/screenshot", None);
        std::fs::write(path, base64(b64.as_str().unwrap())).unwrap();
    }
}

/// Ends the browser with the session, even when the test fails: chromium
/// outlives a killed chromedriver otherwise.
impl Drop for Driver {
    fn drop(&mut self) {
        let path = format!("/session/{}", self.session);
        let _ = std::panic::catch_unwind(|| Self::http(self.port, "DELETE", &path, None));
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
}

fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, c)| {
            acc | u32::from(value(*c)) << (18 - 6 * i)
        });
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    out
}

/// The mean of a metric at a month in a summary.csv.
fn summary_mean(dir: &Path, metric: &str, month: usize) -> f64 {
    let text = std::fs::read_to_string(dir.join("summary.csv")).unwrap();
    let month = month.to_string();
    let row: Vec<&str> = text
        .lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[1] == metric && f[2] == month)
        .unwrap_or_else(|| panic!("no {metric} at month {month}"));
    row[3].parse().unwrap()
}

/// `ovopsim run` of a scenario file with these overrides, into `out`.
fn cli_run(scenario: &Path, sets: &[&str], out: &Path) {
    let mut cmd = Command::new(BIN);
    cmd.arg("run")
        .arg(scenario)
        .args([
            "--reps",
            &REPS.to_string(),
            "--seed",
            "1",
            "--quiet",
            "--no-charts",
            "--out",
        ])
        .arg(out);
    for s in sets {
        cmd.args(["--set", s]);
    }
    let status = cmd.status().unwrap();
    assert!(status.success());
}

#[test]
fn the_page_runs_pins_downloads_and_agrees_with_the_cli() {
    let (Some(chromium), Some(chromedriver)) = (
        find(&["chromium", "chromium-browser"]),
        find(&["chromedriver"]),
    ) else {
        assert!(
            std::env::var("OVOPSIM_REQUIRE_BROWSER").is_err(),
            "OVOPSIM_REQUIRE_BROWSER is set but chromium or chromedriver is missing"
        );
        eprintln!(
            "note: browser test skipped: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-e2e");
    let _ = std::fs::remove_dir_all(&tmp);
    let downloads = tmp.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();

    // The server, on a free port it prints.
    let mut server = Command::new(BIN)
        .args(["serve", "--port", "0"])
        .current_dir(root)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stderr.take().unwrap()).lines();
    let server = Killed(server);
    let url = lines
        .next()
        .unwrap()
        .unwrap()
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("serve prints its address")
        .to_string();
    let _ = &server;

    let port = free_port();
    let _driver = Killed(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let profile = tmp.join("profile");
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.display()),
                     "--window-size=1600,1000"],
            "prefs": {"download.default_directory": downloads, "download.prompt_for_download": false},
        }
    }}});
    let answer = Driver::http(port, "POST", "/session", Some(&caps));
    let session = answer["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no WebDriver session: {answer}"))
        .to_string();
    let d = Driver { port, session };
    let long = Duration::from_secs(180);

    d.cmd("POST", "/url", Some(json!({ "url": url })));
    d.wait_for(
        "the page",
        "return document.body.dataset.ready || null",
        // A script error leaves the page unready: fail soon.
        Duration::from_secs(30),
    );
    let scenario = d.script("return document.getElementById('scenario').value");
    assert!(
        scenario.as_str().unwrap().ends_with("ovop.toml"),
        "{scenario}"
    );

    // A bad value: the CLI's message, beside its control.
    d.type_into("#coordination", "1.5");
    d.click("#run");
    let shown = d.wait_for(
        "the error",
        "const e = document.getElementById('coordination-error'); return e.hidden ? null : e.textContent",
        long,
    );
    assert_eq!(
        shown,
        "--set coordination.quality=1.5: key `coordination.quality`: must be 0 to 1, got 1.5"
    );

    // Coordination quality 0.4, a few replications, run.
    d.type_into("#coordination", "0.4");
    d.type_into("#reps", &REPS.to_string());
    let clock = Instant::now();
    d.click("#run");
    let run1 = d.wait_for(
        "the first run",
        "return document.body.dataset.done || null",
        long,
    );
    eprintln!(
        "first run: {:.1} s in the browser",
        clock.elapsed().as_secs_f64()
    );
    let charts = d.script("return document.querySelectorAll('#charts figure svg path').length");
    assert!(charts.as_u64().unwrap() >= 4 * 4, "charts drawn: {charts}");
    let income = "[data-metric=income_per_capita][data-year='20'][data-col=programme]";
    let shown: f64 = d
        .script(&format!(
            "return document.querySelector(\"{income}\").dataset.value"
        ))
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let cli = tmp.join("cli");
    cli_run(
        &root.join("scenarios/ovop.toml"),
        &["coordination.quality=0.4"],
        &cli,
    );
    assert_eq!(shown, summary_mean(&cli, "income_per_capita", 240));
    // The text shown is the value rounded (whole rupiah, thousands separated).
    let text = d.script(&format!(
        "return document.querySelector(\"{income}\").firstChild.textContent"
    ));
    assert_eq!(
        text.as_str()
            .unwrap()
            .replace(',', "")
            .parse::<f64>()
            .unwrap(),
        shown.round()
    );

    // Pin, change, run again: the pinned run is overlaid and differenced.
    d.click("#pin");
    d.type_into("#coordination", "0.9");
    d.click("#run");
    d.wait_for(
        "the second run",
        &format!(
            "const d = document.body.dataset.done; return d && d !== '{}' ? d : null",
            run1.as_str().unwrap()
        ),
        long,
    );
    let legend = d.script("return document.querySelector('#charts .legend').textContent");
    assert!(legend.as_str().unwrap().contains("Pinned run"), "{legend}");
    let vs_pinned = d.script(
        "const c = document.querySelector('[data-metric=income_per_capita][data-col=vs_pinned]'); return c ? c.dataset.value : null",
    );
    assert!(
        vs_pinned.as_str().unwrap().parse::<f64>().is_ok(),
        "{vs_pinned}"
    );
    d.script("window.scrollTo(0, 0)");
    d.screenshot(&tmp.join("serve-wide.png"));

    // The TOML download runs on the command line to the numbers shown.
    let now: f64 = d
        .script(&format!(
            "return document.querySelector(\"{income}\").dataset.value"
        ))
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    d.click("#download-list a");
    let toml = downloads.join("ovop.toml");
    let waited = Instant::now();
    while !toml.is_file() {
        assert!(waited.elapsed() < Duration::from_secs(30), "no download");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    let again = tmp.join("from-toml");
    cli_run(&toml, &[], &again);
    assert_eq!(now, summary_mean(&again, "income_per_capita", 240));

    // The charts as SVG and PNG files.
    for (format, magic) in [("svg", &b"<svg"[..]), ("png", &b"\x89PNG"[..])] {
        d.click(&format!("#charts figure button[data-format={format}]"));
        let file = downloads.join(format!("ovop-income_per_capita.{format}"));
        let waited = Instant::now();
        while !file.is_file() || std::fs::metadata(&file).unwrap().len() == 0 {
            assert!(
                waited.elapsed() < Duration::from_secs(30),
                "no {format} chart"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(Duration::from_millis(300));
        assert!(std::fs::read(&file).unwrap().starts_with(magic), "{format}");
    }

    // An old projector's or a small laptop's screen.
    d.window(1024, 768);
    d.script("window.scrollTo(0, 0)");
    d.screenshot(&tmp.join("serve-small.png"));
    eprintln!("screenshots in {}", tmp.display());
}
