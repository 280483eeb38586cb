//! Speed and memory of the protocol and the simulator, natively. Run with
//! `cargo bench -p gossip-core --bench gossip`; BENCHMARKS.md has the figures.
//!
//! - `exchange/N`: one Syn → Ack → Ack2 between two nodes of a converged cluster of
//!   N, through the wire format (encode, decode, answer, apply).
//! - `round/N`: one simulated round of a converged cluster of N (every node ticks
//!   once, every message is delivered); its throughput is node-rounds per second.
//! - `pair_exchange/N`: one exchange between two nodes that know every endpoint of a
//!   cluster of N, without the rest of the cluster, so that N = 10,000 fits in memory
//!   (a whole cluster holds N² endpoint states: BENCHMARKS.md).
//!
//! Before the timings it prints the heap allocations of one round: after 5 rounds,
//! while the detectors' windows are still being allocated (each endpoint pair
//! allocates its window when it learns its first gap), and at N = 100 after 150
//! rounds, when they all are.

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gossip_core::NodeId;
use gossip_core::sim::{SimConfig, Simulator};
use gossip_heartbeat::NodeConfig;
use gossip_heartbeat::message::{Delta, Message};
use gossip_heartbeat::node::Node;
use gossip_heartbeat::state::{Status, Value};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;
use std::hint::black_box;

#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Cluster sizes measured. 10,000 is left out: a converged cluster holds N² endpoint
/// states (BENCHMARKS.md).
const SIZES: [u32; 2] = [100, 1_000];

/// A converged cluster of `nodes` after `rounds` rounds.
fn after(nodes: u32, rounds: u64) -> Simulator<Node> {
    let mut sim = Simulator::<Node>::new(SimConfig {
        nodes,
        seed: 7,
        ..SimConfig::default()
    })
    .expect("a valid configuration");
    sim.run_rounds(rounds);
    sim
}

/// A converged cluster of `nodes` after a few rounds, in steady state.
fn steady(nodes: u32) -> Simulator<Node> {
    after(nodes, 5)
}

/// Two members of a cluster of `nodes`: each knows every endpoint, having heard
/// three heartbeats of each a second apart (so every detector has a history), and
/// `b` missed the last one. Built from the members' own states alone, not from a
/// whole cluster.
fn pair(nodes: u32) -> (Node, Node, u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let config = NodeConfig {
        seeds: vec![NodeId(0)],
        ..NodeConfig::default()
    };
    let mut members: Vec<Node> = (0..nodes)
        .map(|id| {
            let mut node = Node::new(NodeId(id), 1, config.clone(), 0).expect("valid");
            let tokens = (0..4).map(|_| rng.random()).collect();
            node.set(Value::Status(Status::Normal), 0).expect("fits");
            node.set(Value::Tokens(tokens), 0).expect("fits");
            node
        })
        .collect();
    let (mut a, mut b) = (members[1].clone(), members[2].clone());
    for second in 1..=3 {
        let now = second * 1_000;
        for member in &mut members {
            member.tick(now, &mut rng);
        }
        let everything = Message::Ack2 {
            deltas: members
                .iter()
                .filter_map(|member| match member.whole_state() {
                    Some(Message::Ack2 { deltas }) => deltas.into_iter().next(),
                    _ => None,
                })
                .collect::<Vec<Delta>>(),
        };
        a.handle(NodeId(0), everything.clone(), now).expect("valid");
        if second < 3 {
            b.handle(NodeId(0), everything, now).expect("valid");
        }
    }
    (a, b, 3_000)
}

/// One exchange from `a` to `b`: the Syn, b's Ack, a's Ack2, b applying it.
fn exchange(a: &mut Node, b: &mut Node, now: u64, rng: &mut ChaCha8Rng) {
    let syn = a.tick(now, rng).into_iter().next().expect("a Syn");
    let bytes = a.encode(&syn.message);
    let ack = b
        .handle_bytes(a.id(), &bytes, now)
        .expect("valid")
        .expect("an Ack");
    let bytes = b.encode(&ack.message);
    if let Some(ack2) = a.handle_bytes(b.id(), &bytes, now).expect("valid") {
        let bytes = a.encode(&ack2.message);
        black_box(b.handle_bytes(a.id(), &bytes, now).expect("valid"));
    }
}

fn allocations_per_round() {
    for (nodes, rounds) in [(100, 5), (100, 150), (1_000, 5)] {
        let mut sim = after(nodes, rounds);
        let region = Region::new(ALLOCATOR);
        sim.run_rounds(1);
        let change = region.change();
        eprintln!(
            "allocations in round {} at N = {nodes}: {} ({} per node), {} reallocations, {} bytes",
            rounds + 1,
            change.allocations,
            change.allocations / nodes as usize,
            change.reallocations,
            change.bytes_allocated
        );
    }
}

fn benches(c: &mut Criterion) {
    allocations_per_round();
    let mut group = c.benchmark_group("exchange");
    for nodes in SIZES {
        let sim = steady(nodes);
        let now = sim.now();
        group.bench_function(BenchmarkId::from_parameter(nodes), |bench| {
            let mut rng = ChaCha8Rng::seed_from_u64(1);
            bench.iter_batched(
                || (sim.nodes()[1].clone(), sim.nodes()[2].clone()),
                // Returned, so that dropping them is not timed.
                |(mut a, mut b)| {
                    exchange(&mut a, &mut b, now, &mut rng);
                    (a, b)
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();

    let mut group = c.benchmark_group("pair_exchange");
    for nodes in [100, 1_000, 10_000] {
        let (a, b, now) = pair(nodes);
        group.bench_function(BenchmarkId::from_parameter(nodes), |bench| {
            let mut rng = ChaCha8Rng::seed_from_u64(1);
            bench.iter_batched(
                || (a.clone(), b.clone()),
                |(mut a, mut b)| {
                    exchange(&mut a, &mut b, now + 1_000, &mut rng);
                    (a, b)
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();

    let mut group = c.benchmark_group("round");
    group.sample_size(10);
    for nodes in SIZES {
        let mut sim = steady(nodes);
        group.throughput(Throughput::Elements(u64::from(nodes)));
        group.bench_function(BenchmarkId::from_parameter(nodes), |bench| {
            bench.iter(|| sim.run_rounds(1));
        });
    }
    group.finish();
}

criterion_group!(gossip, benches);
criterion_main!(gossip);
