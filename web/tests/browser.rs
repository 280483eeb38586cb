//! In-browser tests: run with `wasm-pack test --headless --chrome web` (what the test
//! command does) or `cargo test --target wasm32-unknown-unknown -p gossip-web`.
#![cfg(target_arch = "wasm32")]

#[path = "../../heartbeat/tests/fixtures/reference_run.rs"]
mod reference_run;

#[path = "../../scenario/tests/fixtures/scenario_run.rs"]
mod scenario_run;

#[path = "fixtures/decimals.rs"]
mod decimals;

use std::time::Duration;

use gloo::timers::future::sleep;
use gossip_web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The same seed gives the same run in wasm as natively: both must match the hash
/// that core/tests/determinism.rs checks on the native target.
#[wasm_bindgen_test]
fn the_reference_run_matches_the_native_trace() {
    let sim = reference_run::reference_run();
    assert_eq!(
        sim.trace_hash(),
        reference_run::REFERENCE_TRACE_HASH,
        "wasm trace {:#x} differs from the native one",
        sim.trace_hash()
    );
}

/// A scenario file, read by the page (with the browser's JSON.parse), runs in the
/// browser as natively (scenario/tests/files.rs checks the same hash).
#[wasm_bindgen_test]
fn a_scenario_file_gives_the_same_run_as_natively() {
    let sim = scenario_run::scenario_run(gossip_web::scenario_text::parse);
    assert_eq!(
        sim.trace_hash(),
        scenario_run::SCENARIO_TRACE_HASH,
        "wasm trace {:#x} differs from the native one",
        sim.trace_hash()
    );
    assert_eq!(sim.nodes().len(), 22);
}

/// Renders the app into a div, lets it animate, and reads the canvas back.
#[wasm_bindgen_test]
async fn the_app_draws_nodes_and_messages_on_its_canvas() {
    let root = render_app();
    // Animated through a whole round, so that messages are in flight.
    until("a round has passed", || {
        text(&root, "[data-readout=clock]")
            .rsplit(' ')
            .next()
            .and_then(|r| r.parse::<u64>().ok())
            .is_some_and(|r| r >= 1)
    })
    .await;

    let canvas: HtmlCanvasElement = root
        .query_selector("canvas")
        .unwrap()
        .expect("the app renders a canvas")
        .dyn_into()
        .unwrap();
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let (w, h) = (canvas.width(), canvas.height());
    assert!(w > 0 && h > 0);
    let pixels = ctx
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
        .unwrap()
        .data();
    // The background colour, as draw::BACKGROUND (#0b1020).
    let background = [0x0b, 0x10, 0x20, 0xff];
    let drawn = pixels
        .chunks_exact(4)
        .filter(|px| *px != background.as_slice())
        .count();
    let total = (w * h) as usize;
    assert!(
        drawn > total / 200,
        "only {drawn} of {total} pixels differ from the background"
    );
    assert!(drawn < total, "the background itself was not painted");
}

/// Renders the full app into a new element of the page, as the page does but without
/// touching the URL; returns the element.
fn render_app() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let init = gossip_web::instance::Init::default();
    let props = gossip_web::instance::Props {
        init: std::rc::Rc::new(init),
    };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    root
}

/// Waits until `holds` does, checking every 5 ms, for at most 5 s.
async fn until(what: &str, holds: impl Fn() -> bool) {
    for _ in 0..1000 {
        if holds() {
            return;
        }
        sleep(Duration::from_millis(5)).await;
    }
    panic!("timed out waiting until {what}");
}

/// The element matching `selector` inside `root`, once it is there.
async fn find(root: &web_sys::Element, selector: &str) -> web_sys::Element {
    until(selector, || {
        root.query_selector(selector).unwrap().is_some()
    })
    .await;
    root.query_selector(selector).unwrap().unwrap()
}

/// Clicks the element matching `selector` inside `root`.
async fn click(root: &web_sys::Element, selector: &str) {
    let element: web_sys::HtmlElement = find(root, selector).await.dyn_into().unwrap();
    element.click();
}

/// Picks `value` in the menu matching `selector`, as a user does.
async fn choose(root: &web_sys::Element, selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = find(root, selector).await.dyn_into().unwrap();
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

fn text(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
        .unwrap_or_default()
}

/// Every control has an effect that shows in the DOM.
#[wasm_bindgen_test]
async fn every_action_shows_in_the_page() {
    let root = render_app();
    find(&root, "[data-readout=node-count]").await;
    assert_eq!(text(&root, "[data-readout=node-count]"), "30 nodes");
    assert_eq!(
        find(&root, "[data-control=profile]")
            .await
            .dyn_into::<web_sys::HtmlSelectElement>()
            .unwrap()
            .value(),
        "cassandra",
        "the default profile"
    );
    // The tuned profile convicts within the twenty rounds below.
    choose(&root, "[data-control=profile]", "tuned").await;
    until("fanout shows 4", || {
        root.query_selector("[data-control=fanout]")
            .unwrap()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|i| i.value() == "4")
    })
    .await;

    click(&root, "[data-action=play-pause]").await;
    until("paused", || {
        text(&root, "[data-action=play-pause]") == "Play"
    })
    .await;
    let round = |root: &web_sys::Element| -> Option<u64> {
        let clock = text(root, "[data-readout=clock]");
        clock.rsplit(' ').next()?.parse().ok()
    };
    until("the clock shows", || round(&root).is_some()).await;
    let before = round(&root).unwrap();
    click(&root, "[data-action=step]").await;
    until("step runs one round", || round(&root) == Some(before + 1)).await;
    // A few rounds, so that every node has heard node 0's heartbeat before it dies.
    for _ in 0..5 {
        click(&root, "[data-action=step]").await;
    }

    // Node 0 (selected at first) crashes; twenty rounds later node 1 has convicted it.
    click(&root, "[data-action=crash]").await;
    for _ in 0..20 {
        click(&root, "[data-action=step]").await;
    }
    click(&root, "[data-inspector] tr[data-endpoint='1'] button").await;
    until("node 1 is selected", || {
        text(&root, "h2#inspector-title").starts_with("Node 1's view")
    })
    .await;
    let row = root
        .query_selector("[data-inspector='1'] tr[data-endpoint='0']")
        .unwrap()
        .expect("node 1 sees node 0");
    assert_eq!(row.get_attribute("data-status").as_deref(), Some("dead"));
    assert!(text(&root, "[data-readout=detection]").starts_with("Last crash convicted by 29"));

    click(&root, "[data-action=add]").await;
    until("31 nodes", || {
        text(&root, "[data-readout=node-count]") == "31 nodes"
    })
    .await;
    click(&root, "[data-action=partition]").await;
    click(&root, "[data-action=heal]").await;
    find(&root, "[data-action=partition]").await;
    click(&root, "[data-action=update]").await;
    find(&root, "[data-chart=spread] svg").await;
    assert_eq!(text(&root, "[data-action=color-mode]"), "Colour: update");
    click(&root, "[data-action=color-mode]").await;
    until("status colours", || {
        text(&root, "[data-action=color-mode]") == "Colour: status"
    })
    .await;
    click(&root, "[data-action=layout]").await;
    until("grid layout", || {
        text(&root, "[data-action=layout]") == "Layout: grid"
    })
    .await;
    click(&root, "[data-action=help]").await;
    find(&root, "[data-overlay=help]").await;
    click(&root, "[data-sort=phi]").await;
    until("sorted by phi", || {
        text(&root, "th[aria-sort=ascending]") == "phi"
    })
    .await;
    // A parameter changed through its control makes the run custom.
    let fanout: web_sys::HtmlInputElement = find(&root, "[data-control=fanout]")
        .await
        .dyn_into()
        .unwrap();
    fanout.set_value("2");
    fanout
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    until("the profile reads custom", || {
        root.query_selector("[data-control=profile]")
            .unwrap()
            .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .is_some_and(|s| s.value() == "custom")
    })
    .await;
}

/// The state reducer in wasm: a preset scenario played through `Lab` actions ends as
/// natively (web/src/model.rs runs the same steps in its native tests).
#[wasm_bindgen_test]
fn the_lab_reducer_plays_a_preset_to_its_end_in_wasm() {
    use gossip_web::model::{Lab, LabAction};
    use gossip_web::settings::Settings;
    let mut lab = Lab::new(
        Settings {
            scenario: Some("crash".into()),
            ..Settings::default()
        },
        true,
    );
    lab.apply(LabAction::SetSpeed(100.0));
    for _ in 0..20 {
        lab.apply(LabAction::Frame(100.0));
    }
    let (_, caption, done) = lab.scenario().expect("the preset is playing");
    assert!(done && caption.is_some_and(|c| c.contains("evicted")));
    assert!(!lab.playing(), "a finished scenario pauses");
    assert_eq!(lab.last_crash_detections().len(), 28, "the second crash's");
    assert_eq!(lab.sim().members().max, 28);
}

/// The page's reader of scenario lines (JSON.parse, then serde) refuses what the
/// native one refuses, naming the line and the field.
#[wasm_bindgen_test]
fn scenario_errors_name_the_line_and_the_field_in_the_browser() {
    use gossip_web::scenario_text::parse;
    let error = |text: &str| parse(text).unwrap_err().to_string();
    let link = error(
        "{\"at\": 1, \"caption\": \"a\"}\n{\"at\": 2, \"link\": {\"from\": 1, \"to\": 2, \"loss\": \"x\"}}",
    );
    assert!(
        link.starts_with("line 2, field `link.loss`: invalid type: string \"x\", expected f64"),
        "{link}"
    );
    let syntax = error("{\"at\": 1,}");
    assert!(
        syntax.starts_with("line 1: ") && syntax.contains("JSON"),
        "{syntax}"
    );
    let unknown = error("{\"at\": 1, \"crsh\": 3}");
    assert!(
        unknown.starts_with("line 1, field `crsh`: unknown field `crsh`"),
        "{unknown}"
    );
    let nested = error("{\"at\": 1, \"link\": {\"from\": 1, \"to\": 2, \"los\": 3}}");
    assert!(
        nested.starts_with("line 1, field `link.los`: unknown field `los`, expected one of `from`"),
        "{nested}"
    );
    let setting = error("{\"at\": 1, \"set\": {\"loss\": 5, \"mode\": \"gossipy\"}}");
    assert!(
        setting.starts_with("line 1, field `set.mode`: unknown variant `gossipy`"),
        "{setting}"
    );
    let groups = error("{\"at\": 1, \"caption\": \"x\", \"partition\": [[1], [2, \"y\"]]}");
    assert!(
        groups.starts_with("line 1, field `partition`: invalid type: string \"y\", expected u32"),
        "{groups}"
    );
    let missing = error("{\"at\": 1, \"introduce\": {\"node\": 2}}");
    assert_eq!(
        missing,
        "line 1, field `introduce.to`: missing: its new contact"
    );
    let fraction = error("{\"at\": 1, \"crash\": 1.5}");
    assert!(
        fraction.starts_with("line 1, field `crash`: "),
        "{fraction}"
    );
    // Above 2^53 JSON.parse cannot hold a seed exactly: refused, not rounded.
    let seed =
        error("{\"setup\": {\"seed\": 18446744073709551615}}\n{\"at\": 1, \"caption\": \"a\"}");
    assert!(seed.starts_with("line 1, field `setup.seed`: "), "{seed}");
    let empty = error("# nothing\n");
    assert_eq!(empty, "scenario: the scenario has no steps");
}

/// Decimal settings read through JS's parseFloat give the values Rust's own parser
/// gives natively (web/src/settings.rs checks the same table there).
#[wasm_bindgen_test]
fn decimal_settings_read_as_natively() {
    use decimals::{DECIMALS, NOT_DECIMALS};
    use gossip_web::settings::decimal_number;
    for (text, value) in DECIMALS {
        assert_eq!(decimal_number(text), Some(*value), "{text}");
    }
    for text in NOT_DECIMALS {
        assert_eq!(decimal_number(text), None, "{text:?}");
    }
}

/// Options for `mount` as a page would write them, through serde-wasm-bindgen.
fn options(json: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(json).unwrap()
}

/// The JS API's options: plain objects, every field checked, errors naming it.
#[wasm_bindgen_test]
fn mount_options_are_read_and_checked_by_field() {
    use gossip_web::embed::settings_from;
    let settings = settings_from(options(
        r#"{"nodes": 40, "seed": 3, "mode": "push", "loss": 12.5, "scenario": "crash", "autoplay": false}"#,
    ))
    .unwrap();
    assert_eq!(
        (settings.nodes, settings.seed, settings.loss),
        (40, 3, 12.5)
    );
    assert_eq!(settings.mode, gossip_heartbeat::Mode::Push);
    assert_eq!(settings.scenario.as_deref(), Some("crash"));
    assert!(
        !settings.autoplay && settings.embed,
        "compact by default when mounted"
    );
    let defaults = settings_from(wasm_bindgen::JsValue::UNDEFINED).unwrap();
    assert_eq!(defaults.nodes, 30);

    let error = |json: &str| settings_from(options(json)).unwrap_err();
    assert!(error(r#"{"nodez": 3}"#).contains("unknown option `nodez`"));
    assert!(error(r#"{"nodes": "many"}"#).contains("option `nodes`: invalid type"));
    assert!(error(r#"{"nodes": 0}"#).contains("option `nodes` = 0: below 1"));
    assert!(error(r#"{"speed": 1000}"#).contains("option `speed` = 1000: above 100"));
    assert!(error(r#"{"scenario": "nope"}"#).contains("no such scenario"));
    assert!(error(r#"{"autoplay": "yes"}"#).contains("option `autoplay`"));
    assert!(
        error(r#"{"mode": "a&nodes=0"}"#).contains("option `mode`"),
        "no injection"
    );
    assert!(error("[1, 2]").contains("options"));

    // A profile, wherever it is in the object, is applied before the settings it sets.
    let tuned = settings_from(options(r#"{"threshold": 10, "profile": "tuned"}"#)).unwrap();
    assert_eq!(
        (tuned.fanout, tuned.threshold, tuned.profile()),
        (4, 10.0, None)
    );
    let chitchat = settings_from(options(r#"{"profile": "chitchat"}"#)).unwrap();
    assert_eq!(
        chitchat.profile(),
        Some(gossip_heartbeat::Profile::Chitchat)
    );
    assert!(
        error(r#"{"profile": "akka"}"#).contains("option `profile` = akka: not one of cassandra")
    );
}

/// The settings table drives the controls: every parameter in a panel group has its
/// control, with the table's limits, and every setting is a `mount()` option.
#[wasm_bindgen_test]
async fn the_settings_table_drives_the_controls_and_the_options() {
    use gossip_web::embed::settings_from;
    use gossip_web::settings::{Group, Kind, SETTINGS};
    let root = render_app();
    for setting in SETTINGS.iter().filter(|s| Group::PANEL.contains(&s.group)) {
        let control = find(&root, &format!("[data-control={}]", setting.name)).await;
        let attr = |name: &str| control.get_attribute(name).unwrap_or_default();
        match setting.kind {
            Kind::Whole { min, max, step } => {
                assert_eq!(
                    (attr("min"), attr("max")),
                    (min.to_string(), max.to_string())
                );
                assert_eq!(attr("step"), step.to_string(), "{}", setting.name);
            }
            Kind::Decimal { min, max, .. } => {
                assert_eq!(
                    (attr("min"), attr("max")),
                    (min.to_string(), max.to_string())
                );
            }
            Kind::Choice(names) => {
                let options = control.query_selector_all("option").unwrap();
                assert_eq!(options.length() as usize, names.len(), "{}", setting.name);
            }
            _ => panic!("{} has no control", setting.name),
        }
        assert!(
            root.query_selector(&format!("#tip-{}", setting.name))
                .unwrap()
                .is_some(),
            "{} has its help",
            setting.name
        );
    }
    for setting in &SETTINGS {
        let value = match setting.kind {
            Kind::Whole { min, .. } => format!("{min}"),
            Kind::Decimal { max, .. } => format!("{max}"),
            Kind::Choice(names) => format!("\"{}\"", names[0]),
            Kind::Flag => "true".into(),
            Kind::Text => "\"crash\"".into(),
        };
        let json = format!("{{\"{}\": {value}}}", setting.name);
        assert!(settings_from(options(&json)).is_ok(), "{json}");
    }
}
