//! The Gossip Lab component. It alone owns the animation loop, after Oort3's
//! simulation window: while playing (and visible) it holds an [`AnimationFrame`] and
//! asks for the next one from each frame; pausing or hiding the tab drops it, so a
//! paused page requests no frames and costs no CPU. Frames return `false` from
//! `update` except a few times a second, so the virtual DOM (inspector, charts) is
//! diffed at that rate, never per frame: the canvas and the clock are written
//! directly through [`NodeRef`]s. All state changes go through [`Lab::apply`].

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::file::callbacks::FileReader;
use gloo::render::{AnimationFrame, request_animation_frame};
use gossip_core::NodeId;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::draw::{self, Drawn};
use crate::inspector::{self, Column};
use crate::layout::{self, Layout, Point};
use crate::model::{Action, ColorMode, Lab, Seen};
use crate::params::{self, DetectorKind, MODES, Problem, Settings};
use crate::{charts, math, presets};

const CANVAS_SIZE: u32 = 720;
/// How often the DOM (inspector, charts, buttons) is re-rendered while playing.
const RENDER_EVERY_MS: f64 = 250.0;
/// How often the screen-reader summary is rewritten.
const SUMMARY_EVERY_MS: f64 = 2_000.0;
/// Above this many nodes the grid layout is the default.
const GRID_ABOVE: u32 = 1_000;

/// The keyboard shortcuts, as the help overlay lists them.
const SHORTCUTS: [(&str, &str); 12] = [
    ("space", "play / pause"),
    ("→", "step one round"),
    ("+ / −", "faster / slower"),
    ("c", "crash the selected node"),
    ("r", "restart it"),
    ("l", "it leaves"),
    ("a", "add a node"),
    ("u", "inject an update at it"),
    ("p", "partition into halves / heal"),
    ("m", "colour by status / by update"),
    ("g", "ring / grid layout"),
    ("?", "this help"),
];

/// Listeners a host page registered through the JS API: (event name, function).
pub type Listeners = Rc<RefCell<Vec<(String, js_sys::Function)>>>;

/// The events a host page can listen to.
pub const EVENTS: [&str; 4] = ["round", "spread", "convicted", "scenario-end"];

/// How an instance starts: its settings and where they came from.
#[derive(Debug, Clone, Default)]
pub struct Init {
    /// The settings, already checked.
    pub settings: Settings,
    /// What was wrong with the settings as given (URL parameters), to show.
    pub problems: Vec<Problem>,
    /// Compact, chrome-free controls for embedding.
    pub embed: bool,
    /// Keep the page's URL equal to the settings: only for the page that is the app
    /// (or an iframe), never for an instance mounted into someone else's page.
    pub own_url: bool,
    /// Functions to call on events.
    pub listeners: Listeners,
}

/// The component's properties: its [`Init`], compared by identity.
#[derive(Debug, Clone, Properties)]
pub struct Props {
    /// How to start.
    pub init: Rc<Init>,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.init, &other.init)
    }
}

/// What the user or the browser asks of the component.
pub enum Msg {
    /// An animation frame, at the browser's timestamp in milliseconds.
    Frame(f64),
    /// A change to the lab.
    Act(Action),
    /// A setting changed: its URL name and the value typed.
    Set(&'static str, String),
    /// Start over with these settings (the JS API's `reset`).
    Configure(Settings),
    /// Start over with this seed.
    Reset(String),
    /// A preset scenario, or none.
    Preset(String),
    /// The user chose a scenario file.
    LoadFile(Option<web_sys::File>),
    /// The chosen file's text, or why it could not be read.
    FileLoaded(Result<String, String>),
    /// A click on the canvas, in CSS pixels from its top-left corner.
    Click(f64, f64),
    /// A key press.
    Key(KeyboardEvent),
    /// The tab was hidden or shown.
    Visibility,
    /// Sort the inspector by this column (again: reverse).
    Sort(Column),
    /// Show or hide the shortcuts.
    ToggleHelp,
    /// Ring or grid.
    ToggleLayout,
}

/// The whole lab: canvas, controls, inspector, charts and the simulation they drive.
pub struct App {
    lab: Lab,
    canvas: NodeRef,
    clock: NodeRef,
    drawn: NodeRef,
    summary: NodeRef,
    problems: Vec<Problem>,
    layout: Layout,
    positions: Vec<Point>,
    /// How each node looks this frame; reused, so frames allocate nothing.
    seen: Vec<Seen>,
    /// The pending frame request; `None` exactly when the loop is stopped.
    frame: Option<AnimationFrame>,
    last_frame_at: Option<f64>,
    last_render_at: f64,
    last_summary_at: f64,
    last_drawn: Drawn,
    hidden: bool,
    help: bool,
    sort: (Column, bool),
    reader: Option<FileReader>,
    _visibility: Option<EventListener>,
    embed: bool,
    own_url: bool,
    listeners: Listeners,
    /// What the events last reported: round, detections, spread done, scenario done.
    reported: (u64, usize, bool, bool),
}

impl App {
    fn request_frame(&mut self, ctx: &Context<Self>) {
        if self.frame.is_none() {
            let link = ctx.link().clone();
            self.frame = Some(request_animation_frame(move |at| {
                link.send_message(Msg::Frame(at))
            }));
        }
    }

    /// Runs the loop exactly while the lab plays and the tab is visible.
    fn sync_loop(&mut self, ctx: &Context<Self>) {
        if self.lab.playing() && !self.hidden {
            self.request_frame(ctx);
        } else {
            self.frame = None;
            self.last_frame_at = None;
        }
    }

    fn place_nodes(&mut self) {
        let tokens: Vec<Option<u64>> = self
            .lab
            .sim()
            .nodes()
            .iter()
            .map(|n| {
                n.view()
                    .get(n.id())
                    .and_then(|s| s.tokens().first().copied())
            })
            .collect();
        let size = f64::from(CANVAS_SIZE);
        self.positions = layout::place(&tokens, self.layout, size, size);
    }

    fn paint(&mut self) {
        if self.positions.len() != self.lab.sim().nodes().len() {
            self.place_nodes();
        }
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        self.seen.clear();
        let lab = &self.lab;
        self.seen
            .extend((0..lab.sim().nodes().len() as u32).map(|i| lab.seen(NodeId(i))));
        let size = (f64::from(canvas.width()), f64::from(canvas.height()));
        let drawn = draw::frame(&ctx, &self.lab, &self.positions, &self.seen, size);
        if let Some(clock) = self.clock.get() {
            clock.set_text_content(Some(&format!(
                "t = {:.1} s · round {}",
                self.lab.sim_time() / 1000.0,
                self.lab.sim().round()
            )));
        }
        if drawn != self.last_drawn
            && let Some(note) = self.drawn.get()
        {
            let text = if drawn.drawn < drawn.in_flight {
                format!(
                    "{} messages in flight; drawing an even sample of {}",
                    drawn.in_flight, drawn.drawn
                )
            } else {
                format!("{} messages in flight", drawn.in_flight)
            };
            note.set_text_content(Some(&text));
            self.last_drawn = drawn;
        }
    }

    /// The throttled text summary for screen readers.
    fn summarize(&mut self, at: f64) {
        if at - self.last_summary_at < SUMMARY_EVERY_MS {
            return;
        }
        self.last_summary_at = at;
        let Some(summary) = self.summary.get() else {
            return;
        };
        let sim = self.lab.sim();
        let n = sim.nodes().len();
        let text = match self.lab.spread() {
            Some(spread) if self.lab.color_mode() == ColorMode::Update => format!(
                "round {}: {} of {n} nodes know the update",
                sim.round(),
                sim.informed(spread.update)
            ),
            _ => {
                let dead = self.seen.iter().filter(|s| **s == Seen::Dead).count();
                format!(
                    "round {}: {n} nodes; node {} sees {dead} as dead",
                    sim.round(),
                    self.lab.selected().0
                )
            }
        };
        summary.set_text_content(Some(&text));
    }

    /// Keeps the URL equal to the settings, so that a link reproduces the run.
    fn write_url(&self) {
        if !self.own_url {
            return;
        }
        let url = params::to_query(self.lab.settings());
        if let Ok(history) = gloo::utils::window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }

    fn configure(&mut self, settings: Settings) {
        self.lab.apply(Action::Configure(settings));
        self.layout = default_layout(self.lab.settings().nodes);
        self.place_nodes();
        self.write_url();
    }

    /// Calls the host page's listeners for what happened since the last frame.
    /// What happened is tracked even with no listener, so that one added later hears
    /// only what happens from then on.
    fn report(&mut self) {
        let sim = self.lab.sim();
        let round = sim.round();
        let detections = self.lab.last_crash_detections().len();
        let spread_done = self
            .lab
            .spread()
            .is_some_and(|s| s.fractions.last() == Some(&1.0));
        let scenario_done = self.lab.scenario().is_some_and(|(_, _, done)| done);
        let (last_round, last_detections, last_spread, last_scenario) = self.reported;
        let mut events: Vec<(&str, Vec<(&str, f64)>)> = Vec::new();
        if round != last_round {
            events.push((
                "round",
                vec![("round", round as f64), ("nodes", sim.nodes().len() as f64)],
            ));
        }
        if detections > last_detections {
            let times = self.lab.last_crash_detections();
            let seconds = times.last().copied().unwrap_or(0) as f64 / 1000.0;
            events.push((
                "convicted",
                vec![("convictions", detections as f64), ("after_s", seconds)],
            ));
        }
        if spread_done && !last_spread {
            let rounds = self.lab.spread().map_or(0, |s| s.fractions.len());
            events.push(("spread", vec![("rounds", rounds as f64)]));
        }
        if scenario_done && !last_scenario {
            events.push(("scenario-end", vec![("round", round as f64)]));
        }
        self.reported = (round, detections, spread_done, scenario_done);
        if events.is_empty() || self.listeners.borrow().is_empty() {
            return;
        }
        let listeners = self.listeners.borrow().clone();
        for (name, fields) in events {
            let detail = js_sys::Object::new();
            for (key, value) in fields {
                let _ = js_sys::Reflect::set(&detail, &key.into(), &value.into());
            }
            let _ = js_sys::Reflect::set(&detail, &"type".into(), &name.into());
            for (_, f) in listeners.iter().filter(|(event, _)| event == name) {
                // A listener that throws is the host page's problem, not ours.
                let _ = f.call1(&JsValue::NULL, &detail);
            }
        }
    }

    fn key(&mut self, e: &KeyboardEvent) -> Option<Msg> {
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return None;
        }
        let speed = self.lab.settings().speed;
        let msg = match e.key().as_str() {
            " " => Msg::Act(Action::TogglePlay),
            "ArrowRight" => Msg::Act(Action::Step),
            "+" | "=" => Msg::Act(Action::SetSpeed(speed * 2.0)),
            "-" | "_" => Msg::Act(Action::SetSpeed(speed / 2.0)),
            "c" => Msg::Act(Action::Crash),
            "r" => Msg::Act(Action::Restart),
            "l" => Msg::Act(Action::Leave),
            "a" => Msg::Act(Action::AddNode),
            "u" => Msg::Act(Action::InjectUpdate),
            "p" if self.lab.partitioned() => Msg::Act(Action::Heal),
            "p" => Msg::Act(Action::PartitionHalves),
            "m" => Msg::Act(Action::ToggleColorMode),
            "g" => Msg::ToggleLayout,
            "?" => Msg::ToggleHelp,
            "Escape" if self.help => Msg::ToggleHelp,
            _ => return None,
        };
        e.prevent_default();
        Some(msg)
    }
}

impl App {
    /// The canvas, with the note on what is drawn and the screen-reader summary: the
    /// same in both views.
    fn canvas_and_readouts(&self, ctx: &Context<Self>) -> Html {
        let on_click = ctx
            .link()
            .callback(|e: MouseEvent| Msg::Click(f64::from(e.offset_x()), f64::from(e.offset_y())));
        html! {
            <>
                <canvas ref={self.canvas.clone()} width={CANVAS_SIZE.to_string()}
                    height={CANVAS_SIZE.to_string()} onclick={on_click} role="img"
                    aria-label="The cluster: nodes on the hash ring, coloured by how the selected node sees them, and the gossip messages in flight between them" />
                <p class="drawn" ref={self.drawn.clone()} data-readout="drawn"></p>
                <p class="visually-hidden" aria-live="polite" ref={self.summary.clone()}
                    data-readout="summary"></p>
            </>
        }
    }

    /// The compact view for embedding: the canvas with a slim bar of controls, no
    /// page chrome. Everything else is still there through the keyboard.
    fn view_embedded(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lab = &self.lab;
        let act = |action: Action| link.callback(move |_| Msg::Act(action.clone()));
        let on_key = link.batch_callback(|e: KeyboardEvent| Some(Msg::Key(e)));
        let on_speed = speed_slider(link);
        html! {
            <div class="gossip-lab embed" tabindex="0" onkeydown={on_key}>
                if !self.problems.is_empty() {
                    <div class="error" role="alert" data-problems="url">
                        { for self.problems.iter().map(|p| html! { <div>{ p.to_string() }</div> }) }
                    </div>
                }
                if let Some(error) = lab.error() {
                    <p class="error" role="alert" data-problems="scenario">{ error }</p>
                }
                <div class="controls">
                    <button data-action="play-pause" onclick={act(Action::TogglePlay)}
                        aria-pressed={lab.playing().to_string()}>
                        { if lab.playing() { "Pause" } else { "Play" } }
                    </button>
                    <button data-action="step" onclick={act(Action::Step)} aria-label="Step one round">{ "Step" }</button>
                    <label>{ format!("{:.1}×", lab.settings().speed) }
                        <input type="range" data-control="speed" min="-1" max="2" step="0.01" aria-label="Speed"
                            value={math::log10(lab.settings().speed).to_string()} oninput={on_speed} />
                    </label>
                    <span data-readout="node-count">{ format!("{} nodes", lab.sim().nodes().len()) }</span>
                    <span class="clock" ref={self.clock.clone()} data-readout="clock"></span>
                </div>
                if let Some((title, caption, done)) = lab.scenario() {
                    <div class="caption" aria-live="polite" data-scenario-state={if done { "done" } else { "running" }}>
                        <strong>{ title }</strong>{ " " }
                        <span data-readout="caption">{ caption.unwrap_or("") }</span>
                    </div>
                }
                <div class="stage">{ self.canvas_and_readouts(ctx) }</div>
            </div>
        }
    }
}

/// The speed slider's callback: its value is log10 of the speed.
fn speed_slider(link: &yew::html::Scope<App>) -> Callback<InputEvent> {
    link.callback(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let log10 = input.value_as_number();
        Msg::Act(Action::SetSpeed(math::exp10(if log10.is_finite() {
            log10
        } else {
            0.0
        })))
    })
}

fn default_layout(nodes: u32) -> Layout {
    if nodes > GRID_ABOVE {
        Layout::Grid
    } else {
        Layout::Ring
    }
}

fn prefers_reduced_motion() -> bool {
    gloo::utils::window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

impl Component for App {
    type Message = Msg;
    type Properties = Props;

    fn create(ctx: &Context<Self>) -> Self {
        let init = ctx.props().init.clone();
        let settings = init.settings.clone();
        let playing = settings.autoplay && !prefers_reduced_motion();
        let lab = Lab::new(settings, playing);
        let link = ctx.link().clone();
        let visibility =
            EventListener::new(&gloo::utils::document(), "visibilitychange", move |_| {
                link.send_message(Msg::Visibility)
            });
        let mut app = Self {
            layout: default_layout(lab.settings().nodes),
            lab,
            canvas: NodeRef::default(),
            clock: NodeRef::default(),
            drawn: NodeRef::default(),
            summary: NodeRef::default(),
            problems: init.problems.clone(),
            positions: Vec::new(),
            seen: Vec::new(),
            frame: None,
            last_frame_at: None,
            last_render_at: 0.0,
            last_summary_at: f64::NEG_INFINITY,
            last_drawn: Drawn::default(),
            hidden: gloo::utils::document().hidden(),
            help: false,
            sort: (Column::Endpoint, true),
            reader: None,
            _visibility: Some(visibility),
            embed: init.embed,
            own_url: init.own_url,
            listeners: init.listeners.clone(),
            reported: (0, 0, false, false),
        };
        app.place_nodes();
        app.write_url();
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let render = match msg {
            Msg::Frame(at) => {
                self.frame = None;
                let step = self.last_frame_at.map_or(0.0, |last| at - last);
                self.last_frame_at = Some(at);
                self.lab.apply(Action::Frame(step));
                self.paint();
                self.summarize(at);
                self.report();
                let due = at - self.last_render_at >= RENDER_EVERY_MS || !self.lab.playing();
                if due {
                    self.last_render_at = at;
                }
                self.sync_loop(ctx);
                return due;
            }
            Msg::Act(action) => {
                let speed = matches!(action, Action::SetSpeed(_));
                self.lab.apply(action);
                if speed {
                    self.write_url();
                }
                true
            }
            Msg::Set(name, value) => {
                let query = format!(
                    "{}&{name}={}",
                    params::to_query(self.lab.settings()),
                    value.trim()
                );
                let (mut settings, _, problems) = params::from_query(&query);
                settings.scenario = None;
                self.problems = problems;
                self.configure(settings);
                true
            }
            Msg::Configure(settings) => {
                self.problems.clear();
                self.configure(settings);
                true
            }
            Msg::Reset(seed) => {
                let mut settings = self.lab.settings().clone();
                match seed.trim().parse() {
                    Ok(seed) => {
                        settings.seed = seed;
                        self.problems.clear();
                    }
                    Err(_) => {
                        self.problems = vec![Problem {
                            name: "seed",
                            given: seed,
                            why: "not a whole number from 0 to 18446744073709551615".into(),
                            instead: "the same seed".into(),
                        }]
                    }
                }
                self.configure(settings);
                true
            }
            Msg::Preset(name) => {
                let mut settings = self.lab.settings().clone();
                settings.scenario = presets::find(&name).map(|p| p.name.to_owned());
                self.configure(settings);
                true
            }
            Msg::LoadFile(Some(file)) => {
                let link = ctx.link().clone();
                let file = gloo::file::File::from(file);
                self.reader = Some(gloo::file::callbacks::read_as_text(&file, move |text| {
                    link.send_message(Msg::FileLoaded(text.map_err(|e| e.to_string())))
                }));
                false
            }
            Msg::LoadFile(None) => false,
            Msg::FileLoaded(text) => {
                self.reader = None;
                match text {
                    Ok(text) => self.lab.apply(Action::LoadScenario(text)),
                    Err(e) => self.lab.apply(Action::LoadScenario(format!(
                        "# the file could not be read: {e}"
                    ))),
                }
                self.place_nodes();
                self.write_url();
                true
            }
            Msg::Click(x, y) => {
                let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
                    return false;
                };
                let scale = f64::from(canvas.width()) / f64::from(canvas.client_width().max(1));
                let size = f64::from(CANVAS_SIZE);
                let reach = layout::node_radius(self.positions.len(), size, size) + 6.0;
                match layout::nearest(
                    &self.positions,
                    Point {
                        x: x * scale,
                        y: y * scale,
                    },
                    reach,
                ) {
                    Some(i) => {
                        self.lab.apply(Action::Select(NodeId(i as u32)));
                        true
                    }
                    None => false,
                }
            }
            Msg::Key(e) => match self.key(&e) {
                Some(msg) => return Component::update(self, ctx, msg),
                None => false,
            },
            Msg::Visibility => {
                self.hidden = gloo::utils::document().hidden();
                false
            }
            Msg::Sort(column) => {
                self.sort = (column, self.sort.0 != column || !self.sort.1);
                true
            }
            Msg::ToggleHelp => {
                self.help = !self.help;
                true
            }
            Msg::ToggleLayout => {
                self.layout = match self.layout {
                    Layout::Ring => Layout::Grid,
                    Layout::Grid => Layout::Ring,
                };
                self.place_nodes();
                true
            }
        };
        self.sync_loop(ctx);
        if self.frame.is_none() {
            // Paused: the canvas still shows every change at once.
            self.paint();
        }
        render
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        if self.embed {
            return self.view_embedded(ctx);
        }
        let link = ctx.link();
        let lab = &self.lab;
        let settings = lab.settings();
        let nodes = lab.sim().nodes().len();
        let act = |action: Action| link.callback(move |_| Msg::Act(action.clone()));
        let on_key = link.batch_callback(|e: KeyboardEvent| Some(Msg::Key(e)));
        let on_speed = speed_slider(link);
        let on_preset = link.callback(|e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            Msg::Preset(select.value())
        });
        let on_file = link.callback(|e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Msg::LoadFile(input.files().and_then(|files| files.get(0)))
        });
        let seed_input = NodeRef::default();
        let on_reset = {
            let seed_input = seed_input.clone();
            link.callback(move |_| {
                Msg::Reset(
                    seed_input
                        .cast::<HtmlInputElement>()
                        .map(|i| i.value())
                        .unwrap_or_default(),
                )
            })
        };
        let number = |name: &'static str,
                      label: &'static str,
                      value: String,
                      min: &str,
                      max: &str,
                      step: &str| {
            let onchange = link.callback(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                Msg::Set(name, input.value())
            });
            html! {
                <label>{ label }
                    <input type="number" data-control={name} min={min.to_owned()} max={max.to_owned()}
                        step={step.to_owned()} value={value} {onchange} />
                </label>
            }
        };
        let choice = |name: &'static str,
                      label: &'static str,
                      selected: &str,
                      options: Vec<(&'static str, &'static str)>| {
            let onchange = link.callback(move |e: Event| {
                let select: HtmlSelectElement = e.target_unchecked_into();
                Msg::Set(name, select.value())
            });
            html! {
                <label>{ label }
                    <select data-control={name} {onchange}>
                        { for options.into_iter().map(|(value, text)| html! {
                            <option value={value} selected={value == selected}>{ text }</option>
                        }) }
                    </select>
                </label>
            }
        };
        let scenario = lab.scenario();
        html! {
            <main class="gossip-lab full" tabindex="0" onkeydown={on_key}>
                <header>
                    <h1>{ "Gossip Lab" }</h1>
                    <p class="lede">
                        <span data-readout="node-count">{ format!("{nodes} nodes") }</span>
                        { " gossiping, Dynamo/Cassandra style: each round every node reconciles its view of the cluster with a few random peers." }
                    </p>
                </header>
                if !self.problems.is_empty() {
                    <div class="error" role="alert" data-problems="url">
                        <p>{ "Some settings were not usable as given:" }</p>
                        <ul>{ for self.problems.iter().map(|p| html! { <li>{ p.to_string() }</li> }) }</ul>
                    </div>
                }
                if let Some(error) = lab.error() {
                    <p class="error" role="alert" data-problems="scenario">{ error }</p>
                }
                <section class="controls" aria-label="Time">
                    <button data-action="play-pause" onclick={act(Action::TogglePlay)}
                        aria-pressed={lab.playing().to_string()}>
                        { if lab.playing() { "Pause" } else { "Play" } }
                    </button>
                    <button data-action="step" onclick={act(Action::Step)}>{ "Step one round" }</button>
                    <label>
                        { format!("Speed {:.1}×", settings.speed) }
                        <input type="range" data-control="speed" min="-1" max="2" step="0.01"
                            value={math::log10(settings.speed).to_string()} oninput={on_speed} />
                    </label>
                    <label>{ "Seed" }
                        <input type="text" inputmode="numeric" data-control="seed" ref={seed_input}
                            value={settings.seed.to_string()} size="12" />
                    </label>
                    <button data-action="reset" onclick={on_reset}>{ "Reset" }</button>
                    <span class="clock" ref={self.clock.clone()} data-readout="clock"></span>
                    <a href={params::to_query(settings)} data-readout="permalink">{ "link to this run" }</a>
                </section>
                <section class="controls" aria-label="Parameters">
                    { number("nodes", "Nodes", settings.nodes.to_string(), "1", &params::MAX_NODES.to_string(), "1") }
                    { number("fanout", "Fanout", settings.fanout.to_string(), "1", "64", "1") }
                    { number("interval", "Interval (ms)", settings.interval_ms.to_string(), "100", "10000", "100") }
                    { number("mtu", "MTU (bytes)", settings.mtu.to_string(), "256", "65507", "1") }
                    { number("loss", "Loss (%)", settings.loss.to_string(), "0", "100", "any") }
                    { number("latency", "Latency (ms)", settings.latency_ms.to_string(), "1", "5000", "1") }
                    { number("jitter", "Jitter (ms)", settings.jitter_ms.to_string(), "0", "5000", "1") }
                    { number("seeds", "Seeds", settings.seeds.to_string(), "1", &params::MAX_NODES.to_string(), "1") }
                    { choice("mode", "Mode", params::mode_name(settings.mode),
                        MODES.into_iter().map(|m| (params::mode_name(m), params::mode_name(m))).collect()) }
                    { choice("detector", "Detector", settings.detector.name(),
                        DetectorKind::ALL.into_iter().map(|k| (k.name(), k.label())).collect()) }
                    { number("threshold", "Threshold (phi)", settings.threshold.to_string(), "0.5", "20", "0.5") }
                </section>
                <section class="controls" aria-label="Actions">
                    <span>{ format!("Selected: node {}", lab.selected().0) }</span>
                    <button data-action="crash" onclick={act(Action::Crash)}>{ "Crash" }</button>
                    <button data-action="restart" onclick={act(Action::Restart)}>{ "Restart" }</button>
                    <button data-action="leave" onclick={act(Action::Leave)}>{ "Leave" }</button>
                    <button data-action="update" onclick={act(Action::InjectUpdate)}>{ "Inject update" }</button>
                    <button data-action="add" onclick={act(Action::AddNode)}>{ "Add node" }</button>
                    if lab.partitioned() {
                        <button data-action="heal" onclick={act(Action::Heal)}>{ "Heal partition" }</button>
                    } else {
                        <button data-action="partition" onclick={act(Action::PartitionHalves)}>{ "Partition in halves" }</button>
                    }
                    <button data-action="color-mode" onclick={act(Action::ToggleColorMode)}>
                        { match lab.color_mode() { ColorMode::Status => "Colour: status", ColorMode::Update => "Colour: update" } }
                    </button>
                    <button data-action="layout" onclick={link.callback(|_| Msg::ToggleLayout)}>
                        { match self.layout { Layout::Ring => "Layout: ring", Layout::Grid => "Layout: grid" } }
                    </button>
                    <button data-action="help" onclick={link.callback(|_| Msg::ToggleHelp)}
                        aria-expanded={self.help.to_string()}>{ "? Shortcuts" }</button>
                </section>
                <section class="controls" aria-label="Scenarios">
                    <label>{ "Scenario" }
                        <select data-control="scenario" onchange={on_preset}>
                            <option value="" selected={settings.scenario.is_none()}>{ "none: free play" }</option>
                            { for presets::PRESETS.iter().zip(presets::titles()).enumerate().map(|(i, (p, title))| html! {
                                <option value={p.name} selected={settings.scenario.as_deref() == Some(p.name)}>
                                    { format!("{}. {title}", i + 1) }
                                </option>
                            }) }
                        </select>
                    </label>
                    <label>{ "Load a scenario file" }
                        <input type="file" data-control="scenario-file" accept=".jsonl,.json,.txt" onchange={on_file} />
                    </label>
                </section>
                if let Some((title, caption, done)) = scenario {
                    <section class="caption" aria-live="polite" data-scenario-state={if done { "done" } else { "running" }}>
                        <strong>{ title }</strong>
                        <p data-readout="caption">{ caption.unwrap_or("") }</p>
                        if done { <p class="done">{ "Scenario finished. Reset or pick another." }</p> }
                    </section>
                }
                if self.help {
                    <div class="help" role="dialog" aria-label="Keyboard shortcuts" data-overlay="help">
                        <h2>{ "Keyboard shortcuts" }</h2>
                        <dl>{ for SHORTCUTS.iter().map(|(key, what)| html! { <><dt><kbd>{ *key }</kbd></dt><dd>{ *what }</dd></> }) }</dl>
                        <button onclick={link.callback(|_| Msg::ToggleHelp)}>{ "Close (Esc)" }</button>
                    </div>
                }
                <div class="stage">
                    { self.canvas_and_readouts(ctx) }
                    <ul class="legend">
                        { for draw::NODE_COLORS.iter().filter(|(seen, _, _)| match lab.color_mode() {
                            ColorMode::Status => !matches!(seen, Seen::Informed | Seen::Uninformed),
                            ColorMode::Update => matches!(seen, Seen::Informed | Seen::Uninformed),
                        }).map(|(_, color, text)| html! {
                            <li><span class="swatch" style={format!("background:{color}")}></span>{ *text }</li>
                        }) }
                        { for draw::MESSAGE_COLORS.iter().map(|(kind, color)| html! {
                            <li><span class="swatch dot" style={format!("background:{color}")}></span>{ kind.name() }</li>
                        }) }
                    </ul>
                </div>
                <section class="charts" aria-label="Charts">
                    { charts::spread(lab) }
                    { charts::traffic(lab) }
                    { charts::detection(lab) }
                </section>
                { inspector::table(lab, self.sort.0, self.sort.1,
                    link.callback(Msg::Sort), link.callback(|id| Msg::Act(Action::Select(id)))) }
            </main>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            self.paint();
            self.sync_loop(ctx);
        }
    }
}
