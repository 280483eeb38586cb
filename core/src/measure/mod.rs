//! What a run's events say, by one set of rules for the simulator and for a real
//! cluster (`gossip-node cluster`), so that their figures compare: detections,
//! false convictions and resurrections ([`Tally`]), and detection times summarized
//! ([`Distribution`]). Apart from the simulator, so that a driver of real nodes
//! measures without one.

mod distribution;
mod tally;

pub use distribution::Distribution;
pub use tally::{Down, ECHO_MS, Tally, Truth};
