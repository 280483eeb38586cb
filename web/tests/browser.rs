//! In-browser tests: run with `wasm-pack test --headless --chrome web` (what the test
//! command does) or `cargo test --target wasm32-unknown-unknown -p gossip-web`.
#![cfg(target_arch = "wasm32")]

#[path = "../../core/tests/fixtures/reference_run.rs"]
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
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    render_app(&root);

    sleep(Duration::from_millis(1500)).await;

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

/// Renders the full app into `root`, as the page does but without touching the URL.
fn render_app(root: &web_sys::Element) {
    let init = gossip_web::app::Init::default();
    let props = gossip_web::app::Props {
        init: std::rc::Rc::new(init),
    };
    yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
}

/// Clicks the element matching `selector` inside `root`, then lets Yew render.
async fn click(root: &web_sys::Element, selector: &str) {
    let element: web_sys::HtmlElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into()
        .unwrap();
    element.click();
    sleep(Duration::from_millis(30)).await;
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
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    render_app(&root);
    sleep(Duration::from_millis(300)).await;
    assert_eq!(text(&root, "[data-readout=node-count]"), "30 nodes");

    click(&root, "[data-action=play-pause]").await;
    assert_eq!(text(&root, "[data-action=play-pause]"), "Play");
    let round = |root: &web_sys::Element| -> u64 {
        let clock = text(root, "[data-readout=clock]");
        clock.rsplit(' ').next().unwrap().parse().unwrap()
    };
    let before = round(&root);
    click(&root, "[data-action=step]").await;
    assert_eq!(round(&root), before + 1, "step runs one round");
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
    assert!(text(&root, "h2#inspector-title").starts_with("Node 1's view"));
    let row = root
        .query_selector("[data-inspector='1'] tr[data-endpoint='0']")
        .unwrap()
        .expect("node 1 sees node 0");
    assert_eq!(row.get_attribute("data-status").as_deref(), Some("dead"));
    assert!(text(&root, "[data-readout=detection]").starts_with("Last crash convicted by 29"));

    click(&root, "[data-action=add]").await;
    assert_eq!(text(&root, "[data-readout=node-count]"), "31 nodes");
    click(&root, "[data-action=partition]").await;
    assert!(root.query_selector("[data-action=heal]").unwrap().is_some());
    click(&root, "[data-action=heal]").await;
    assert!(
        root.query_selector("[data-action=partition]")
            .unwrap()
            .is_some()
    );
    click(&root, "[data-action=update]").await;
    assert!(
        root.query_selector("[data-chart=spread] svg")
            .unwrap()
            .is_some()
    );
    assert_eq!(text(&root, "[data-action=color-mode]"), "Colour: update");
    click(&root, "[data-action=color-mode]").await;
    assert_eq!(text(&root, "[data-action=color-mode]"), "Colour: status");
    click(&root, "[data-action=layout]").await;
    assert_eq!(text(&root, "[data-action=layout]"), "Layout: grid");
    click(&root, "[data-action=help]").await;
    assert!(
        root.query_selector("[data-overlay=help]")
            .unwrap()
            .is_some()
    );
    click(&root, "[data-sort=phi]").await;
    let sorted = root.query_selector("th[aria-sort=ascending]").unwrap();
    assert_eq!(
        sorted.map(|th| th.text_content().unwrap()).as_deref(),
        Some("phi")
    );
}

/// The state reducer in wasm: a preset scenario played through `Lab` actions ends as
/// natively (web/src/model.rs runs the same steps in its native tests).
#[wasm_bindgen_test]
fn the_lab_reducer_plays_a_preset_to_its_end_in_wasm() {
    use gossip_web::model::{Action, Lab};
    use gossip_web::params::Settings;
    let mut lab = Lab::new(
        Settings {
            scenario: Some("crash".into()),
            ..Settings::default()
        },
        true,
    );
    lab.apply(Action::SetSpeed(100.0));
    for _ in 0..9 {
        lab.apply(Action::Frame(100.0));
    }
    let (_, caption, done) = lab.scenario().expect("the preset is playing");
    assert!(done && caption.is_some_and(|c| c.contains("evicted")));
    assert!(!lab.playing(), "a finished scenario pauses");
    assert_eq!(lab.last_crash_detections().len(), 29);
    assert_eq!(lab.sim().members().max, 29);
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
/// gives natively (web/src/params.rs checks the same table there).
#[wasm_bindgen_test]
fn decimal_settings_read_as_natively() {
    use decimals::{DECIMALS, NOT_DECIMALS};
    use gossip_web::params::decimal_number;
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
    assert_eq!(settings.mode, gossip_core::Mode::Push);
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
}
