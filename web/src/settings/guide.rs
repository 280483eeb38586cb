//! The guide's list of settings (`book/src/page.md`), written from the table and
//! checked against the book by a test.

use super::rows::*;
use crate::presets;
use gossip_core::Named;
use gossip_heartbeat::Profile;

/// The guide's list of settings, as a Markdown table made from [`SETTINGS`].
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| name | type and range | default | unit | what it is |\n|---|---|---|---|---|\n",
    );
    for s in &SETTINGS {
        let kind = match s.kind {
            Kind::Whole { min, max, .. } => format!("whole, {min} to {max}"),
            Kind::Decimal { min, max, .. } => format!("decimal, {min} to {max}"),
            Kind::Choice(names) => format!("`{}`", names.join("`, `")),
            Kind::Flag => "`1` or `0`".into(),
            Kind::Text => format!("`{}`", presets::names().replace(", ", "`, `")),
        };
        let default = match s.default {
            _ if s.by_profile => "the profile's".into(),
            Some(value) => format!("`{value}`"),
            None if s.name == "profile" => format!("`{}`", Profile::default().name()),
            None => "none".into(),
        };
        out.push_str(&format!(
            "| `{}` | {kind} | {default} | {} | {} |\n",
            s.name, s.unit, s.help
        ));
    }
    out.push_str(&format!(
        "| `{}` | a `ws://` or `wss://` address | none | | {} |\n",
        crate::live::OPTION,
        crate::live::HELP
    ));
    out
}
