//! Turns the translations (`locales/en.json`, `locales/fr.json`) into the typed `i18n` module, and
//! fails the build when a key is missing in either language (leptos_i18n alone would only warn and
//! fall back to English) or when a plural has no `_other` form.

use leptos_i18n_parser::parse_locales::options::{Config, ParseOptions};
use leptos_i18n_parser::parse_locales::parse_locales;
use std::collections::BTreeSet;
use std::error::Error;
use std::path::PathBuf;

const LOCALES: [&str; 2] = ["en", "fr"];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=locales");

    check_same_keys()?;

    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let options = ParseOptions::default().interpolate_display(true);
    let cfg = Config::new(LOCALES[0]).map_err(|e| e.to_string())?.add_locale(LOCALES[1]).map_err(|e| e.to_string())?.parse_options(options);
    let parsed = parse_locales(None, cfg).map_err(|e| e.to_string())?;
    for warning in parsed.diag.warnings().iter() {
        println!("cargo::warning={warning}");
    }
    for error in parsed.diag.errors().iter() {
        println!("cargo::error={error}");
    }
    // The generated code parses its own locale names with `expect`: allowed there, not in ours.
    let allow: proc_macro2::TokenStream = "#![allow(clippy::expect_used, clippy::unwrap_used)]".parse()?;
    let code = leptos_i18n_codegen::gen_code(&parsed, None, false, Some(&allow), false).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("mod.rs"), code.to_string())?;
    Ok(())
}

/// Every language has exactly the same keys (plural forms `_one`, `_other`… count as one key).
fn check_same_keys() -> Result<(), Box<dyn Error>> {
    let mut sets = Vec::new();
    for locale in LOCALES {
        let path = format!("locales/{locale}.json");
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
        let mut keys = BTreeSet::new();
        collect_keys("", &value, &mut keys);
        sets.push((locale, keys));
    }
    let mut problems = Vec::new();
    for (locale, keys) in &sets {
        for (other, other_keys) in &sets {
            for key in other_keys.difference(keys) {
                problems.push(format!("locales/{locale}.json has no \"{key}\" (found in {other})"));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("translations are incomplete:\n  {}", problems.join("\n  ")).into())
    }
}

fn collect_keys(prefix: &str, value: &serde_json::Value, keys: &mut BTreeSet<String>) {
    if let serde_json::Value::Object(map) = value {
        for (key, value) in map {
            let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
            if value.is_object() {
                collect_keys(&full, value, keys);
            } else {
                keys.insert(plural_base(&full).to_string());
            }
        }
    }
}

fn plural_base(key: &str) -> &str {
    for suffix in ["_zero", "_one", "_two", "_few", "_many", "_other"] {
        if let Some(base) = key.strip_suffix(suffix) {
            return base;
        }
    }
    key
}
