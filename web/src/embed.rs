//! The JS API for documentation pages: `mount(element, options)` returns a handle
//! with `play()`, `pause()`, `reset(options)`, `on(event, fn)` and `destroy()`, after
//! egui's `start(canvas)` handle. Options are a plain JS object with the URL's names;
//! an unknown field, or a value of the wrong type or range, is refused with an error
//! that names the field. Every instance is its own Yew app with its own loop, so
//! several run side by side, and `destroy()` drops the app: its frame request, its
//! listeners and its memory.

use std::rc::Rc;

use gossip_core::NodeId;
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use yew::AppHandle;

use crate::app::{App, EVENTS, Init, Listeners, Msg, Props};
use crate::model::Action;
use crate::params::{self, Settings};
use crate::{seed, styles};

/// The options of `mount` and `reset`: the URL parameters, typed.
#[derive(Debug, Default, Deserialize)]
struct Options {
    nodes: Option<u32>,
    seed: Option<u64>,
    fanout: Option<u32>,
    interval: Option<u64>,
    mtu: Option<u32>,
    loss: Option<f64>,
    latency: Option<u64>,
    jitter: Option<u64>,
    seeds: Option<u32>,
    mode: Option<String>,
    detector: Option<String>,
    threshold: Option<f64>,
    speed: Option<f64>,
    scenario: Option<String>,
    autoplay: Option<bool>,
    embed: Option<bool>,
    update: Option<u32>,
}

/// The names [`Options`] knows, in the URL's order.
const OPTION_NAMES: [&str; 17] = [
    "nodes",
    "seed",
    "fanout",
    "interval",
    "mtu",
    "loss",
    "latency",
    "jitter",
    "seeds",
    "mode",
    "detector",
    "threshold",
    "speed",
    "scenario",
    "autoplay",
    "embed",
    "update",
];

/// Reads and checks `options`. Ranges are checked by the same code as the URL's,
/// but here a value out of range is an error, not clamped: a docs author wants to
/// know at once.
pub fn settings_from(options: JsValue) -> Result<Settings, String> {
    let options: Options = if options.is_undefined() || options.is_null() {
        Options::default()
    } else {
        // serde-wasm-bindgen reads only the fields it knows, so an unknown one (a
        // typo) would pass in silence: check the keys first.
        let object = options
            .dyn_ref::<js_sys::Object>()
            .ok_or("gossip-lab: options must be an object")?;
        for key in js_sys::Object::keys(object).iter() {
            let key = key.as_string().unwrap_or_default();
            if !OPTION_NAMES.contains(&key.as_str()) {
                return Err(format!(
                    "gossip-lab: unknown option `{key}`; the options are {}",
                    OPTION_NAMES.join(", ")
                ));
            }
        }
        let de = serde_wasm_bindgen::Deserializer::from(options);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            // serde-wasm-bindgen's errors are JS errors, shown as "Error: ...".
            let text = e.inner().to_string();
            let text = text.strip_prefix("Error: ").unwrap_or(&text);
            match path.as_str() {
                "." | "?" => format!("gossip-lab: options: {text}"),
                field => format!("gossip-lab: option `{field}`: {text}"),
            }
        })?
    };
    let mut pairs: Vec<String> = Vec::new();
    let mut add = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            pairs.push(format!("{name}={value}"));
        }
    };
    add("nodes", options.nodes.map(|v| v.to_string()));
    add("seed", options.seed.map(|v| v.to_string()));
    add("fanout", options.fanout.map(|v| v.to_string()));
    add("interval", options.interval.map(|v| v.to_string()));
    add("mtu", options.mtu.map(|v| v.to_string()));
    add("loss", options.loss.map(|v| v.to_string()));
    add("latency", options.latency.map(|v| v.to_string()));
    add("jitter", options.jitter.map(|v| v.to_string()));
    add("seeds", options.seeds.map(|v| v.to_string()));
    add("mode", options.mode.map(|v| escape(&v)));
    add("detector", options.detector.map(|v| escape(&v)));
    add("threshold", options.threshold.map(|v| v.to_string()));
    add("speed", options.speed.map(|v| v.to_string()));
    add("scenario", options.scenario.map(|v| escape(&v)));
    add(
        "autoplay",
        options.autoplay.map(|v| u8::from(v).to_string()),
    );
    add("update", options.update.map(|v| v.to_string()));
    let (mut settings, seed, problems) = params::from_query(&pairs.join("&"));
    if let Some(p) = problems.first() {
        return Err(format!(
            "gossip-lab: option `{}` = {}: {}",
            p.name, p.given, p.why
        ));
    }
    settings.seed = seed.unwrap_or_else(seed::random);
    // Mounted into someone's page, the compact view is the default.
    settings.embed = options.embed.unwrap_or(true);
    Ok(settings)
}

/// Keeps a string value from being read as more than one parameter.
fn escape(value: &str) -> String {
    value
        .replace('%', "%25")
        .replace('&', "%26")
        .replace('+', "%2B")
}

/// A running instance, as the host page holds it.
#[wasm_bindgen]
pub struct LabHandle {
    app: Option<AppHandle<App>>,
    listeners: Listeners,
}

/// Mounts a lab into `element` with `options` (a plain object, or nothing).
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, options: JsValue) -> Result<LabHandle, JsError> {
    let settings = settings_from(options).map_err(|e| JsError::new(&e))?;
    styles::inject();
    let listeners = Listeners::default();
    let init = Init {
        embed: settings.embed,
        settings,
        problems: Vec::new(),
        own_url: false,
        listeners: listeners.clone(),
    };
    let app = yew::Renderer::<App>::with_root_and_props(
        element,
        Props {
            init: Rc::new(init),
        },
    )
    .render();
    Ok(LabHandle {
        app: Some(app),
        listeners,
    })
}

#[wasm_bindgen]
impl LabHandle {
    /// Starts time.
    pub fn play(&self) {
        self.send(Msg::Act(Action::Play));
    }

    /// Stops time; a paused instance requests no frames.
    pub fn pause(&self) {
        self.send(Msg::Act(Action::Pause));
    }

    /// Starts over with new options (the same checks as `mount`).
    pub fn reset(&self, options: JsValue) -> Result<(), JsError> {
        let settings = settings_from(options).map_err(|e| JsError::new(&e))?;
        self.send(Msg::Configure(settings));
        Ok(())
    }

    /// Node `node` sets a key: the nodes are coloured by who knows it, and `spread`
    /// fires when every node does.
    #[wasm_bindgen(js_name = injectUpdate)]
    pub fn inject_update(&self, node: u32) {
        self.send(Msg::Act(Action::Select(NodeId(node))));
        self.send(Msg::Act(Action::InjectUpdate));
    }

    /// Calls `callback(detail)` on each `event`: `round` (a round finished),
    /// `spread` (the followed update reached every node), `convicted` (a node
    /// convicted the last crashed node) or `scenario-end`.
    pub fn on(&self, event: String, callback: js_sys::Function) -> Result<(), JsError> {
        if !EVENTS.contains(&event.as_str()) {
            return Err(JsError::new(&format!(
                "gossip-lab: no event `{event}`; the events are {}",
                EVENTS.join(", ")
            )));
        }
        self.listeners.borrow_mut().push((event, callback));
        Ok(())
    }

    /// Removes the instance: its DOM, its animation frame, its listeners, its memory.
    /// Later calls on the handle do nothing.
    pub fn destroy(&mut self) {
        self.listeners.borrow_mut().clear();
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }

    fn send(&self, msg: Msg) {
        if let Some(app) = &self.app {
            app.send_message(msg);
        }
    }
}
