//! The guided scenarios the page offers, built into the page from `scenarios/`: the
//! same files `gossip-sim` runs and the tests check.

/// A built-in scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// Its name in the URL (`?scenario=crash`).
    pub name: &'static str,
    /// Its text, in the scenario format.
    pub text: &'static str,
}

/// The presets, in the order a course would take them.
pub const PRESETS: [Preset; 5] = [
    Preset {
        name: "spread",
        text: include_str!("../../scenarios/spread.jsonl"),
    },
    Preset {
        name: "crash",
        text: include_str!("../../scenarios/crash.jsonl"),
    },
    Preset {
        name: "seeds",
        text: include_str!("../../scenarios/seeds.jsonl"),
    },
    Preset {
        name: "partition",
        text: include_str!("../../scenarios/partition.jsonl"),
    },
    Preset {
        name: "all-to-all",
        text: include_str!("../../scenarios/all-to-all.jsonl"),
    },
];

/// The preset called `name`.
pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// The presets' titles, from their setup lines, in [`PRESETS`] order. Parsed once:
/// the menu asks for them on every render.
pub fn titles() -> &'static [String] {
    static TITLES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TITLES.get_or_init(|| {
        PRESETS
            .iter()
            .map(|preset| {
                crate::scenario_text::parse(preset.text)
                    .ok()
                    .and_then(|s| s.setup.title)
                    .unwrap_or_else(|| preset.name.to_owned())
            })
            .collect()
    })
}

/// Every preset's name, for error messages.
pub fn names() -> String {
    PRESETS.map(|p| p.name).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_and_has_a_title() {
        for preset in PRESETS {
            let scenario = crate::scenario_text::parse(preset.text).unwrap();
            assert!(scenario.setup.title.is_some(), "{}", preset.name);
        }
        assert_eq!(find("seeds").map(|p| p.name), Some("seeds"));
        assert_eq!(find("nope"), None);
        assert!(names().starts_with("spread, crash"));
        assert_eq!(titles().len(), PRESETS.len());
        assert!(titles()[1].contains("crashes"));
    }
}
