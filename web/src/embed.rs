//! The JS API for documentation pages: `mount(element, options)` returns a handle
//! with `play()`, `pause()`, `reset(options)`, `on(event, fn)` and `destroy()`, after
//! egui's `start(canvas)` handle. Options are a plain JS object with the URL's names;
//! an unknown field, or a value of the wrong type or range, is refused with an error
//! that names the field. Every instance is its own Yew app with its own loop, so
//! several run side by side, and `destroy()` drops the app: its frame request, its
//! listeners and its memory.

use std::rc::Rc;

use gossip_core::NodeId;
use wasm_bindgen::prelude::*;
use yew::AppHandle;

use crate::app::{App, EVENTS, Init, Listeners, Msg, Props};
use crate::model::Action;
use crate::params::{self, Settings};
use crate::{seed, styles};

/// How an option's value is typed.
#[derive(Clone, Copy)]
enum Kind {
    /// A whole number.
    Whole,
    /// Any number.
    Decimal,
    /// A string.
    Text,
    /// A boolean.
    Flag,
}

/// The options of `mount` and `reset`: the URL parameters, typed.
const OPTIONS: [(&str, Kind); 17] = [
    ("nodes", Kind::Whole),
    ("seed", Kind::Whole),
    ("fanout", Kind::Whole),
    ("interval", Kind::Whole),
    ("mtu", Kind::Whole),
    ("loss", Kind::Decimal),
    ("latency", Kind::Whole),
    ("jitter", Kind::Whole),
    ("seeds", Kind::Whole),
    ("mode", Kind::Text),
    ("detector", Kind::Text),
    ("threshold", Kind::Decimal),
    ("speed", Kind::Decimal),
    ("scenario", Kind::Text),
    ("autoplay", Kind::Flag),
    ("embed", Kind::Flag),
    ("update", Kind::Whole),
];

/// Reads and checks `options`: each value with serde-wasm-bindgen as its option's
/// type, one field at a time, so that an error names its field. Ranges are then
/// checked by the same code as the URL's, but here a value out of range is an error,
/// not clamped: a docs author wants to know at once.
pub fn settings_from(options: JsValue) -> Result<Settings, String> {
    let mut pairs: Vec<String> = Vec::new();
    let mut embed = true;
    if !options.is_undefined() && !options.is_null() {
        let object = options
            .dyn_ref::<js_sys::Object>()
            .ok_or("gossip-lab: options must be an object")?;
        for key in js_sys::Object::keys(object).iter() {
            let name = key.as_string().unwrap_or_default();
            let Some(&(name, kind)) = OPTIONS.iter().find(|(known, _)| *known == name) else {
                let names: Vec<&str> = OPTIONS.iter().map(|(n, _)| *n).collect();
                return Err(format!(
                    "gossip-lab: unknown option `{name}`; the options are {}",
                    names.join(", ")
                ));
            };
            let value = js_sys::Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
            if value.is_undefined() {
                continue;
            }
            let wrong = |e: serde_wasm_bindgen::Error| {
                let text = crate::scenario_text::serde_error_text(e);
                format!("gossip-lab: option `{name}`: {text}")
            };
            let text = match kind {
                Kind::Whole => serde_wasm_bindgen::from_value::<u64>(value)
                    .map_err(wrong)?
                    .to_string(),
                Kind::Decimal => serde_wasm_bindgen::from_value::<f64>(value)
                    .map_err(wrong)?
                    .to_string(),
                Kind::Text => {
                    escape(&serde_wasm_bindgen::from_value::<String>(value).map_err(wrong)?)
                }
                Kind::Flag => {
                    let on = serde_wasm_bindgen::from_value::<bool>(value).map_err(wrong)?;
                    if name == "embed" {
                        embed = on;
                        continue;
                    }
                    u8::from(on).to_string()
                }
            };
            pairs.push(format!("{name}={text}"));
        }
    }
    let (mut settings, seed, problems) = params::from_query(&pairs.join("&"));
    if let Some(p) = problems.first() {
        return Err(format!(
            "gossip-lab: option `{}` = {}: {}",
            p.name, p.given, p.why
        ));
    }
    settings.seed = seed.unwrap_or_else(seed::random);
    // Mounted into someone's page, the compact view is the default.
    settings.embed = embed;
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
