//! What a scenario's steps do to a cluster, whichever cluster runs them: the
//! simulator, or `gossip-node`'s real processes. [`crate::Player`] reads each step
//! and works out its arguments once (a partition's sides, the update's key and
//! value); a cluster only carries them out.

use gossip_core::sim::{self, Link, SimConfig, Simulator, Timing, Update, loss_ppm};
use gossip_core::{Millis, NodeId};
use gossip_heartbeat::Node;
use gossip_heartbeat::NodeConfig;
use gossip_heartbeat::state::Generation;

use crate::SettingsLine;
use crate::apply::{self, Refusal};

/// The key an `update` step sets: the news a viewer follows as it spreads.
pub const UPDATE_KEY: &str = "update";

/// A cluster a scenario acts on. Each step's effect is a call here; a refusal names
/// the field to blame and why. The steps only a simulator can take (a link's own
/// network, an introduction, new settings) are refused by default.
pub trait ClusterControl {
    /// The cluster's clock, in ms: what an update's value says it was made at.
    fn now(&self) -> Millis;
    /// Nodes started so far, crashed and gone ones included: ids 0 to this − 1.
    fn node_count(&self) -> u32;
    /// The generation node `id` runs in, or ran in last.
    fn generation(&self, id: NodeId) -> Option<Generation>;
    /// The node stops sending and receiving at once.
    fn crash(&mut self, id: NodeId) -> Result<(), Refusal>;
    /// The node comes back knowing only its seeds, with its tokens, in a newer
    /// generation ([`gossip_heartbeat::node::restart_generation`]), which it returns.
    fn restart(&mut self, id: NodeId) -> Result<Generation, Refusal>;
    /// The node leaves gracefully ([`gossip_heartbeat::Node::leave`]).
    fn leave(&mut self, id: NodeId) -> Result<(), Refusal>;
    /// A new node joins through the seeds, with the next free id.
    fn join(&mut self) -> Result<(), Refusal>;
    /// The node sets `key` to `value`; the news to follow, where the cluster can tell.
    fn update(&mut self, id: NodeId, key: &str, value: String) -> Result<Option<Update>, Refusal>;
    /// Every node on its side, `sides[id]`: messages between sides are lost.
    fn partition(&mut self, sides: &[u32]) -> Result<(), Refusal>;
    /// Every partition ends.
    fn heal(&mut self) -> Result<(), Refusal>;
    /// One direction of one link gets its own loss and latency.
    fn link(&mut self, _from: NodeId, _to: NodeId, _link: &LinkChange) -> Result<(), Refusal> {
        Err(("link", "a link's own network needs the simulator".into()))
    }
    /// `node` is told of `contact`, which it then reconciles with as with a seed.
    fn introduce(&mut self, _node: NodeId, _contact: NodeId) -> Result<(), Refusal> {
        Err(("introduce", "an introduction needs the simulator".into()))
    }
    /// New settings for the whole cluster.
    fn configure(&mut self, _settings: &SettingsLine) -> Result<(), Refusal> {
        Err((
            "set",
            "changing settings mid-run needs the simulator".into(),
        ))
    }
}

impl crate::Action {
    /// True for the steps only a simulator takes, which [`ClusterControl`] refuses
    /// by default: a link's own network, an introduction, new settings. A cluster
    /// of real nodes refuses a file with one before anything starts.
    pub fn needs_the_simulator(&self) -> bool {
        matches!(
            self,
            crate::Action::Link { .. } | crate::Action::Introduce { .. } | crate::Action::Set(_)
        )
    }
}

/// A `link` step's fields: those left out follow the cluster-wide network, and with
/// none the link goes back to it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LinkChange {
    /// Loss in percent.
    pub loss: Option<f64>,
    /// Mean latency in ms.
    pub latency_ms: Option<u64>,
    /// Latency jitter in ms.
    pub jitter_ms: Option<u64>,
}

impl ClusterControl for Simulator<Node> {
    fn now(&self) -> Millis {
        Simulator::now(self)
    }

    fn node_count(&self) -> u32 {
        self.nodes().len() as u32
    }

    fn generation(&self, id: NodeId) -> Option<Generation> {
        Some(self.nodes().get(id.0 as usize)?.generation())
    }

    fn crash(&mut self, id: NodeId) -> Result<(), Refusal> {
        Simulator::crash(self, id);
        Ok(())
    }

    fn restart(&mut self, id: NodeId) -> Result<Generation, Refusal> {
        Simulator::restart(self, id).ok_or(("restart", format!("there is no node {}", id.0)))
    }

    fn leave(&mut self, id: NodeId) -> Result<(), Refusal> {
        Simulator::leave(self, id);
        Ok(())
    }

    fn join(&mut self) -> Result<(), Refusal> {
        Simulator::join(self)
            .map(drop)
            .ok_or(("join", "no free id".into()))
    }

    fn update(&mut self, id: NodeId, key: &str, value: String) -> Result<Option<Update>, Refusal> {
        match self.set(id, key, &value) {
            Some(Ok(update)) => Ok(Some(update)),
            Some(Err(e)) => Err(("update", e.to_string())),
            None => Ok(None),
        }
    }

    fn partition(&mut self, sides: &[u32]) -> Result<(), Refusal> {
        self.set_sides(sides);
        Ok(())
    }

    fn heal(&mut self) -> Result<(), Refusal> {
        Simulator::heal(self);
        Ok(())
    }

    fn link(&mut self, from: NodeId, to: NodeId, change: &LinkChange) -> Result<(), Refusal> {
        let link = link(self.config(), change)?;
        self.set_link(from, to, link).map_err(apply::blame)
    }

    fn introduce(&mut self, node: NodeId, contact: NodeId) -> Result<(), Refusal> {
        Simulator::introduce(self, node, contact);
        Ok(())
    }

    fn configure(&mut self, settings: &SettingsLine) -> Result<(), Refusal> {
        let mut config = self.config().clone();
        apply::settings(&mut config, settings)?;
        self.reconfigure(config).map_err(apply::blame)
    }
}

/// The sides of a `split` into `groups` of `nodes` nodes: node `i` in group
/// `i mod groups`.
pub(crate) fn split_sides(groups: u32, nodes: u32) -> Vec<u32> {
    let groups: Vec<Vec<NodeId>> = (0..groups)
        .map(|g| (0..nodes).filter(|i| i % groups == g).map(NodeId).collect())
        .collect();
    sim::sides(&groups, nodes as usize)
}

/// The link a `link` step asks for, filled in from the cluster-wide network;
/// `Ok(None)` sends the link back to it.
pub(crate) fn link(
    config: &SimConfig<NodeConfig>,
    change: &LinkChange,
) -> Result<Option<Link>, Refusal> {
    let LinkChange {
        loss,
        latency_ms,
        jitter_ms,
    } = *change;
    if loss.is_none() && latency_ms.is_none() && jitter_ms.is_none() {
        return Ok(None);
    }
    let (mean, jitter) = match config.timing {
        Timing::Continuous { mean_ms, jitter_ms } => (mean_ms, jitter_ms),
        Timing::Rounds if latency_ms.is_some() || jitter_ms.is_some() => {
            return Err(("latency_ms", "the rounds timing has no latency".into()));
        }
        Timing::Rounds => (0, 0),
    };
    let loss_ppm = match loss {
        Some(percent) => {
            loss_ppm(percent).ok_or(("loss", format!("{percent} % is not 0 to 100")))?
        }
        None => config.loss_ppm,
    };
    let link = Link {
        loss_ppm,
        mean_ms: latency_ms.unwrap_or(mean),
        jitter_ms: jitter_ms.unwrap_or(jitter),
    };
    link.validate().map_err(apply::blame)?;
    Ok(Some(link))
}
