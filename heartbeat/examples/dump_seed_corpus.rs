//! Writes real messages from a simulated run to fuzz/corpus/decode, as seeds for the
//! fuzzer. Run: `cargo run -p gossip-core --example dump_seed_corpus`.

use gossip_core::NodeId;
use gossip_core::hash::fnv1a;
use gossip_core::sim::{Bootstrap, SimConfig, Simulator};
use gossip_heartbeat::Node;
use gossip_heartbeat::NodeConfig;

fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/decode");
    std::fs::create_dir_all(&dir)?;
    let mut sim = Simulator::<Node>::new(SimConfig {
        nodes: 40,
        seed: 1,
        bootstrap: Bootstrap::Seeds,
        node: NodeConfig {
            seeds: vec![NodeId(0)],
            mtu: 400,
            ..NodeConfig::default()
        },
        ..SimConfig::default()
    })
    .expect("valid config");
    let _ = sim.set(NodeId(3), "k", "v");
    let mut written = 0;
    for t in (500..20_000).step_by(1_700) {
        sim.advance_to(t);
        if t == 10_100 {
            sim.restart(NodeId(5));
        }
        for envelope in sim.in_flight().take(3) {
            let name = format!("seed-{:016x}", fnv1a(&envelope.bytes));
            std::fs::write(dir.join(name), &envelope.bytes)?;
            written += 1;
        }
    }
    println!("wrote {written} seed inputs to {}", dir.display());
    Ok(())
}
