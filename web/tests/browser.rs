//! In-browser tests: run with `wasm-pack test --headless --chrome web` (what the test
//! command does) or `cargo test --target wasm32-unknown-unknown -p gossip-web`.
#![cfg(target_arch = "wasm32")]

#[path = "../../core/tests/fixtures/reference_run.rs"]
mod reference_run;

#[path = "../../scenario/tests/fixtures/scenario_run.rs"]
mod scenario_run;

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

/// A scenario file loads and runs in the browser, and gives the same run as natively
/// (scenario/tests/files.rs checks the same hash).
#[wasm_bindgen_test]
fn a_scenario_file_gives_the_same_run_as_natively() {
    let sim = scenario_run::scenario_run();
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
    yew::Renderer::<App>::with_root(root.clone()).render();

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
