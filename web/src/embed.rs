//! The JS API for documentation pages: `mount(element, options)` returns a handle
//! with `play()`, `pause()`, `step()`, `playTo(seconds)`, `seek(seconds)`,
//! `reset(options)`, `load(scenario)`, `select(node)`, `injectUpdate(node)`,
//! `open(kind)`, `lookUp(key)`, `state()`, `save()`, `traceHash()`, `on(event, fn)`
//! and `destroy()`, after
//! egui's `start(canvas)` handle. Options are a plain JS object with the names of the
//! settings table (`settings.rs`); an unknown field, or a value of the wrong type or
//! range, is refused with an error that names the field. The host page's listeners are
//! called by `host.rs`'s `Reporter`. Every instance is its own Yew app with its own loop, so
//! several run side by side, and `destroy()` drops the app: its frame request, its
//! listeners and its memory.

use std::rc::Rc;

use gossip_core::NodeId;
use gossip_heartbeat::MessageKind;
use serde_wasm_bindgen::from_value;
use wasm_bindgen::prelude::*;
use yew::AppHandle;

use crate::app::{App, Msg};
use crate::components::Control;
use crate::host::Listeners;
use crate::instance::{Init, Props};
use crate::model::{Lab, LabAction, Pick};
use crate::settings::{self, Kind, SETTINGS, Settings, Value};
use crate::{live, seed, styles};

/// The events a host page can listen to.
pub const EVENTS: [&str; 4] = ["round", "spread", "convicted", "scenario-end"];

/// Reads and checks `options`: each value with serde-wasm-bindgen as its setting's
/// type in the settings table, then the table's range check. Unlike the URL, a
/// value out of range is an error, not clamped: a docs author wants to know at once.
pub fn settings_from(options: JsValue) -> Result<Settings, String> {
    let mut settings = Settings::default();
    let mut seed = None;
    // Mounted into someone's page, the compact view is the default.
    settings.embed = true;
    if !options.is_undefined() && !options.is_null() {
        let object = options
            .dyn_ref::<js_sys::Object>()
            .ok_or("gossip-lab: options must be an object")?;
        // `run` is the run's actions, not a setting: `mount` reads it apart.
        let keys: Vec<String> = js_sys::Object::keys(object)
            .iter()
            .map(|k| k.as_string().unwrap_or_default())
            .filter(|k| k != RUN && k != live::OPTION)
            .collect();
        for name in settings::profile_first(&keys, String::as_str) {
            let Some(setting) = settings::setting(name) else {
                return Err(format!(
                    "gossip-lab: unknown option `{name}`; the options are {}",
                    settings::names()
                ));
            };
            let value =
                js_sys::Reflect::get(object, &name.as_str().into()).unwrap_or(JsValue::UNDEFINED);
            if value.is_undefined() {
                continue;
            }
            let wrong = |e: serde_wasm_bindgen::Error| {
                let text = crate::scenario_text::serde_error_text(e);
                format!("gossip-lab: option `{name}`: {text}")
            };
            let checked = match setting.kind {
                Kind::Choice(_) | Kind::Text => {
                    let text: String = from_value(value).map_err(wrong)?;
                    settings::edit_text(&mut settings, setting.name, &text)
                }
                kind => {
                    let value = match kind {
                        Kind::Whole { .. } => Value::Whole(from_value(value).map_err(wrong)?),
                        Kind::Decimal { .. } => Value::Decimal(from_value(value).map_err(wrong)?),
                        _ => Value::Flag(from_value(value).map_err(wrong)?),
                    };
                    settings::edit(&mut settings, setting.name, value)
                }
            };
            checked
                .map_err(|p| format!("gossip-lab: option `{}` = {}: {}", p.name, p.given, p.why))?;
            if setting.name == "seed" {
                seed = Some(settings.seed);
            }
        }
    }
    if let Some(p) = settings::reconcile(&mut settings).first() {
        return Err(format!(
            "gossip-lab: option `{}` = {}: {}",
            p.name, p.given, p.why
        ));
    }
    settings.seed = seed.unwrap_or_else(seed::random);
    Ok(settings)
}

/// Each setting's type, by name, for the custom element to type its attributes:
/// `whole`, `decimal`, `flag` or `text`.
#[wasm_bindgen(js_name = settingKinds)]
pub fn setting_kinds() -> js_sys::Object {
    let kinds = js_sys::Object::new();
    for setting in &SETTINGS {
        let kind = match setting.kind {
            Kind::Whole { .. } => "whole",
            Kind::Decimal { .. } => "decimal",
            Kind::Flag => "flag",
            Kind::Choice(_) | Kind::Text => "text",
        };
        let _ = js_sys::Reflect::set(&kinds, &setting.name.into(), &kind.into());
    }
    let _ = js_sys::Reflect::set(&kinds, &live::OPTION.into(), &"text".into());
    kinds
}

/// A running instance, as the host page holds it.
#[wasm_bindgen]
pub struct LabHandle {
    app: Option<AppHandle<App>>,
    listeners: Listeners,
    init: Rc<Init>,
    /// In live mode, the live view's handle (`live.rs`): no simulated run here.
    live: Option<JsValue>,
}

/// The option that carries the run's actions as a link's run code (`run_code.rs`).
const RUN: &str = "run";

/// The `run` option: a run code, checked against the cluster the settings make.
fn run_from(options: &JsValue, settings: &Settings) -> Result<Option<String>, String> {
    let Some(object) = options.dyn_ref::<js_sys::Object>() else {
        return Ok(None);
    };
    let value = js_sys::Reflect::get(object, &RUN.into()).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() {
        return Ok(None);
    }
    let code = value.as_string().ok_or(
        "gossip-lab: option `run` must be a run code, a string such as \"c5t12000-ht30000\"",
    )?;
    crate::run_code::decode(&code, settings.nodes, settings::MAX_NODES)
        .map_err(|why| format!("gossip-lab: option `run` = {code}: {why}"))?;
    Ok(Some(code))
}

/// Mounts a lab into `element` with `options` (a plain object, or nothing): the
/// settings, and `run`, the actions to replay (a link's run code).
#[wasm_bindgen]
pub fn mount(element: web_sys::Element, options: JsValue) -> Result<LabHandle, JsError> {
    if let Some(url) = live_from(&options).map_err(|e| JsError::new(&e))? {
        return Ok(LabHandle {
            app: None,
            listeners: Listeners::default(),
            init: Rc::default(),
            live: Some(live::open(&element, &url)),
        });
    }
    let settings = settings_from(options.clone()).map_err(|e| JsError::new(&e))?;
    let run = run_from(&options, &settings).map_err(|e| JsError::new(&e))?;
    styles::inject();
    let listeners = Listeners::default();
    let init = Rc::new(Init {
        embed: settings.embed,
        settings,
        own_url: false,
        listeners: listeners.clone(),
        run,
        ..Init::default()
    });
    let app =
        yew::Renderer::<App>::with_root_and_props(element, Props { init: init.clone() }).render();
    Ok(LabHandle {
        app: Some(app),
        listeners,
        init,
        live: None,
    })
}

/// The `live` option: a real cluster's address, checked (`live.rs`).
fn live_from(options: &JsValue) -> Result<Option<String>, String> {
    let Some(object) = options.dyn_ref::<js_sys::Object>() else {
        return Ok(None);
    };
    let value = js_sys::Reflect::get(object, &live::OPTION.into()).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() {
        return Ok(None);
    }
    let text = value
        .as_string()
        .ok_or("gossip-lab: option `live` must be a ws:// address")?;
    live::address(&text)
        .map(Some)
        .map_err(|why| format!("gossip-lab: option `live`: {why}"))
}

/// Seconds from the host page as simulated milliseconds; anything not finite is 0.
fn millis(seconds: f64) -> f64 {
    if seconds.is_finite() {
        seconds * 1000.0
    } else {
        0.0
    }
}

#[wasm_bindgen]
impl LabHandle {
    /// Starts time.
    pub fn play(&self) {
        self.send(Msg::Control(Control::Act(LabAction::Play)));
    }

    /// Stops time; a paused instance requests no frames.
    pub fn pause(&self) {
        self.send(Msg::Control(Control::Act(LabAction::Pause)));
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
        self.send(Msg::Control(Control::Select(NodeId(node))));
        self.send(Msg::Control(Control::Act(LabAction::InjectUpdate)));
    }

    /// Goes to `seconds` of simulated time and pauses there: back in the run so
    /// far, the same view as was drawn at that moment; ahead of it, the run goes on
    /// to it at once (a lesson's step skipped to its end).
    pub fn seek(&self, seconds: f64) {
        self.send(Msg::Control(Control::Act(LabAction::Seek(millis(seconds)))));
    }

    /// Plays, and pauses exactly at `seconds` of simulated time: a lesson's step
    /// played out. A moment already passed just pauses.
    #[wasm_bindgen(js_name = playTo)]
    pub fn play_to(&self, seconds: f64) {
        self.send(Msg::Control(Control::Act(LabAction::PlayTo(millis(
            seconds,
        )))));
    }

    /// Runs exactly one more gossip round, then pauses.
    pub fn step(&self) {
        self.send(Msg::Control(Control::Act(LabAction::Step)));
    }

    /// Selects `node`: the nodes are coloured by how it sees them, its exchanges
    /// are the bright ones, and `state()`'s `seen` and `phi` are its.
    pub fn select(&self, node: u32) {
        self.send(Msg::Control(Control::Select(NodeId(node))));
    }

    /// Starts over with a scenario file's text (JSON Lines, as `gossip-sim
    /// --scenario` reads), paused at its start. A file that does not read throws
    /// the line and field at fault, and the lab runs on as it was; one that cannot
    /// run on its cluster (a node that is not there) is shown in the lab, as the
    /// page shows a loaded file's.
    pub fn load(&self, text: String) -> Result<(), JsError> {
        crate::scenario_text::parse(&text)
            .map_err(|e| JsError::new(&format!("gossip-lab: {e}")))?;
        self.send(Msg::Control(Control::Act(LabAction::Pause)));
        self.send(Msg::FileLoaded(Ok(text)));
        Ok(())
    }

    /// Opens the selected node's newest message of `kind` (`Syn`, `Ack` or `Ack2`)
    /// in the exchange inspector, and pauses; `false` if it has sent or received
    /// none lately.
    pub fn open(&self, kind: String) -> Result<bool, JsError> {
        let newest = self.read(|lab| {
            let watched = lab.sim().watched();
            let count = watched.len();
            watched
                .rev()
                .position(|e| {
                    MessageKind::of(e.kind).is_some_and(|k| k.name().eq_ignore_ascii_case(&kind))
                })
                .map(|back| count - 1 - back)
        })?;
        if let Some(n) = newest {
            self.send(Msg::Control(Control::Act(LabAction::Open(Pick::Watched(
                n,
            )))));
        }
        Ok(newest.is_some())
    }

    /// Looks `key` up on the selected node's copy of the ring: its owner and
    /// replicas are ringed on the canvas and named in `state().lookup`; an empty
    /// key clears it.
    #[wasm_bindgen(js_name = lookUp)]
    pub fn look_up(&self, key: String) {
        self.send(Msg::Control(Control::Act(LabAction::LookUp(key))));
    }

    /// What the lab shows now, as a plain object (`snapshot.rs` lists the fields):
    /// the time, who is up, how big each view is, how the selected node sees each
    /// node, the followed update's spread, the traffic.
    pub fn state(&self) -> Result<JsValue, JsError> {
        let text = self.read(crate::snapshot::json)?;
        js_sys::JSON::parse(&text)
            .map_err(|_| JsError::new("gossip-lab: a state that does not read"))
    }

    /// The run up to the moment shown, as a scenario file (JSON Lines) that the page
    /// and `gossip-sim --scenario` replay exactly.
    pub fn save(&self) -> Result<String, JsError> {
        self.read(Lab::save)
    }

    /// The run's trace hash so far, as `gossip-sim` prints it (`0x` and 16 hex
    /// digits): equal hashes, equal runs.
    #[wasm_bindgen(js_name = traceHash)]
    pub fn trace_hash(&self) -> Result<String, JsError> {
        self.read(|lab| format!("{:#018x}", lab.trace_hash()))
    }

    /// Calls `callback(detail)` on each `event`: `round` (a round finished; its
    /// round, nodes and `time_s`, the simulated time),
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
        if let Some(live) = self.live.take()
            && let Ok(destroy) = js_sys::Reflect::get(&live, &"destroy".into())
        {
            let _ = destroy.unchecked_into::<js_sys::Function>().call0(&live);
        }
        self.listeners.borrow_mut().clear();
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }

    /// Reads the running lab; an error once the instance is destroyed.
    fn read<T>(&self, read: impl FnOnce(&Lab) -> T) -> Result<T, JsError> {
        let lab = self.init.lab.borrow().upgrade();
        let gone = if self.live.is_some() {
            "gossip-lab: a live instance has no simulated run of its own"
        } else {
            "gossip-lab: this instance was destroyed"
        };
        let lab = lab.ok_or_else(|| JsError::new(gone))?;
        Ok(read(&lab.borrow()))
    }

    fn send(&self, msg: Msg) {
        if let Some(app) = &self.app {
            app.send_message(msg);
        }
    }
}
