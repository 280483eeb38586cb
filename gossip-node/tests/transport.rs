//! Each transport passes the one suite (`gossip_node::transport::conformance`).

use gossip_node::transport::{Udp, conformance};

#[test]
fn udp_keeps_the_transport_contract_on_loopback() {
    conformance::check(|| Udp::bind("127.0.0.1:0".parse().unwrap()).expect("bind on loopback"));
}
