//! Typed edits of the settings: a value set by name, clamped into its row's range,
//! or read from text as a user types it; and the rules between settings (a profile
//! first, then the values it sets).

use crate::presets;

use super::rows::*;
use super::{Problem, Settings};

impl Setting {
    /// Reads `text` as this setting's type, without checking the range.
    pub fn read(&self, text: &str) -> Option<Value> {
        match self.kind {
            Kind::Whole { .. } => text.parse().ok().map(Value::Whole),
            Kind::Decimal { .. } => decimal_number(text).map(Value::Decimal),
            Kind::Choice(names) => names.iter().find(|n| **n == text).map(|n| Value::Name(n)),
            Kind::Flag => match text {
                "1" | "true" | "yes" => Some(Value::Flag(true)),
                "0" | "false" | "no" => Some(Value::Flag(false)),
                _ => None,
            },
            Kind::Text => presets::find(text)
                .map(|p| Value::Name(p.name))
                .or((text.is_empty()).then_some(Value::Name(""))),
        }
    }

    /// What a value that does not read should be, in words.
    fn expected(&self) -> String {
        match self.kind {
            Kind::Whole { min, max, .. } => format!("not a whole number from {min} to {max}"),
            Kind::Decimal { .. } => "not a valid number".into(),
            Kind::Choice(names) => format!("not one of {}", names.join(", ")),
            Kind::Flag => "not 1 or 0".into(),
            Kind::Text => format!("no such scenario; the scenarios are {}", presets::names()),
        }
    }

    /// `value` clamped into range, with why if it had to be.
    pub(super) fn clamp(&self, value: Value) -> (Value, Option<String>) {
        match (self.kind, value) {
            (Kind::Whole { min, .. }, Value::Whole(n)) if n < min => {
                (Value::Whole(min), Some(format!("below {min}")))
            }
            (Kind::Whole { max, .. }, Value::Whole(n)) if n > max => {
                (Value::Whole(max), Some(format!("above {max}")))
            }
            (Kind::Decimal { min, .. }, Value::Decimal(x)) if x < min => {
                (Value::Decimal(min), Some(format!("below {min}")))
            }
            (Kind::Decimal { max, .. }, Value::Decimal(x)) if x > max => {
                (Value::Decimal(max), Some(format!("above {max}")))
            }
            _ => (value, None),
        }
    }

    /// The value now in `settings`, as the URL writes it; `none` when unset.
    pub fn current(&self, settings: &Settings) -> String {
        (self.get)(settings).map_or_else(|| "none".into(), |v| v.to_string())
    }
}

/// Sets `name` to `value` in `settings`, clamped into range. A value out of range
/// is clamped and one of the wrong type leaves the setting as it was; either way
/// the problem is returned.
pub fn edit(settings: &mut Settings, name: &str, value: Value) -> Result<(), Problem> {
    let Some(setting) = setting(name) else {
        return Err(Problem {
            name: "option",
            given: name.to_owned(),
            why: format!("no such setting; the settings are {}", names()),
            instead: "nothing".into(),
        });
    };
    // An empty number box reads as NaN, and JS may pass Infinity: neither is a number.
    let fits = !matches!(value, Value::Decimal(x) if !x.is_finite())
        && matches!(
            (setting.kind, value),
            (Kind::Whole { .. }, Value::Whole(_))
                | (Kind::Decimal { .. }, Value::Decimal(_))
                | (Kind::Choice(_) | Kind::Text, Value::Name(_))
                | (Kind::Flag, Value::Flag(_))
        );
    let problem = |why: String, settings: &Settings| Problem {
        name: setting.name,
        given: value.to_string(),
        why,
        instead: setting.current(settings),
    };
    if !fits {
        return Err(problem(setting.expected(), settings));
    }
    let (clamped, why) = setting.clamp(value);
    if let Err(why) = (setting.set)(settings, clamped) {
        return Err(problem(why, settings));
    }
    match why {
        Some(why) => Err(problem(why, settings)),
        None => Ok(()),
    }
}

/// Sets `name` from the text `raw` (a URL value), as [`edit`] does.
pub fn edit_text(settings: &mut Settings, name: &str, raw: &str) -> Result<(), Problem> {
    let Some(setting) = setting(name) else {
        return Ok(());
    };
    match setting.read(raw) {
        Some(value) => edit(settings, name, value).map_err(|p| Problem {
            given: raw.to_owned(),
            ..p
        }),
        None => Err(Problem {
            name: setting.name,
            given: raw.to_owned(),
            why: setting.expected(),
            instead: setting.current(settings),
        }),
    }
}

/// The checks across settings: seeds no more than nodes, the update at a node that
/// exists. Settings are fixed and the problems returned.
pub fn reconcile(settings: &mut Settings) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(node) = settings.update.filter(|&n| n >= settings.nodes) {
        problems.push(Problem {
            name: "update",
            given: node.to_string(),
            why: format!("there is no node {node} among {}", settings.nodes),
            instead: "0".into(),
        });
        settings.update = Some(0);
    }
    if settings.seeds > settings.nodes {
        problems.push(Problem {
            name: "seeds",
            given: settings.seeds.to_string(),
            why: format!("more seeds than the {} nodes", settings.nodes),
            instead: settings.nodes.to_string(),
        });
        settings.seeds = settings.nodes;
    }
    problems
}

/// `items` with the profile first, so that the settings it sets can then be changed;
/// the rest in their order. (Not a sort: a stable sort costs the page 4 KB.)
pub fn profile_first<T>(items: &[T], name: impl Fn(&T) -> &str + Copy) -> impl Iterator<Item = &T> {
    let profile = move |item: &&T| name(item) == "profile";
    items
        .iter()
        .filter(profile)
        .chain(items.iter().filter(move |item| !profile(item)))
}

/// Reads a plain decimal number: digits with an optional sign, point and exponent
/// (`12`, `-0.5`, `.5`, `1e3`), nothing else (no `inf`, `NaN`, hex or spaces). In
/// the browser the checked text goes to JS's `parseFloat`, which rounds to the
/// nearest double exactly as Rust's parser does, so that the page carries no float
/// parser of its own: Rust's tables alone are 5 KB of incompressible wasm.
pub fn decimal_number(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let sign = |at: &mut usize| {
        if matches!(bytes.get(*at), Some(b'+' | b'-')) {
            *at += 1;
        }
    };
    let digits = |at: &mut usize| {
        let start = *at;
        while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
            *at += 1;
        }
        *at - start
    };
    sign(&mut at);
    let mut mantissa = digits(&mut at);
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        mantissa += digits(&mut at);
    }
    if mantissa == 0 {
        return None;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        sign(&mut at);
        if digits(&mut at) == 0 {
            return None;
        }
    }
    if at != bytes.len() {
        return None;
    }
    #[cfg(target_arch = "wasm32")]
    return Some(js_sys::parse_float(text));
    #[cfg(not(target_arch = "wasm32"))]
    return text.parse().ok();
}
