//! Bad scenario files are refused with an error naming the line and the field, never
//! a panic or a silently skipped step.

use gossip_core::sim::SimConfig;
use gossip_scenario::{Scenario, ScenarioError};
use proptest::prelude::*;

/// Parses and starts `text` on a 10-node cluster; the error it gives.
fn refused(text: &str) -> ScenarioError {
    let base = SimConfig {
        nodes: 10,
        ..SimConfig::default()
    };
    match Scenario::parse(text) {
        Err(e) => e,
        Ok(scenario) => scenario.start(base).expect_err("refused"),
    }
}

#[track_caller]
fn assert_refused(text: &str, line: usize, field: Option<&str>, says: &str) {
    let error = refused(text);
    assert_eq!(error.line, line, "{error}");
    assert_eq!(error.field.as_deref(), field, "{error}");
    assert!(
        error.message.contains(says),
        "{error:?} should say {says:?}"
    );
    let shown = error.to_string();
    assert!(shown.starts_with(&format!("line {line}")), "{shown}");
}

#[test]
fn syntax_and_type_errors_name_the_line_and_field() {
    let ok = "{\"at\": 0, \"caption\": \"start\"}\n";
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"crash\": \"seven\"}}"),
        2,
        Some("crash"),
        "invalid type: string \"seven\", expected u32",
    );
    assert_refused(
        &format!("{ok}# note\n\n{{\"at\": 1, \"crash\": -1}}"),
        4,
        Some("crash"),
        "invalid value",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"link\": {{\"from\": 1, \"to\": 2, \"loss\": \"lots\"}}}}"),
        2,
        Some("link.loss"),
        "expected f64",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"crsh\": 3}}"),
        2,
        Some("crsh"),
        "unknown field `crsh`",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"link\": {{\"to\": 2}}}}"),
        2,
        Some("link.from"),
        "missing: the sending node",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"introduce\": {{\"node\": 2}}}}"),
        2,
        Some("introduce.to"),
        "missing: its new contact",
    );
    assert_refused(&format!("{ok}{{\"at\": 1, \"crash\": 3"), 2, None, "EOF");
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"crash\": 3}} extra"),
        2,
        None,
        "trailing characters",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"set\": {{\"mode\": \"gossipy\"}}}}"),
        2,
        Some("set.mode"),
        "unknown variant `gossipy`",
    );
}

#[test]
fn structural_errors_name_the_line_and_field() {
    let ok = "{\"at\": 0, \"caption\": \"start\"}\n";
    assert_refused(&format!("{ok}{{\"crash\": 3}}"), 2, Some("at"), "missing");
    assert_refused(
        &format!("{ok}{{\"at\": -1, \"crash\": 3}}"),
        2,
        Some("at"),
        "not between 0",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"crash\": 3, \"leave\": 4}}"),
        2,
        Some("leave"),
        "one action per line",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1}}"),
        2,
        Some("at"),
        "nothing happens",
    );
    assert_refused(
        "{\"at\": 5, \"crash\": 1}\n{\"at\": 2, \"crash\": 2}",
        2,
        Some("at"),
        "earlier than line 1",
    );
    assert_refused(
        &format!("{ok}{{\"setup\": {{\"nodes\": 5}}}}"),
        2,
        Some("setup"),
        "first line",
    );
    assert_refused(
        "{\"setup\": {\"nodes\": 5}, \"at\": 1}\n{\"at\": 1, \"crash\": 1}",
        1,
        Some("at"),
        "only the setup",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"heal\": false}}"),
        2,
        Some("heal"),
        "\"heal\": true",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"split\": 1}}"),
        2,
        Some("split"),
        "at least 2",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"join\": 0}}"),
        2,
        Some("join"),
        "at least one",
    );
    let empty = refused("# only a comment\n\n");
    assert_eq!((empty.line, empty.field.as_deref()), (0, None));
    assert!(empty.to_string().contains("no steps"), "{empty}");
}

#[test]
fn errors_against_the_cluster_name_the_line_and_field() {
    let ok = "{\"at\": 0, \"caption\": \"start\"}\n";
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"crash\": 10}}"),
        2,
        Some("crash"),
        "no node 10",
    );
    // A node that joined earlier exists.
    assert!(
        Scenario::parse(&format!(
            "{ok}{{\"at\": 1, \"join\": 1}}\n{{\"at\": 2, \"crash\": 10}}"
        ))
        .unwrap()
        .start(SimConfig {
            nodes: 10,
            ..SimConfig::default()
        })
        .is_ok()
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"partition\": [[0, 1], [1, 2]]}}"),
        2,
        Some("partition"),
        "node 1 is in two groups",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"split\": 11}}"),
        2,
        Some("split"),
        "empty",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"link\": {{\"from\": 1, \"to\": 12}}}}"),
        2,
        Some("link.to"),
        "no node 12",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"link\": {{\"from\": 1, \"to\": 2, \"loss\": 101}}}}"),
        2,
        Some("link.loss"),
        "101 % is not 0 to 100",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"set\": {{\"fanout\": 0}}}}"),
        2,
        Some("set.fanout"),
        "fanout must be between 1 and 64",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"set\": {{\"threshold\": -2}}}}"),
        2,
        Some("set.threshold"),
        "threshold",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"set\": {{\"mtu\": 9}}}}"),
        2,
        Some("set.mtu"),
        "MTU",
    );
    assert_refused(
        &format!(
            "{{\"setup\": {{\"timing\": \"rounds\"}}}}\n{ok}{{\"at\": 1, \"set\": {{\"latency_ms\": 5}}}}"
        ),
        3,
        Some("set.latency_ms"),
        "no latency",
    );
    assert_refused(
        &format!("{{\"setup\": {{\"nodes\": 0}}}}\n{ok}"),
        1,
        Some("setup.nodes"),
        "between 1 and",
    );
    assert_refused(
        &format!("{{\"setup\": {{\"nodes\": 4, \"seeds\": 5}}}}\n{ok}"),
        1,
        Some("setup.seeds"),
        "5 seeds among 4 nodes",
    );
    assert_refused(
        &format!("{{\"setup\": {{\"interval_ms\": 0}}}}\n{ok}"),
        1,
        Some("setup.interval_ms"),
        "0 ms is not between 100 and 10000 ms",
    );
    assert_refused(
        &format!("{{\"setup\": {{\"interval_ms\": 60000}}}}\n{ok}"),
        1,
        Some("setup.interval_ms"),
        "60000 ms is not between 100 and 10000 ms",
    );
}

proptest! {
    /// Any text at all gives a scenario or an error, never a panic.
    #[test]
    fn any_text_is_parsed_or_refused(text in ".{0,200}") {
        let _ = Scenario::parse(&text).map(|s| s.start(SimConfig::default()));
    }

    /// Lines made of the format's own keys and plausible values, in any combination:
    /// the inputs most likely to reach the checks after parsing.
    #[test]
    fn any_line_of_known_keys_is_parsed_or_refused(
        lines in prop::collection::vec(
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "at", "caption", "crash", "restart", "leave", "join", "update",
                        "partition", "split", "heal", "link", "set", "setup",
                    ]),
                    prop::sample::select(vec![
                        "0", "1", "-1", "3.5", "1e300", "4294967296", "true", "\"x\"",
                        "[[0,1],[2]]", "[[0],[0]]", "{}", "{\"from\":0,\"to\":1,\"loss\":50}",
                        "{\"nodes\":3,\"seeds\":1}", "{\"fanout\":2,\"mode\":\"push\"}",
                        "{\"loss\":200}", "null",
                    ]),
                ),
                0..4,
            ),
            1..6,
        )
    ) {
        let text: String = lines
            .iter()
            .map(|fields| {
                let body: Vec<String> =
                    fields.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
                format!("{{{}}}\n", body.join(", "))
            })
            .collect();
        if let Ok(scenario) = Scenario::parse(&text)
            && let Ok((mut sim, mut player)) = scenario.start(SimConfig::default())
        {
            let end = player.end_ms().min(60_000);
            let played = player.advance_to(&mut sim, end, |_| ());
            prop_assert!(played.is_ok(), "a checked scenario runs: {:?}", played);
        }
    }
}

#[test]
fn introductions_and_seed_lists_are_checked_against_the_cluster() {
    let ok = "{\"at\": 0, \"caption\": \"start\"}\n";
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"introduce\": {{\"node\": 1, \"to\": 10}}}}"),
        2,
        Some("introduce.to"),
        "no node 10",
    );
    assert_refused(
        &format!("{ok}{{\"at\": 1, \"set\": {{\"seeds\": [3, 10]}}}}"),
        2,
        Some("set.seeds"),
        "seed n10 is not one of the nodes",
    );
}

/// A host's node limit, checked before the run: the setup or the join that crosses it.
#[test]
fn a_host_can_refuse_a_cluster_past_its_size() {
    let scenario = Scenario::parse(
        "{\"setup\": {\"nodes\": 40}}\n{\"at\": 1, \"join\": 5}\n{\"at\": 2, \"join\": 6}",
    )
    .unwrap();
    assert_eq!(scenario.check_most_nodes(16, 51), Ok(()));
    let error = scenario.check_most_nodes(16, 50).unwrap_err();
    assert_eq!((error.line, error.field.as_deref()), (3, Some("join")));
    let error = scenario.check_most_nodes(16, 30).unwrap_err();
    assert_eq!(
        (error.line, error.field.as_deref()),
        (1, Some("setup.nodes"))
    );
    let plain = Scenario::parse("{\"at\": 1, \"caption\": \"x\"}").unwrap();
    assert!(
        plain.check_most_nodes(31, 30).is_err(),
        "the host's own size counts"
    );
}
