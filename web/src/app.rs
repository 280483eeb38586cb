//! The Gossip Lab component. It alone owns the animation loop, after Oort3's
//! simulation window: while playing it holds an [`AnimationFrame`] and asks for the
//! next one from each frame; pausing drops it, so a paused page costs no CPU. Frames
//! return `false` from `update`, so the virtual DOM is never diffed per frame: the
//! canvas and the clock text are written directly through [`NodeRef`]s.

use gloo::render::{AnimationFrame, request_animation_frame};
use gossip_core::sim::{MAX_NODES, SimConfig, Simulator};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement};
use yew::prelude::*;

use crate::layout::{self, Point};
use crate::{draw, seed};

const CANVAS_SIZE: u32 = 720;
/// The most nodes the slider offers; the core accepts more.
const SLIDER_MAX_NODES: u32 = 200;
/// Longest wall-clock step one frame may take. After the tab was hidden, the demo
/// resumes where it was instead of racing through the lost time.
const MAX_FRAME_STEP_MS: f64 = 100.0;

/// What the user or the browser asks of the component.
pub enum Msg {
    /// An animation frame, at the browser's timestamp in milliseconds.
    Frame(f64),
    /// The play/pause button, or the space bar.
    TogglePlay,
    /// The node-count slider: rebuild the cluster with this many nodes, same seed.
    SetNodes(u32),
    /// The speed slider, as log10 of the speed factor.
    SetSpeedLog(f64),
}

/// The whole lab: canvas, controls and the simulation they drive.
pub struct App {
    canvas: NodeRef,
    clock: NodeRef,
    seed: u64,
    seed_error: Option<seed::SeedError>,
    sim: Simulator,
    positions: Vec<Point>,
    /// Simulated time in fractional milliseconds: the simulator runs to its floor,
    /// the drawing interpolates at the exact value.
    sim_time: f64,
    speed: f64,
    playing: bool,
    /// The pending frame request; `None` exactly when the loop is stopped.
    frame: Option<AnimationFrame>,
    last_frame_at: Option<f64>,
}

impl App {
    fn cluster(nodes: u32, seed: u64) -> (Simulator, Vec<Point>) {
        let nodes = nodes.clamp(1, MAX_NODES);
        let config = SimConfig {
            nodes,
            seed,
            ..SimConfig::default()
        };
        let sim = Simulator::new(config).unwrap_or_else(|e| unreachable!("clamped config: {e}"));
        let positions = layout::ring(nodes as usize, CANVAS_SIZE.into(), CANVAS_SIZE.into());
        (sim, positions)
    }

    fn request_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |at| {
            link.send_message(Msg::Frame(at))
        }));
    }

    fn stop_loop(&mut self) {
        self.frame = None;
        self.last_frame_at = None;
    }

    fn advance(&mut self, at: f64) {
        let step = self
            .last_frame_at
            .map_or(0.0, |last| (at - last).clamp(0.0, MAX_FRAME_STEP_MS));
        self.last_frame_at = Some(at);
        self.sim_time += step * self.speed;
        self.sim.advance_to(self.sim_time as u64);
    }

    fn paint(&self) {
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
        let size = (f64::from(canvas.width()), f64::from(canvas.height()));
        draw::frame(&ctx, &self.sim, &self.positions, self.sim_time, size);
        if let Some(clock) = self.clock.get() {
            clock.set_text_content(Some(&format!(
                "t = {:.1} s · round {}",
                self.sim_time / 1000.0,
                self.sim.round()
            )));
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(_ctx: &Context<Self>) -> Self {
        let query = gloo::utils::window()
            .location()
            .search()
            .unwrap_or_default();
        let (seed, seed_error) = match seed::from_query(&query) {
            Ok(Some(seed)) => (seed, None),
            Ok(None) => (seed::random(), None),
            Err(e) => (seed::random(), Some(e)),
        };
        let (sim, positions) = Self::cluster(SimConfig::default().nodes, seed);
        Self {
            canvas: NodeRef::default(),
            clock: NodeRef::default(),
            seed,
            seed_error,
            sim,
            positions,
            sim_time: 0.0,
            speed: 1.0,
            playing: true,
            frame: None,
            last_frame_at: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(at) => {
                self.advance(at);
                self.paint();
                if self.playing {
                    self.request_frame(ctx);
                }
                false
            }
            Msg::TogglePlay => {
                self.playing = !self.playing;
                if self.playing {
                    self.request_frame(ctx);
                } else {
                    self.stop_loop();
                }
                true
            }
            Msg::SetNodes(nodes) => {
                (self.sim, self.positions) = Self::cluster(nodes, self.seed);
                self.sim_time = 0.0;
                self.paint();
                true
            }
            Msg::SetSpeedLog(log) => {
                self.speed = 10f64.powf(log.clamp(-1.0, 2.0));
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_nodes = link.callback(|e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Msg::SetNodes(input.value().parse().unwrap_or(2))
        });
        let on_speed = link.callback(|e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            Msg::SetSpeedLog(input.value().parse().unwrap_or(0.0))
        });
        let on_keydown = link.batch_callback(|e: KeyboardEvent| {
            (e.key() == " ").then(|| {
                e.prevent_default();
                Msg::TogglePlay
            })
        });
        let nodes = self.sim.config().nodes;
        let permalink = format!("?seed={}", self.seed);
        html! {
            <main class="gossip-lab" tabindex="0" onkeydown={on_keydown}>
                <h1>{ "Gossip Lab" }</h1>
                if let Some(error) = &self.seed_error {
                    <p class="error" role="alert">
                        { format!("{error}; using a random seed instead.") }
                    </p>
                }
                <div class="controls">
                    <button data-action="play-pause" onclick={link.callback(|_| Msg::TogglePlay)}>
                        { if self.playing { "Pause" } else { "Play" } }
                    </button>
                    <label>
                        { format!("Nodes: {nodes} ") }
                        <input type="range" data-control="nodes" min="2"
                            max={SLIDER_MAX_NODES.to_string()} value={nodes.to_string()}
                            oninput={on_nodes} />
                    </label>
                    <label>
                        { format!("Speed: {:.1}× ", self.speed) }
                        <input type="range" data-control="speed" min="-1" max="2" step="0.01"
                            value={self.speed.log10().to_string()} oninput={on_speed} />
                    </label>
                </div>
                <p class="status">
                    <span ref={self.clock.clone()} data-readout="clock"></span>
                    { " · seed " }
                    <a href={permalink} data-readout="seed">{ self.seed }</a>
                </p>
                <canvas ref={self.canvas.clone()} width={CANVAS_SIZE.to_string()}
                    height={CANVAS_SIZE.to_string()}
                    aria-label="Nodes on the hash ring and the gossip messages between them" />
                <ul class="legend">
                    { for draw::MESSAGE_COLORS.iter().map(|(kind, color)| html! {
                        <li><span class="swatch" style={format!("background:{color}")}></span>
                            { kind.name() }</li>
                    }) }
                </ul>
            </main>
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            self.paint();
            if self.playing {
                self.request_frame(ctx);
            }
        }
    }
}
