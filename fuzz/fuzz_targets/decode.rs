//! Untrusted bytes into a node: decoding must never panic, and neither must handling
//! whatever decodes. Run: `cargo +nightly fuzz run decode` (from the repository root).
#![no_main]

use gossip_core::NodeId;
use gossip_heartbeat::{Node, NodeConfig};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut node = Node::new(NodeId(0), 1, NodeConfig::default(), 0).expect("default config is valid");
    // The generation check reads the clock: try both a young and an old one.
    for now in [0, 1 << 40] {
        if let Ok(Some(reply)) = node.handle_bytes(NodeId(1), data, now) {
            assert!(node.encode(&reply.message).len() <= node.config().mtu);
        }
    }
});
