//! A node's identity: its address, as in Cassandra, carried as a 32-bit id (the
//! address's hash, [`id_of`]) in the protocol. Two addresses can hash alike: about
//! 3 % odds somewhere in a cluster of 16,384 nodes. Such a collision is refused and
//! reported, never two nodes silently taken for one: [`Addresses`] binds each id to
//! the first address seen with it, and names any other that claims it.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;

use gossip_core::NodeId;
use gossip_core::hash::fnv1a;

/// The id of the endpoint at `address`.
pub fn id_of(address: &SocketAddr) -> NodeId {
    let hash = fnv1a(address.to_string().as_bytes());
    NodeId((hash ^ (hash >> 32)) as u32)
}

/// Two addresses with one id: the one bound first is kept, the other refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Collision {
    /// The id both hash to.
    pub id: NodeId,
    /// The address the id is bound to.
    pub kept: SocketAddr,
    /// The address that claimed it too.
    pub refused: SocketAddr,
}

impl fmt::Display for Collision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} has the id {} of {}: start it on another port",
            self.refused, self.id.0, self.kept
        )
    }
}

/// Where each known endpoint listens, this node's own address first.
#[derive(Debug, Clone)]
pub struct Addresses {
    by_id: HashMap<NodeId, SocketAddr>,
}

impl Addresses {
    /// Only this node's own address, at `own`.
    pub fn new(own: SocketAddr) -> Self {
        Self {
            by_id: HashMap::from([(id_of(&own), own)]),
        }
    }

    /// The id of `address`, unless it is bound to another address: a collision.
    pub fn check(&self, address: SocketAddr) -> Result<NodeId, Collision> {
        let id = id_of(&address);
        match self.by_id.get(&id) {
            Some(&kept) if kept != address => Err(Collision {
                id,
                kept,
                refused: address,
            }),
            _ => Ok(id),
        }
    }

    /// Binds `address`'s id to it ([`Addresses::check`] first), and returns the id.
    pub fn learn(&mut self, address: SocketAddr) -> Result<NodeId, Collision> {
        let id = self.check(address)?;
        self.by_id.insert(id, address);
        Ok(id)
    }

    /// Where `id` listens, if known.
    pub fn get(&self, id: NodeId) -> Option<SocketAddr> {
        self.by_id.get(&id).copied()
    }
}

/// The first two of `candidates` whose ids collide, if any: a birthday search, so
/// a few hundred thousand addresses hold a pair almost surely. What a test uses to
/// make a collision, and an operator to check a plan of addresses.
pub fn first_collision(
    candidates: impl IntoIterator<Item = SocketAddr>,
) -> Option<(SocketAddr, SocketAddr)> {
    let mut seen = HashMap::new();
    candidates.into_iter().find_map(|address| {
        let first = seen.insert(id_of(&address), address)?;
        (first != address).then_some((first, address))
    })
}

/// Every loopback address of 127.0.0.1 to 127.0.0.8 on an unprivileged port: where
/// the tests look for a collision.
pub fn loopback_candidates() -> impl Iterator<Item = SocketAddr> {
    (1..=8_u8).flat_map(|host| {
        (1024..=u16::MAX).map(move |port| SocketAddr::from(([127, 0, 0, host], port)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colliding_pair() -> (SocketAddr, SocketAddr) {
        first_collision(loopback_candidates()).expect("two loopback addresses collide")
    }

    #[test]
    fn two_addresses_with_one_id_are_refused_and_named_never_merged() {
        let (first, second) = colliding_pair();
        assert_ne!(first, second);
        assert_eq!(
            id_of(&first),
            id_of(&second),
            "the search found a collision"
        );
        let own = SocketAddr::from(([127, 0, 0, 1], 7000));
        let mut addresses = Addresses::new(own);
        assert_eq!(addresses.learn(first), Ok(id_of(&first)));
        let collision = addresses.learn(second).unwrap_err();
        assert_eq!(
            collision,
            Collision {
                id: id_of(&first),
                kept: first,
                refused: second
            }
        );
        assert_eq!(
            addresses.get(id_of(&first)),
            Some(first),
            "the first is kept"
        );
        assert_eq!(addresses.learn(first), Ok(id_of(&first)), "and still known");
        let text = collision.to_string();
        assert!(
            text.contains(&first.to_string()) && text.contains(&second.to_string()),
            "{text}"
        );
    }

    #[test]
    fn an_address_with_this_nodes_own_id_is_refused() {
        let (own, other) = colliding_pair();
        let mut addresses = Addresses::new(own);
        assert_eq!(addresses.learn(own), Ok(id_of(&own)));
        assert_eq!(addresses.learn(other).unwrap_err().kept, own);
    }
}
