//! Shipped scenarios and documents stay in step with the code.

use ovopsim::scenario;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn ovop_toml_is_the_documented_default() {
    let config = scenario::load(&root().join("scenarios/ovop.toml"), &[]).unwrap();
    let mut from_file = serde_json::to_value(&config.scenario).unwrap();
    let defaults = scenario::defaults();
    let mut default = serde_json::to_value(&defaults).unwrap();
    for v in [&mut from_file, &mut default] {
        v["name"] = "".into();
        v["description"] = "".into();
    }
    assert_eq!(
        from_file, default,
        "scenarios/ovop.toml must equal the defaults"
    );
}

/// Fails when `path` differs from `expected`, or rewrites it under `OVOPSIM_UPDATE_DOCS=1`.
fn generated(path: &Path, current: &str, expected: String) {
    if current == expected {
        return;
    }
    if std::env::var_os("OVOPSIM_UPDATE_DOCS").is_some() {
        std::fs::write(path, expected).unwrap();
    } else {
        panic!(
            "{} is stale (it is written from the key declarations): run `OVOPSIM_UPDATE_DOCS=1 cargo test --release --test scenarios`",
            path.display()
        );
    }
}

#[test]
fn ovop_toml_is_written_from_the_declarations() {
    let path = root().join("scenarios/ovop.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    generated(&path, &text, scenario::template_default_file());
}

#[test]
fn json_schema_is_written_from_the_declarations() {
    let path = root().join("schema/ovopsim-scenario.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    generated(&path, &text, scenario::json_schema_text());
}

/// Replaces the text between `<!-- {marker}:begin -->` and `<!-- {marker}:end -->`.
fn between_markers(doc: &str, marker: &str, body: &str) -> String {
    let (begin, end) = (
        format!("<!-- {marker}:begin -->\n"),
        format!("<!-- {marker}:end -->"),
    );
    let start = doc
        .find(&begin)
        .unwrap_or_else(|| panic!("ODD.md has the {begin} marker"))
        + begin.len();
    let stop = doc
        .find(&end)
        .unwrap_or_else(|| panic!("ODD.md has the {end} marker"));
    format!("{}{}{}", &doc[..start], body, &doc[stop..])
}

/// One test for both generated tables of ODD.md, so that updating them never races.
#[test]
fn odd_parameter_and_metric_tables_are_current() {
    let path = root().join("docs/ODD.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let updated = between_markers(&doc, "params", &scenario::params_markdown());
    let updated = between_markers(&updated, "metrics", &ovopsim::metrics::markdown_table());
    generated(&path, &doc, updated);
}

#[test]
fn readme_test_command_is_what_ci_runs() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    let command = "cargo test --release";
    assert!(readme.contains(command), "README names the test command");
    assert!(
        ci.contains(command),
        ".ci/run runs the README's test command"
    );
}
