//! The settings in a URL: read from a query string, written back, and a link to a
//! run.

use super::edit::*;
use super::rows::*;
use super::{Problem, Settings};

/// Reads settings from a query string such as `?nodes=50&loss=10`. Unknown
/// parameters are left alone (the embedding page may use its own); known ones with
/// bad values are clamped or left at their defaults, each with a [`Problem`]. The
/// seed is `None` when the URL has none (or a bad one), so that the caller can pick
/// a random one.
pub fn from_query(query: &str) -> (Settings, Option<u64>, Vec<Problem>) {
    let mut settings = Settings::default();
    let mut problems = Vec::new();
    let query = query.strip_prefix('?').unwrap_or(query);
    let pairs: Vec<(&str, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
            (name, decode(raw))
        })
        .collect();
    let mut seed = None;
    for (name, raw) in profile_first(&pairs, |(name, _)| name) {
        match edit_text(&mut settings, name, raw) {
            Ok(()) if *name == "seed" => seed = Some(settings.seed),
            Ok(()) => {}
            Err(problem) if problem.name == "seed" => problems.push(Problem {
                instead: "a random seed".into(),
                ..problem
            }),
            Err(problem) => problems.push(problem),
        }
    }
    problems.extend(reconcile(&mut settings));
    (settings, seed, problems)
}

/// The query string that reproduces `settings`: every setting that has a value,
/// but the flags only when they differ from their default.
pub fn to_query(settings: &Settings) -> String {
    let mut query = String::new();
    for setting in &SETTINGS {
        let Some(value) = (setting.get)(settings) else {
            continue;
        };
        let text = match value {
            Value::Flag(_) if Some(value) == setting.default => continue,
            // Three significant digits are plenty for a speed.
            Value::Decimal(speed) if setting.name == "speed" => {
                ((speed * 100.0).round() / 100.0).to_string()
            }
            _ => value.to_string(),
        };
        query.push(if query.is_empty() { '?' } else { '&' });
        query.push_str(setting.name);
        query.push('=');
        query.push_str(&text);
    }
    query
}

/// The query string of a link to a run: its settings (`to_query`) and, if any, the
/// user's actions as a run code (`run_code.rs`), which `param(query, "run")` reads back.
pub fn link(settings: &Settings, run: Option<&str>) -> String {
    let query = to_query(settings);
    match run {
        Some(code) if !code.is_empty() => format!("{query}&run={code}"),
        _ => query,
    }
}

/// A query string's parameter `name`, decoded, if it has one: for the parameters
/// read beside the table (`run`, a run code; `live`, a cluster's address).
pub fn param(query: &str, name: &str) -> Option<String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
        .map(decode)
}

/// Percent-decoding of the few characters a value may carry (`+` is a space).
pub(super) fn decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| core::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
