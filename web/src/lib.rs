//! # gossip-web
//!
//! The browser front-end of Gossip Lab. It owns a [`gossip_core::sim::Simulator`],
//! advances it on every animation frame and draws the nodes and the messages in
//! flight on a canvas.
//!
//! - [`app`]: the one component; it owns the animation loop and the controls.
//! - [`draw`]: paints one frame of the simulation onto a 2D canvas context.
//! - [`layout`]: where each node sits on the canvas (pure geometry).
//! - [`seed`]: the run's seed, from `?seed=N` or from the browser's randomness.

pub mod app;
pub mod charts;
pub mod draw;
pub mod inspector;
pub mod layout;
pub mod model;
pub mod params;
pub mod presets;
pub mod seed;
pub mod theory;

pub use app::App;
