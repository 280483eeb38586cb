//! Replays the fuzzer's corpus on stable, as a regression test: every input that the
//! fuzzer kept (fuzz/corpus/decode) goes through decoding and a node's handling
//! without a panic, and well-formed ones still decode.

use std::path::Path;

use gossip_core::NodeId;
use gossip_heartbeat::{Node, NodeConfig, wire};

#[test]
fn every_corpus_input_is_handled_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/decode");
    let (mut inputs, mut decoded) = (0, 0);
    for entry in std::fs::read_dir(&dir).expect("the corpus is committed") {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut node = Node::new(NodeId(0), 1, NodeConfig::default(), 0).unwrap();
        for now in [0, 1 << 40] {
            if let Ok(Some(reply)) = node.handle_bytes(NodeId(1), &bytes, now) {
                assert!(node.encode(&reply.message).len() <= node.config().mtu);
            }
        }
        decoded += usize::from(wire::decode(&bytes).is_ok());
        inputs += 1;
    }
    println!("{inputs} corpus inputs, {decoded} decode");
    assert!(
        inputs >= 20,
        "only {inputs} corpus inputs in {}",
        dir.display()
    );
    assert!(
        decoded >= 10,
        "only {decoded} inputs decode: the seeds are gone"
    );
}
