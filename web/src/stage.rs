//! The stage: the canvas and everything a frame does with it, as a plain struct the
//! app hands each frame to (after Oort3's `simulation_window.rs`, which hands its
//! frames to its `UI`). It owns the node positions, the per-frame buffers, painting,
//! hit-testing a click, and the readouts written straight into the DOM (the clock,
//! the note on what is drawn, and the throttled screen-reader summary), so that a
//! frame never re-renders the virtual DOM.

use gossip_core::NodeId;
use gossip_heartbeat::ring::Ring;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use crate::draw::{self, Drawn, Flying, Selection};
use crate::focus::{self, Exchange};
use crate::layout::{self, Layout, Point};
use crate::model::{ColorMode, Lab, Seen};
use crate::run::first_tokens;

/// The canvas's size in pixels (CSS scales it to fit).
const CANVAS_SIZE: u32 = 720;
/// How often the screen-reader summary is rewritten.
const SUMMARY_EVERY_MS: f64 = 2_000.0;
/// Up to this many nodes the ring shows every token and the selected node's ranges:
/// beyond, the ticks would merge into a band, and building the copy of the ring each
/// frame would cost the frame budget.
const RING_DETAIL_UP_TO: usize = 300;

/// How near a click must be to a message's dot to open it, in canvas pixels.
const MESSAGE_REACH: f64 = 8.0;

/// What a click on the canvas found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// A node.
    Node(NodeId),
    /// A message in flight: its place in the simulator's order.
    Message(usize),
}

/// The canvas's box on screen, CSS pixels.
fn shown(canvas: &HtmlCanvasElement) -> (f64, f64) {
    (
        f64::from(canvas.client_width()),
        f64::from(canvas.client_height()),
    )
}

/// The canvas and its readouts.
#[derive(Debug, Default)]
pub struct Stage {
    canvas: NodeRef,
    clock: NodeRef,
    drawn: NodeRef,
    summary: NodeRef,
    exchange: NodeRef,
    /// The layout the positions were placed in.
    layout: Layout,
    /// Canvas pixels per CSS pixel as last drawn (at least 1): text, dots and small
    /// clusters' nodes are sized by it, so that a small figure reads as a large one.
    scale: f64,
    positions: Vec<Point>,
    /// How each node looks this frame; reused, so frames allocate nothing.
    seen: Vec<Seen>,
    /// The messages this frame draws; reused too.
    flying: Vec<Flying>,
    last_drawn: Drawn,
    last_exchange: Option<Exchange>,
    last_summary_at: Option<f64>,
    /// The feed's last line the summary announced.
    announced: Option<u64>,
}

impl Stage {
    /// The clock's element, which the play bar shows.
    pub fn clock(&self) -> NodeRef {
        self.clock.clone()
    }

    /// A new run: its nodes are placed anew at the next paint, by its tokens.
    pub fn new_run(&mut self) {
        self.positions.clear();
    }

    /// Places the nodes in the view's layout.
    fn place(&mut self, lab: &Lab) {
        let size = f64::from(CANVAS_SIZE);
        let tokens = first_tokens(lab.sim());
        self.layout = lab.view().layout;
        self.positions = layout::place(&tokens, self.layout, (size, size), self.scale);
    }

    /// Draws the lab at its current time, and the clock and the note on what is
    /// drawn.
    pub fn paint(&mut self, lab: &Lab) {
        let Some(canvas) = self.canvas.cast::<HtmlCanvasElement>() else {
            return;
        };
        let (width, height) = shown(&canvas);
        let side = layout::shown_square(width, height).0;
        let scale = (f64::from(CANVAS_SIZE) / side).clamp(1.0, 4.0);
        if (scale - self.scale).abs() > 0.05 {
            self.scale = scale;
            self.positions.clear();
        }
        if self.positions.len() != lab.sim().nodes().len() || self.layout != lab.view().layout {
            self.place(lab);
        }
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        self.seen.clear();
        self.seen
            .extend((0..lab.sim().nodes().len() as u32).map(|i| lab.seen(NodeId(i))));
        let size = (f64::from(canvas.width()), f64::from(canvas.height()));
        let exchange = focus::current_exchange(lab.sim().in_flight(), lab.selected());
        let detailed = self.layout == Layout::Ring && self.positions.len() <= RING_DETAIL_UP_TO;
        // The canvas needs the copy of the ring only; what it lacks is the panel's.
        let selected = lab.selected();
        let ring = detailed
            .then(|| lab.sim().nodes().get(selected.0 as usize))
            .flatten()
            .map(|node| Ring::from_view(node.view()));
        let lookup = ring.as_ref().and_then(|ring| lab.lookup(ring));
        let drawn = draw::frame(
            &ctx,
            lab,
            &self.positions,
            &self.seen,
            Selection {
                exchange,
                ring: ring.as_ref().map(|ring| (selected, ring, lookup.as_ref())),
            },
            &mut self.flying,
            (size.0, size.1, self.scale),
        );
        if exchange != self.last_exchange
            && let Some(note) = self.exchange.get()
        {
            let text = exchange.map(|x| {
                format!(
                    "node {} → node {}: {} on the wire (Syn → Ack → Ack2)",
                    x.initiator.0,
                    x.peer.0,
                    x.step.name()
                )
            });
            note.set_text_content(text.as_deref());
            self.last_exchange = exchange;
        }
        if let Some(clock) = self.clock.get() {
            clock.set_text_content(Some(&format!(
                "t = {:.1} s · round {}",
                lab.sim_time() / 1000.0,
                lab.sim().round()
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

    /// Rewrites the screen-reader summary, at most every [`SUMMARY_EVERY_MS`]: the
    /// feed's important lines since the last time (the newest, and how many more),
    /// then the state of the cluster. The feed's own list is not a live region, so
    /// that a busy cluster is heard at this pace instead of line by line.
    pub fn summarize(&mut self, lab: &Lab, at: f64) {
        if self
            .last_summary_at
            .is_some_and(|last| at - last < SUMMARY_EVERY_MS)
        {
            return;
        }
        self.last_summary_at = Some(at);
        let Some(summary) = self.summary.get() else {
            return;
        };
        let sim = lab.sim();
        let n = sim.nodes().len();
        let text = match lab.spread() {
            Some(spread) if lab.color_mode() == ColorMode::Update => format!(
                "round {}: {} of {n} nodes know the update",
                sim.round(),
                sim.informed(spread.update)
            ),
            _ => {
                let dead = match self.seen.iter().filter(|s| **s == Seen::Dead).count() {
                    0 => "no node is dead".to_owned(),
                    1 => "1 node is dead".to_owned(),
                    k => format!("{k} nodes are dead"),
                };
                format!(
                    "round {}: {n} nodes; in node {}'s view, {dead}",
                    sim.round(),
                    lab.selected().0
                )
            }
        };
        let text = match lab.feed().announcement(self.announced) {
            Some((seq, news)) => {
                self.announced = Some(seq);
                format!("{news}. {text}")
            }
            None => text,
        };
        summary.set_text_content(Some(&text));
    }

    /// What a click at (x, y) CSS pixels from the canvas's corner hits: a message's
    /// dot if `messages` (the run is paused, so the dots stand still), else a node.
    pub fn hit(&self, x: f64, y: f64, messages: bool) -> Option<Hit> {
        let canvas = self.canvas.cast::<HtmlCanvasElement>()?;
        let size = f64::from(CANVAS_SIZE);
        let reach = layout::node_radius(self.positions.len(), size, size, self.scale) + 6.0;
        let at = layout::to_canvas(Point { x, y }, shown(&canvas), size);
        let message = messages.then(|| draw::message_at(&self.flying, at, MESSAGE_REACH));
        match message.flatten() {
            Some(index) => Some(Hit::Message(index)),
            None => {
                layout::nearest(&self.positions, at, reach).map(|i| Hit::Node(NodeId(i as u32)))
            }
        }
    }

    /// The canvas, with the note on what is drawn and the screen-reader summary.
    pub fn view(&self, on_click: Callback<MouseEvent>) -> Html {
        html! {
            <>
                <canvas ref={self.canvas.clone()} width={CANVAS_SIZE.to_string()}
                    height={CANVAS_SIZE.to_string()} onclick={on_click} role="img"
                    aria-label="The cluster: nodes on the hash ring, coloured by how the selected node sees them, and the gossip messages in flight between them" />
                <p class="drawn" ref={self.drawn.clone()} data-readout="drawn"></p>
                <p class="drawn" ref={self.exchange.clone()} data-readout="exchange"></p>
                <p class="visually-hidden" aria-live="polite" ref={self.summary.clone()}
                    data-readout="summary"></p>
            </>
        }
    }
}

/// The legend of the node and message colours, for the colour mode in use.
pub fn legend(mode: ColorMode) -> Html {
    let shown = move |seen: &Seen| match mode {
        ColorMode::Status => !matches!(seen, Seen::Informed | Seen::Uninformed),
        ColorMode::Update => matches!(seen, Seen::Informed | Seen::Uninformed),
    };
    html! {
        <ul class="legend">
            { for draw::NODE_COLORS.iter().filter(|(seen, _, _)| shown(seen)).map(|(_, color, text)| html! {
                <li><span class="swatch" style={format!("background:{color}")}></span>{ *text }</li>
            }) }
            { for draw::MESSAGE_COLORS.iter().map(|(kind, color)| html! {
                <li><span class="swatch dot" style={format!("background:{color}")}></span>{ kind.name() }</li>
            }) }
        </ul>
    }
}
