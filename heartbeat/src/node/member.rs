//! The heartbeat protocol as a member of the contract ([`gossip_core::contract`]): how a
//! driver that knows no protocol boots, feeds and drains a [`Node`].

use alloc::vec::Vec;

use rand::{Rng, RngCore};

use super::{BootError, Node, NodeConfig, NodeConfigError, Protocol, Rejected};
use super::{boot_generation, restart_generation};
use crate::message::MessageKind;
use crate::state::Value;
use gossip_core::contract::{
    Member, MemberConfig, NodeEvent, Seen, Transmit, Update, ValueTooLarge,
};
use gossip_core::{Millis, NodeId};

impl MemberConfig for NodeConfig {
    type Error = NodeConfigError;

    fn validate(&self) -> Result<(), NodeConfigError> {
        NodeConfig::validate(self)
    }

    fn period_ms(&self) -> Millis {
        self.interval_ms
    }

    fn seeds(&self) -> &[NodeId] {
        &self.seeds
    }

    fn max_message(&self) -> usize {
        self.mtu
    }

    /// Cassandra's one-second round ([`NodeConfig::default`]), node 0 the seed.
    fn cluster_default() -> Self {
        NodeConfig {
            seeds: alloc::vec![NodeId(0)],
            ..NodeConfig::default()
        }
    }

    /// In the papers' rounds a node never forwards fresh news
    /// ([`NodeConfig::forward_news`]), so that what is learned in a round travels
    /// on only from the next, as the reference convergence figures assume.
    fn for_rounds(mut self) -> Self {
        self.forward_news = false;
        self
    }
}

/// A boot error as a configuration error: the tokens a member draws are
/// `config.tokens`, which [`NodeConfig::validate`] checks fit.
fn config_error(error: BootError, config: &NodeConfig) -> NodeConfigError {
    match error {
        BootError::Config(e) => e,
        BootError::Tokens(_) => NodeConfigError::TokensOverMtu {
            tokens: config.tokens,
            mtu: config.mtu,
        },
    }
}

impl Member for Node {
    type Config = NodeConfig;
    type Rejected = Rejected;
    const PROTOCOL: &'static str = "heartbeat";
    const KINDS: &'static [&'static str] = &MessageKind::NAMES;

    fn boot(
        id: NodeId,
        config: NodeConfig,
        now: Millis,
        rng: &mut impl RngCore,
    ) -> Result<Self, NodeConfigError> {
        let tokens = (0..config.tokens).map(|_| rng.random()).collect();
        Node::boot(id, boot_generation(now), config.clone(), tokens, now)
            .map_err(|e| config_error(e, &config))
    }

    fn reboot(
        &self,
        config: NodeConfig,
        now: Millis,
        _rng: &mut impl RngCore,
    ) -> Result<Self, NodeConfigError> {
        let generation = restart_generation(self.generation(), now);
        let tokens = self
            .view()
            .get(self.id)
            .map(|s| s.tokens().to_vec())
            .unwrap_or_default();
        Node::boot(self.id, generation, config.clone(), tokens, now)
            .map_err(|e| config_error(e, &config))
    }

    fn converge(members: &mut [Self]) {
        let own: Vec<_> = members
            .iter()
            .filter_map(|n| Some((n.id, n.view.get(n.id)?.clone())))
            .collect();
        for node in members {
            node.adopt_all(&own);
        }
    }

    fn handle_timeout(&mut self, now: Millis, rng: &mut impl RngCore) {
        let mut out = match self.config.protocol {
            Protocol::Gossip => self.tick(now, rng),
            Protocol::AllToAll => self.tick_all_to_all(now),
        };
        // Last first: `poll_transmit` pops from the end, after what was pending.
        out.reverse();
        out.append(&mut self.outbox);
        self.outbox = out;
    }

    fn handle_datagram(&mut self, from: NodeId, bytes: &[u8], now: Millis) -> Result<(), Rejected> {
        if let Some(reply) = self.handle_bytes(from, bytes, now)? {
            self.outbox.insert(0, reply);
        }
        Ok(())
    }

    fn set(&mut self, key: &str, value: &str, now: Millis) -> Result<Update, ValueTooLarge> {
        let value = Value::User {
            key: key.into(),
            value: value.into(),
        };
        let version = Node::set(self, value, now)?;
        Ok(Update {
            origin: self.id,
            life: self.generation(),
            version,
        })
    }

    fn leave(&mut self, now: Millis) {
        Node::leave(self, now);
    }

    fn introduce(&mut self, contact: NodeId) {
        if !self.config.seeds.contains(&contact) {
            self.config.seeds.push(contact);
        }
    }

    fn reconfigure(&mut self, config: NodeConfig) -> Result<(), NodeConfigError> {
        Node::reconfigure(self, config)
    }

    fn poll_transmit(&mut self, buf: &mut Vec<u8>) -> Option<Transmit> {
        let out = self.outbox.pop()?;
        *buf = self.encode_into(&out.message, core::mem::take(buf));
        Some(Transmit {
            to: out.to,
            kind: out.message.kind().index(),
        })
    }

    fn poll_timeout(&self) -> Option<Millis> {
        Some(self.next_deadline())
    }

    fn poll_event(&mut self) -> Option<NodeEvent> {
        let event = self.events.get(self.events_read).copied();
        match event {
            Some(_) => self.events_read += 1,
            None => {
                self.events.clear();
                self.events_read = 0;
            }
        }
        event
    }

    fn id(&self) -> NodeId {
        self.id
    }

    fn life(&self) -> gossip_core::contract::Life {
        self.generation()
    }

    fn seen(&self, of: NodeId, now: Millis) -> Option<Seen> {
        let (reachability, score) = self.reachability(of, now)?;
        let state = self.view.get(of)?;
        Some(Seen {
            reachability,
            score,
            life: state.generation(),
            version: state.max_version(),
        })
    }

    fn members(&self) -> usize {
        self.view.len()
    }

    fn knows(&self, update: &Update) -> bool {
        self.view.get(update.origin).is_some_and(|known| {
            known.generation() == update.life && known.max_version() >= update.version
        })
    }

    fn has_left(&self) -> bool {
        Node::has_left(self)
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec;

    use super::*;
    use crate::node::{MAX_TOKENS_PER_NODE, MIN_MTU};
    use gossip_core::sim::{ConfigError, MAX_NODES, PPM, SimConfig, Timing};

    #[test]
    fn a_heartbeat_cluster_is_refused_with_a_reason() {
        let ok = SimConfig::<NodeConfig>::default();
        assert_eq!(ok.validate(), Ok(()));
        let bad = |change: fn(&mut SimConfig<NodeConfig>)| {
            let mut config = SimConfig::default();
            change(&mut config);
            config.validate().unwrap_err()
        };
        assert_eq!(bad(|c| c.nodes = 0), ConfigError::NodeCount(0));
        assert_eq!(
            bad(|c| c.nodes = MAX_NODES + 1),
            ConfigError::NodeCount(MAX_NODES + 1)
        );
        assert_eq!(
            bad(|c| c.node.interval_ms = 0),
            ConfigError::Member(NodeConfigError::ZeroInterval)
        );
        assert!(matches!(
            bad(|c| c.timing = Timing::Continuous {
                mean_ms: Millis::MAX,
                jitter_ms: 0
            }),
            ConfigError::Latency { .. }
        ));
        assert_eq!(bad(|c| c.loss_ppm = PPM + 1), ConfigError::Loss(PPM + 1));
        assert_eq!(
            bad(|c| c.node.tokens = 65),
            ConfigError::Member(NodeConfigError::Tokens(65))
        );
        assert_eq!(
            bad(|c| c.node.seeds = vec![NodeId(16)]),
            ConfigError::Seed(NodeId(16))
        );
        assert_eq!(
            bad(|c| c.node.mtu = 10),
            ConfigError::Member(NodeConfigError::Mtu(10))
        );
        assert!(bad(|c| c.node.fanout = 0).to_string().contains("fanout"));
        // At the smallest MTU, 64 tokens (each up to 10 bytes) cannot travel.
        let too_many = bad(|c| {
            c.node.mtu = MIN_MTU;
            c.node.tokens = MAX_TOKENS_PER_NODE;
        });
        assert_eq!(
            too_many,
            ConfigError::Member(NodeConfigError::TokensOverMtu {
                tokens: 64,
                mtu: MIN_MTU
            })
        );
        let text = too_many.to_string();
        assert!(
            text.contains("tokens per node") && text.contains("MTU"),
            "{text}"
        );
    }
}
