//! The laws every [`Member`] must keep, as one suite that any protocol's tests run
//! (as chitchat runs one suite over every transport): `conformance::check::<M>(..)`.
//!
//! - **Garbage changes nothing.** Bytes that are not a message are refused; the
//!   member sends nothing, notices nothing, and runs on exactly as a copy that never
//!   saw them. A simulator counts them ([`crate::sim::Stats::rejected`]).
//! - **Time never goes back.** [`Member::poll_timeout`] never names a moment
//!   earlier than one it named before.
//! - **Leaving ends.** After [`Member::leave`], the member [`Member::has_left`]
//!   within a bounded number of its rounds.
//! - **A clone is a checkpoint.** A clone given the same inputs sends the same bytes
//!   and reports the same events as the original.
//! - **Every message fits.** No transmit is longer than
//!   [`MemberConfig::max_message`], whatever the cluster's size and news.
//!
//! A failed law panics with what broke: this is test support, never run on input.

use alloc::vec;
use alloc::vec::Vec;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::contract::{Member, MemberConfig, NodeEvent};
use crate::sim::{Bootstrap, DEFAULT_TIMING, SimConfig, Simulator};
use crate::{Millis, NodeId};

/// How many rounds a leaving member may take to have left.
pub const MAX_LEAVE_ROUNDS: u32 = 100;

/// One datagram or timeout's worth of what a member put out.
type Output = (Vec<(NodeId, u8, Vec<u8>)>, Vec<NodeEvent>);

/// A small cluster of members of one protocol that start converged, driven by
/// hand: each round every member's timeout fires and every message is carried at
/// once.
struct Bench<M: Member> {
    members: Vec<M>,
    rng: ChaCha8Rng,
    now: Millis,
    /// The last timeout each member named, to check it never goes back.
    timeouts: Vec<Option<Millis>>,
}

impl<M: Member> Bench<M> {
    fn new(config: &M::Config, nodes: u32, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut members: Vec<M> = (0..nodes)
            .map(|id| M::boot(NodeId(id), config.clone(), 0, &mut rng).expect("a valid config"))
            .collect();
        M::converge(&mut members);
        let timeouts = members.iter().map(Member::poll_timeout).collect();
        Self {
            members,
            rng,
            now: 0,
            timeouts,
        }
    }

    /// Drains what member `at` wants sent and what it noticed, and checks its
    /// timeout did not go back.
    fn drain(&mut self, at: usize) -> Output {
        let member = &mut self.members[at];
        let mut buf = Vec::new();
        let mut sent = Vec::new();
        while let Some(t) = member.poll_transmit(&mut buf) {
            sent.push((t.to, t.kind, buf.clone()));
        }
        let events = core::iter::from_fn(|| member.poll_event()).collect();
        let timeout = member.poll_timeout();
        let before = self.timeouts[at];
        assert!(
            timeout >= before || before.is_none(),
            "{}: member {at}'s timeout went back from {before:?} to {timeout:?}",
            M::PROTOCOL
        );
        self.timeouts[at] = timeout;
        (sent, events)
    }

    /// One round: every member's timeout, then every message until none is left.
    fn round(&mut self) -> Vec<Output> {
        let mut outputs = Vec::new();
        let mut wire = Vec::new();
        for at in 0..self.members.len() {
            if self.members[at].has_left() {
                continue;
            }
            self.members[at].handle_timeout(self.now, &mut self.rng);
            let (sent, events) = self.drain(at);
            carry(&mut wire, at, &sent);
            outputs.push((sent, events));
        }
        while let Some((from, to, bytes)) = wire.pop() {
            let at = to.0 as usize;
            if at >= self.members.len() || self.members[at].has_left() {
                continue;
            }
            let now = self.now;
            self.members[at]
                .handle_datagram(from, &bytes, now)
                .unwrap_or_else(|e| panic!("{}: an honest message was refused: {e}", M::PROTOCOL));
            let (sent, events) = self.drain(at);
            carry(&mut wire, at, &sent);
            outputs.push((sent, events));
        }
        outputs
    }

    fn run(&mut self, rounds: u32, period: Millis) -> Vec<Output> {
        let mut outputs = Vec::new();
        for _ in 0..rounds {
            outputs.extend(self.round());
            self.now += period;
        }
        outputs
    }
}

/// Puts what member `at` sent on the bench's wire: (from, to, bytes).
fn carry(wire: &mut Vec<(NodeId, NodeId, Vec<u8>)>, at: usize, sent: &[(NodeId, u8, Vec<u8>)]) {
    let from = NodeId(at as u32);
    wire.extend(sent.iter().map(|(to, _, bytes)| (from, *to, bytes.clone())));
}

/// Garbage of every kind a network or an attacker sends: empty, short, long,
/// random, and honest bytes cut short or with one bit flipped.
fn garbage(honest: &[u8], rng: &mut ChaCha8Rng) -> Vec<Vec<u8>> {
    let mut out = vec![Vec::new(), vec![0], vec![0xff; 3], vec![0; 70_000]];
    for len in [8, 64, 600] {
        out.push((0..len).map(|_| rng.random()).collect());
    }
    for cut in [1, honest.len() / 2, honest.len().saturating_sub(1)] {
        out.push(honest[..cut.min(honest.len())].to_vec());
    }
    let mut flipped = honest.to_vec();
    if let Some(byte) = flipped.first_mut() {
        *byte ^= 0x01;
    }
    out.push(flipped);
    out.retain(|bytes| bytes.as_slice() != honest);
    out
}

/// Runs every law on members of `M` booted with `config` (whose seeds must be
/// among the first few ids). Panics, naming the law and the protocol, on the first
/// that breaks.
pub fn check<M: Member>(config: &M::Config) {
    let period = config.period_ms();
    garbage_changes_nothing::<M>(config, period);
    leaving_ends::<M>(config, period);
    a_clone_runs_on_as_the_original::<M>(config, period);
    every_message_fits::<M>(config);
}

fn garbage_changes_nothing<M: Member>(config: &M::Config, period: Millis) {
    let mut bench = Bench::<M>::new(config, 6, 1);
    let outputs = bench.run(5, period);
    let honest = outputs
        .iter()
        .flat_map(|(sent, _)| sent)
        .map(|(_, _, bytes)| bytes.clone())
        .max_by_key(Vec::len)
        .unwrap_or_else(|| panic!("{}: five rounds sent nothing", M::PROTOCOL));
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    for bytes in garbage(&honest, &mut rng) {
        let mut hit = bench.members[1].clone();
        let untouched = hit.clone();
        assert!(
            hit.handle_datagram(NodeId(2), &bytes, bench.now).is_err(),
            "{}: {} garbage bytes were taken for a message",
            M::PROTOCOL,
            bytes.len()
        );
        let mut buf = Vec::new();
        assert!(
            hit.poll_transmit(&mut buf).is_none() && hit.poll_event().is_none(),
            "{}: garbage made the member send or notice something",
            M::PROTOCOL
        );
        assert_eq!(hit.poll_timeout(), untouched.poll_timeout());
        assert_eq!(hit.members(), untouched.members());
        same_future(hit, untouched, bench.now, period, "after garbage");
    }
    // A simulator counts what its members refuse.
    let mut sim = Simulator::<M>::new(sim_config(config, 4)).expect("a valid config");
    sim.advance_to(period * 3);
    let before = sim.stats();
    sim.inject(NodeId(0), NodeId(1), vec![0xde, 0xad]);
    assert_eq!(sim.stats().rejected, before.rejected + 1, "{}", M::PROTOCOL);
}

fn leaving_ends<M: Member>(config: &M::Config, period: Millis) {
    let mut bench = Bench::<M>::new(config, 4, 3);
    bench.run(3, period);
    let now = bench.now;
    bench.members[2].leave(now);
    bench.drain(2);
    for _ in 0..MAX_LEAVE_ROUNDS {
        if bench.members[2].has_left() {
            return;
        }
        bench.run(1, period);
    }
    panic!(
        "{}: a leaving member had not left after {MAX_LEAVE_ROUNDS} rounds",
        M::PROTOCOL
    );
}

/// Drives `a` and `b` alike through a few rounds in which each is sent what it
/// sends itself back, and checks they put out the same bytes and events.
fn same_future<M: Member>(mut a: M, mut b: M, start: Millis, period: Millis, when: &str) {
    let mut rng_a = ChaCha8Rng::seed_from_u64(9);
    let mut rng_b = rng_a.clone();
    let mut buf = Vec::new();
    for round in 1..=4 {
        let now = start + round * period;
        a.handle_timeout(now, &mut rng_a);
        b.handle_timeout(now, &mut rng_b);
        loop {
            let (ta, tb) = (a.poll_transmit(&mut buf), b.poll_transmit(&mut Vec::new()));
            assert_eq!(ta, tb, "{}: {when}, the two sent differently", M::PROTOCOL);
            if ta.is_none() {
                break;
            }
        }
        loop {
            let (ea, eb) = (a.poll_event(), b.poll_event());
            assert_eq!(
                ea,
                eb,
                "{}: {when}, the two noticed differently",
                M::PROTOCOL
            );
            if ea.is_none() {
                break;
            }
        }
        assert_eq!(a.poll_timeout(), b.poll_timeout());
    }
}

fn a_clone_runs_on_as_the_original<M: Member>(config: &M::Config, period: Millis) {
    let mut original = Bench::<M>::new(config, 6, 4);
    original.run(4, period);
    let mut copy = Bench {
        members: original.members.clone(),
        rng: original.rng.clone(),
        now: original.now,
        timeouts: original.timeouts.clone(),
    };
    let now = original.now;
    let _ = original.members[3].set("law", "clone", now);
    let _ = copy.members[3].set("law", "clone", now);
    assert_eq!(
        original.run(6, period),
        copy.run(6, period),
        "{}: a clone ran on differently",
        M::PROTOCOL
    );
}

fn every_message_fits<M: Member>(config: &M::Config) {
    let mut sim = Simulator::<M>::new(sim_config(config, 60)).expect("a valid config");
    let period = config.period_ms();
    for (n, id) in (0..60).step_by(7).enumerate() {
        let value = alloc::format!("{n:0>200}");
        let _ = sim.set(NodeId(id), "fill", &value);
        sim.advance_to(sim.now() + period);
    }
    sim.advance_to(sim.now() + 20 * period);
    let stats = sim.stats();
    assert!(stats.messages > 0, "{}: nothing was sent", M::PROTOCOL);
    assert_eq!(
        stats.over_mtu,
        0,
        "{}: messages over the limit",
        M::PROTOCOL
    );
    assert!(
        stats.max_message_bytes <= config.max_message(),
        "{}: a message of {} bytes, over {}",
        M::PROTOCOL,
        stats.max_message_bytes,
        config.max_message()
    );
}

fn sim_config<C: MemberConfig>(config: &C, nodes: u32) -> SimConfig<C> {
    SimConfig {
        nodes,
        seed: 5,
        timing: DEFAULT_TIMING,
        loss_ppm: 0,
        bootstrap: Bootstrap::Converged,
        node: config.clone(),
    }
}
