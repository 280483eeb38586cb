use gossip_core::Named;
use gossip_heartbeat::detector::Model;
use gossip_heartbeat::{Mode, Profile};

use super::decimals::{DECIMALS, NOT_DECIMALS};
use super::query::decode;
use super::rows::PROFILE_NAMES;
use super::*;

#[test]
fn the_default_is_the_cassandra_profile() {
    let s = Settings::default();
    assert_eq!(s.profile(), Some(Profile::Cassandra));
    assert_eq!((s.fanout, s.interval_ms, s.threshold), (1, 1000, 8.0));
    assert_eq!(s.detector, Model::Exponential { ln10_factor: true });
    assert_eq!((s.nodes, s.seeds, s.mtu, s.loss), (30, 1, 1400, 0.0));
}

#[test]
fn reads_every_parameter() {
    let (s, seed, problems) = from_query(
        "?nodes=37&seed=9&fanout=2&interval=500&mtu=1200&loss=12.5&latency=80&jitter=10\
         &seeds=3&mode=push&detector=exponential-ln10&threshold=10&speed=4&scenario=crash\
         &autoplay=0&unrelated=x",
    );
    assert_eq!(problems, []);
    assert_eq!(seed, Some(9));
    assert_eq!(
        (s.nodes, s.fanout, s.interval_ms, s.mtu, s.loss),
        (37, 2, 500, 1200, 12.5)
    );
    assert_eq!((s.latency_ms, s.jitter_ms, s.seeds), (80, 10, 3));
    assert_eq!(
        (s.mode, s.detector),
        (Mode::Push, Model::Exponential { ln10_factor: true })
    );
    assert_eq!((s.threshold, s.speed), (10.0, 4.0));
    assert_eq!(s.scenario.as_deref(), Some("crash"));
    assert!(!s.autoplay);
    assert_eq!(s.profile(), None, "custom");
}

#[test]
fn a_profile_sets_its_values_and_a_later_setting_overrides_one() {
    let (s, _, problems) = from_query("?profile=tuned");
    assert_eq!(problems, []);
    assert_eq!(
        (s.fanout, s.detector, s.profile()),
        (4, Model::NORMAL, Some(Profile::Tuned))
    );
    // Wherever the profile stands in the URL, the other settings win.
    let (s, _, _) = from_query("?threshold=10&profile=chitchat");
    assert_eq!((s.fanout, s.threshold, s.profile()), (3, 10.0, None));
    let (s, _, problems) = from_query("?profile=custom&fanout=2");
    assert_eq!((problems, s.fanout), (vec![], 2));
    let (_, _, problems) = from_query("?profile=akka");
    assert_eq!(
        problems[0].to_string(),
        "profile=akka: not one of cassandra, chitchat, tuned, custom; using cassandra"
    );
}

#[test]
fn clamps_or_defaults_bad_values_and_says_so() {
    let (s, seed, problems) = from_query(
        "?nodes=0&seed=x&fanout=999&loss=-5&speed=1e9&mode=shout&scenario=nope&threshold=NaN",
    );
    assert_eq!(seed, None);
    assert_eq!(
        (s.nodes, s.fanout, s.loss, s.speed),
        (1, 64, 0.0, MAX_SPEED)
    );
    assert_eq!((s.mode, s.threshold), (Mode::PushPull, 8.0));
    assert_eq!(s.scenario, None);
    let names: Vec<&str> = problems.iter().map(|p| p.name).collect();
    assert_eq!(
        names,
        [
            "nodes",
            "seed",
            "fanout",
            "loss",
            "speed",
            "mode",
            "scenario",
            "threshold"
        ]
    );
    assert_eq!(problems[0].to_string(), "nodes=0: below 1; using 1");
    assert!(problems[1].to_string().ends_with("using a random seed"));
    assert!(problems[6].why.contains("crash"), "lists the scenarios");
    let (s, _, problems) = from_query("?nodes=5&seeds=9");
    assert_eq!(s.seeds, 5);
    assert_eq!(problems.len(), 1);
    // Past what fits a tab's memory: clamped.
    let (s, _, problems) = from_query("?nodes=10000");
    assert_eq!(s.nodes, MAX_NODES);
    assert_eq!(
        problems[0].to_string(),
        "nodes=10000: above 5000; using 5000"
    );
}

#[test]
fn a_typed_edit_is_checked_against_the_table() {
    let mut s = Settings::default();
    assert_eq!(edit(&mut s, "fanout", Value::Whole(3)), Ok(()));
    assert_eq!(s.fanout, 3);
    let problem = edit(&mut s, "fanout", Value::Whole(65)).unwrap_err();
    assert_eq!(
        (problem.to_string(), s.fanout),
        ("fanout=65: above 64; using 64".into(), 64)
    );
    let problem = edit(&mut s, "loss", Value::Name("x")).unwrap_err();
    assert_eq!(problem.why, "not a valid number");
    assert_eq!(s.loss, 0.0, "a value of the wrong type changes nothing");
    assert!(edit(&mut s, "colour", Value::Whole(1)).is_err());
    for x in [f64::NAN, f64::INFINITY] {
        let problem = edit(&mut s, "threshold", Value::Decimal(x)).unwrap_err();
        assert_eq!(
            (problem.why.as_str(), s.threshold),
            ("not a valid number", 8.0)
        );
    }
    assert_eq!(edit(&mut s, "profile", Value::Name("chitchat")), Ok(()));
    assert_eq!(s.profile(), Some(Profile::Chitchat));
}

/// The grammar [`decimal_number`] accepts (the same in the browser, where
/// web/tests/browser.rs checks the values JS gives).
#[test]
fn reads_plain_decimals_only() {
    for (text, value) in DECIMALS {
        assert_eq!(decimal_number(text), Some(*value), "{text}");
    }
    for text in NOT_DECIMALS {
        assert_eq!(decimal_number(text), None, "{text:?}");
    }
}

#[test]
fn the_query_round_trips() {
    let mut settings = Settings {
        nodes: 123,
        seed: 77,
        loss: 2.5,
        mode: Mode::Pull,
        scenario: Some("partition".into()),
        autoplay: false,
        embed: true,
        update: Some(3),
        ..Settings::default()
    };
    for profile in [Some(Profile::Chitchat), None] {
        if let Some(profile) = profile {
            settings.take_profile(profile);
        } else {
            settings.threshold = 11.5;
        }
        let query = to_query(&settings);
        let (back, seed, problems) = from_query(&query);
        assert_eq!(problems, []);
        assert_eq!(seed, Some(77));
        assert_eq!(back, settings);
        let name = profile.map_or(CUSTOM, Profile::name);
        assert!(
            query.starts_with(&format!("?profile={name}&nodes=123")),
            "{query}"
        );
    }
}

#[test]
fn decodes_percent_escapes() {
    assert_eq!(decode("push%2Dpull"), "push-pull");
    assert_eq!(decode("a+b%"), "a b%");
}

#[test]
fn every_choice_reads_back_as_the_cores_value() {
    let mut settings = Settings::default();
    for &mode in Mode::ALL {
        assert_eq!(
            edit(&mut settings, "mode", Value::Name(mode.name())),
            Ok(())
        );
        assert_eq!(settings.mode, mode);
    }
    for &model in Model::ALL {
        let name = model.name();
        assert_eq!(edit(&mut settings, "detector", Value::Name(name)), Ok(()));
        assert_eq!(settings.detector, model);
    }
    for &profile in Profile::ALL {
        assert_eq!(
            edit(&mut settings, "profile", Value::Name(profile.name())),
            Ok(())
        );
        assert_eq!(settings.profile(), Some(profile));
    }
    assert_eq!(
        setting("profile").map(|s| s.kind),
        Some(Kind::Choice(PROFILE_NAMES))
    );
    assert_eq!(PROFILE_NAMES.last(), Some(&CUSTOM));
}

/// Every row's default is in its own range, and changing a setting makes the run
/// custom exactly when a profile sets it.
#[test]
fn the_table_is_consistent() {
    let defaults = Settings::default();
    for s in SETTINGS.iter().filter(|s| s.name != "profile") {
        if let Some(value) = s.default {
            assert_eq!(s.clamp(value).1, None, "{}", s.name);
            assert_eq!((s.get)(&defaults), Some(value), "{}", s.name);
        }
        let current = (s.get)(&defaults);
        let other = match s.kind {
            Kind::Whole { min, max, .. } => Value::Whole(if current == Some(Value::Whole(max)) {
                min
            } else {
                max
            }),
            Kind::Decimal { min, max, .. } => {
                Value::Decimal(if current == Some(Value::Decimal(max)) {
                    min
                } else {
                    max
                })
            }
            Kind::Choice(names) => Value::Name(
                names
                    .iter()
                    .find(|n| current != Some(Value::Name(n)))
                    .unwrap(),
            ),
            Kind::Flag => Value::Flag(current != Some(Value::Flag(true))),
            Kind::Text => Value::Name("crash"),
        };
        let mut changed = defaults.clone();
        edit(&mut changed, s.name, other).unwrap();
        assert_ne!((s.get)(&changed), current, "{}", s.name);
        assert_eq!(changed.profile().is_none(), s.by_profile, "{}", s.name);
    }
}

/// The guide's parameter list (the book's chapter on the page) is the table's:
/// regenerate it from the failure's output when a row changes.
#[test]
fn the_guide_lists_the_table() {
    let guide = include_str!("../../../book/src/page.md");
    let table = markdown_table();
    assert!(
        guide.contains(&table),
        "book/src/page.md's settings table differs from the schema; it should read:\n{table}"
    );
}
