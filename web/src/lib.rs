//! # gossip-web
//!
//! The browser front-end of Gossip Lab. It owns a [`gossip_core::sim::Simulator`],
//! advances it on every animation frame and draws the nodes and the messages in
//! flight on a canvas, with controls, an inspector and charts.
//!
//! Three ways in: the page itself ([`start`] renders the app into a body marked
//! `data-gossip-lab-app`, set up from the URL); [`embed::mount`], the JS API for
//! documentation pages; and the `<gossip-lab>` custom element (`web/gossip-lab.js`),
//! which wraps `mount`.
//!
//! - [`app`]: the root component; it owns the animation loop and routes messages.
//! - [`stage`]: the canvas and what a frame does with it (a plain struct).
//! - [`components`]: the play bar, parameter panel, node actions, scenario panel.
//! - [`model`]: the lab's state as a reducer of actions (pure).
//! - [`settings`]: the one table of settings; the URL, options and controls read it.
//! - [`keys`]: the keyboard shortcuts.
//! - [`embed`]: `mount(element, options)`, its handle, and the host's listeners.
//! - [`draw`], [`focus`], [`layout`], [`inspector`], [`charts`], [`theory`], [`math`]:
//!   the picture.
//! - [`presets`], [`styles`], [`seed`]: built-in scenarios, the style sheet, a seed.
//! - [`live`]: live mode, a real cluster's page (`web/live.js`), routed to here.

pub mod app;
pub mod charts;
pub mod components;
pub mod draw;
pub mod embed;
pub mod feed;
pub mod focus;
pub mod hash_ring;
pub mod host;
pub mod inspector;
pub mod instance;
pub mod keys;
pub mod layout;
pub mod live;
pub mod math;
pub mod model;
pub mod opened;
pub mod presets;
pub mod run;
pub mod run_code;
pub mod scenario_text;
pub mod seed;
pub mod settings;
pub mod snapshot;
pub mod stage;
pub mod styles;
pub mod theory;
pub mod timeline;
pub mod view;

use std::rc::Rc;

pub use app::App;

/// The page's allocator: talc, made for wasm, is smaller than the default dlmalloc
/// (the page has a size budget) and faster at the many small allocations of a
/// simulated round. Single-threaded wasm only, as the page is.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
use instance::{Init, Props};

/// Runs when the module loads (`main`): on the app's own page (a body marked
/// `data-gossip-lab-app`), renders the lab set up from the URL. On any other page it
/// does nothing, and the page uses `mount` or `<gossip-lab>`.
pub fn start() {
    let document = gloo::utils::document();
    let Some(body) = document
        .body()
        .filter(|b| b.has_attribute("data-gossip-lab-app"))
    else {
        return;
    };
    styles::inject();
    let query = gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default();
    let (mut settings, seed, mut problems) = settings::from_query(&query);
    if let Some(given) = settings::param(&query, live::OPTION) {
        match live::address(&given) {
            Ok(url) => {
                live::open(&body, &url);
                return;
            }
            Err(why) => problems.push(settings::Problem {
                name: live::OPTION,
                given,
                why,
                instead: "the simulator".into(),
            }),
        }
    }
    settings.seed = seed.unwrap_or_else(seed::random);
    let init = Init {
        embed: settings.embed,
        settings,
        problems,
        own_url: true,
        run: settings::param(&query, "run"),
        ..Init::default()
    };
    yew::Renderer::<App>::with_root_and_props(
        body.into(),
        Props {
            init: Rc::new(init),
        },
    )
    .render();
}
