//! The heartbeat protocol as a member of the contract ([`crate::contract`]): how a
//! driver that knows no protocol boots, feeds and drains a [`Node`].

use alloc::vec::Vec;

use rand::{Rng, RngCore};

use super::{BootError, Node, NodeConfig, NodeConfigError, Protocol, Rejected};
use super::{boot_generation, restart_generation};
use crate::contract::{Member, MemberConfig, NodeEvent, Seen, Transmit, Update, ValueTooLarge};
use crate::message::MessageKind;
use crate::state::Value;
use crate::{Millis, NodeId};

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
        let out = match self.config.protocol {
            Protocol::Gossip => self.tick(now, rng),
            Protocol::AllToAll => self.tick_all_to_all(now),
        };
        self.outbox.extend(out);
    }

    fn handle_datagram(&mut self, from: NodeId, bytes: &[u8], now: Millis) -> Result<(), Rejected> {
        if let Some(reply) = self.handle_bytes(from, bytes, now)? {
            self.outbox.push_back(reply);
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
        let out = self.outbox.pop_front()?;
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
        self.events.pop_front()
    }

    fn id(&self) -> NodeId {
        self.id
    }

    fn life(&self) -> crate::contract::Life {
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
