//! The JSON Schema of scenario files: it accepts every file `ovopsim check` accepts, refuses the misspelt keys, wrong types, unknown choices and out-of-range values check refuses, and `ovopsim schema` prints and writes it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap()
}

/// A fresh temporary folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ovopsim-schema-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn validator() -> jsonschema::Validator {
    let schema = ovopsim::scenario::json_schema();
    jsonschema::draft7::meta::validate(&schema).expect("a valid draft 7 schema");
    jsonschema::draft7::new(&schema).unwrap()
}

/// A scenario file as the JSON an editor validates; `None` when it is not TOML.
fn as_json(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    Some(serde_json::to_value(table).unwrap())
}

/// The schema's complaints about a file, one line each.
fn schema_errors(v: &jsonschema::Validator, json: &Value) -> Vec<String> {
    v.iter_errors(json)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn check_accepts(path: &Path) -> bool {
    let out = run(&["check".as_ref(), path.as_os_str()]);
    match out.status.code() {
        Some(0) => true,
        Some(2) => false,
        other => panic!("check {}: exit {other:?}", path.display()),
    }
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

#[test]
fn every_file_check_accepts_the_schema_accepts() {
    let v = validator();
    let mut files = Vec::new();
    toml_files(&root().join("scenarios"), &mut files);
    let shipped = files.len();
    toml_files(&root().join("tests/fixtures"), &mut files);
    let mut accepted = 0;
    for (ix, path) in files.iter().enumerate() {
        if !check_accepts(path) {
            assert!(ix >= shipped, "check refuses {}", path.display());
            continue;
        }
        accepted += 1;
        let json = as_json(path).unwrap();
        let errors = schema_errors(&v, &json);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
    assert!(
        accepted > shipped && shipped >= 14,
        "{accepted} of {shipped}"
    );
}

/// Broken fixtures the schema cannot refuse, and why: each breaks a bound
/// that depends on other keys or on other files, which only check sees.
const ONLY_CHECK_REFUSES: &[&str] = &[
    "bad-name.toml",                   // a name's letters: checked by hand
    "coordination-min-above-max.toml", // a bound set by another key
    "cycle-a.toml",                    // extends: other files
    "cycle-b.toml",
    "event-before-start.toml", // the run's years
    "min-above-max.toml",
    "missing-parent.toml",
    "mix-not-summing-to-1.toml", // a sum
    "shares-not-summing-to-1.toml",
    "trust-above-one.toml", // a bound set by another key
    "unknown-product.toml", // the product list
];

/// Not TOML at all: an editor reports these itself.
const NOT_TOML: &[&str] = &["binary.toml", "duplicate-key.toml", "syntax.toml"];

#[test]
fn the_schema_refuses_the_broken_fixtures_of_keys_types_choices_and_ranges() {
    let v = validator();
    let mut files = Vec::new();
    toml_files(&root().join("tests/fixtures/bad"), &mut files);
    files.sort();
    let mut refused = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let Some(json) = as_json(path) else {
            assert!(NOT_TOML.contains(&name), "{name} does not parse");
            continue;
        };
        let errors = schema_errors(&v, &json);
        assert_eq!(
            errors.is_empty(),
            ONLY_CHECK_REFUSES.contains(&name),
            "{name}: {errors:#?}"
        );
        if !errors.is_empty() {
            refused.push(name);
        }
    }
    assert!(refused.len() >= 8, "{refused:?}");
}

/// (what is wrong, a scenario file with it).
const BAD: &[(&str, &str)] = &[
    ("unknown key", "yeras = 10\n"),
    ("unknown key in a section", "[coordination]\nqualty = 0.5\n"),
    ("unknown section", "[coordinaton]\nquality = 0.5\n"),
    (
        "unknown key in a list entry",
        "[[events.price]]\nproduct = \"all\"\nyear = 2030\nchange = -0.2\nsize = 3\n",
    ),
    (
        "unknown programme kind",
        "[[agencies]]\nname = \"a\"\nlevel = \"central\"\nbudget = 1e9\nmix = { webiste = 1.0 }\n",
    ),
    ("share above 1", "[coordination]\nquality = 1.5\n"),
    ("whole number below its range", "years = 0\n"),
    ("money below 0", "[economy]\ngroup_wage = -1.0\n"),
    (
        "zero where above 0 is needed",
        "[programme.saturation]\nwebsite = 0.0\n",
    ),
    (
        "list entry out of range",
        "[[events.weather]]\nkind = \"flood\"\nyear = 2030\nseverity = 2.0\n",
    ),
    ("text for a number", "years = \"ten\"\n"),
    ("fraction for a whole number", "years = 2.5\n"),
    ("text for a switch", "[programme]\nadaptive = \"yes\"\n"),
    ("number for a list", "[programme]\ncalendar = 0.5\n"),
    ("table for a number", "[coordination.quality]\nx = 1\n"),
    ("unknown approach", "approach = \"ovopp\"\n"),
    (
        "unknown weather kind",
        "[[events.weather]]\nkind = \"drought\"\nyear = 2030\n",
    ),
    (
        "unknown government level",
        "[[agencies]]\nname = \"a\"\nlevel = \"village\"\nbudget = 1e9\nmix = { website = 1.0 }\n",
    ),
    (
        "list entry without a required key",
        "[[events.price]]\nproduct = \"all\"\nyear = 2030\n",
    ),
    (
        "five tier premiums needed",
        "[[products]]\nname = \"x\"\nraw_yield_kg_ha = 1.0\npeak_month = 1\nseasonality = 0.1\nfarmgate_price = 1.0\nconversion = 1.0\ndomestic_price = 1.0\nexport_price = 1.0\nlabour_per_t = 1.0\ncapital_per_t = 1.0\ndrought_loss = 0.1\nvolatility = 0.1\ntier_premium = [0.0, 0.1]\n",
    ),
];

#[test]
fn check_and_the_schema_both_refuse_each_bad_key_type_choice_and_range() {
    let v = validator();
    let dir = temp("bad");
    for (ix, (what, text)) in BAD.iter().enumerate() {
        let path = dir.join(format!("bad-{ix}.toml"));
        std::fs::write(&path, text).unwrap();
        let json = as_json(&path).unwrap();
        assert!(
            !schema_errors(&v, &json).is_empty(),
            "schema accepts {what}"
        );
        assert!(!check_accepts(&path), "check accepts {what}");
    }
    // Fixed, each is accepted by both: the refusals above are the faults'.
    // The first line is an editor's schema directive, a comment to check.
    let good = "#:schema ./ovopsim-scenario.schema.json\nyears = 10\n[coordination]\nquality = 0.5\n[programme]\nadaptive = true\n[programme.saturation]\nwebsite = 1e6\n[[events.weather]]\nkind = \"flood\"\nyear = 2030\nseverity = 0.5\n";
    let path = dir.join("good.toml");
    std::fs::write(&path, good).unwrap();
    assert!(schema_errors(&v, &as_json(&path).unwrap()).is_empty());
    assert!(check_accepts(&path));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The one looser case found: a whole number written with a point. JSON
/// Schema since draft 6 counts 5.0 as an integer (JSON numbers have no
/// separate float type), so the schema and editors accept `years = 5.0`,
/// which check refuses with a clear message.
#[test]
fn a_whole_number_written_as_a_decimal_is_refused_by_check_only() {
    let dir = temp("decimal");
    let path = dir.join("decimal.toml");
    std::fs::write(&path, "years = 5.0\n").unwrap();
    assert!(schema_errors(&validator(), &as_json(&path).unwrap()).is_empty());
    assert!(!check_accepts(&path));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn schema_prints_writes_and_refuses_a_bad_out_path() {
    let committed =
        std::fs::read_to_string(root().join("schema/ovopsim-scenario.schema.json")).unwrap();
    let out = run(&["schema".as_ref()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), committed);

    let dir = temp("out");
    let file = dir.join("s.json");
    let out = run(&["schema".as_ref(), "--out".as_ref(), file.as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), committed);

    let missing = dir.join("no-such-folder/s.json");
    let out = run(&["schema".as_ref(), "--out".as_ref(), missing.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no-such-folder does not exist"), "{err}");
    assert!(!missing.exists());

    let out = run(&["schema".as_ref(), "--out".as_ref(), dir.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("is a folder"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn completions_and_the_man_page_list_the_schema_command() {
    let bash = run(&["completions".as_ref(), "bash".as_ref()]);
    assert!(
        String::from_utf8(bash.stdout)
            .unwrap()
            .contains("ovopsim__subcmd__schema")
    );
    let man = run(&["man".as_ref()]);
    assert!(
        String::from_utf8(man.stdout)
            .unwrap()
            .contains("ovopsim\\-schema")
    );
}
