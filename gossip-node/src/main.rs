//! `gossip-node`: one Gossip Lab node on a real UDP socket, printing its events as
//! JSON Lines (`driver.rs`, `event.rs`); `gossip-node cluster` starts a local
//! cluster of them and runs a scenario on it (`cluster.rs`, `measurements.rs`). See the
//! guide's "A real cluster on this machine" (`book/src/gossip-node.md`).

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gossip_node::{cluster, driver, settings};

/// One gossip node on a UDP socket; `gossip-node cluster` for a local cluster.
#[derive(Debug, Parser)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Commands>,
    #[command(flatten)]
    node: NodeArgs,
}

#[derive(Debug, Subcommand)]
enum Commands {
    /// Start a local cluster of nodes, run a scenario on it, print a JSON summary.
    Cluster(cluster::ClusterArgs),
}

/// One node.
#[derive(Debug, clap::Args)]
struct NodeArgs {
    /// Where to listen: a specific address, which is the node's identity (port 0:
    /// any free port).
    #[arg(long, default_value = "127.0.0.1:7000")]
    listen: SocketAddr,
    /// A seed's address; repeat for several. A node starts knowing only these.
    #[arg(long = "seed")]
    seeds: Vec<SocketAddr>,
    /// The generation to start in. Default: the Unix time in seconds, as Cassandra.
    #[arg(long)]
    generation: Option<u32>,
    /// Positions on the hash ring, drawn at random.
    #[arg(long, default_value_t = gossip_heartbeat::NodeConfig::default().tokens)]
    tokens: u32,
    /// Take commands on stdin (`block ADDRESS...`, `heal`, `set KEY VALUE`,
    /// `leave`), and leave when stdin closes: how the launcher drives a node.
    #[arg(long)]
    control: bool,
    #[command(flatten)]
    settings: settings::Settings,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Commands::Cluster(args)) => cluster::run(&args).and_then(|summary| {
            let text = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
            println!("{text}");
            Ok(())
        }),
        None => node(cli.node),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gossip-node: {e}");
            ExitCode::FAILURE
        }
    }
}

fn node(args: NodeArgs) -> Result<(), String> {
    let config = args.settings.node_config()?;
    driver::run(driver::Options {
        listen: args.listen,
        seeds: args.seeds,
        generation: args.generation,
        tokens: args.tokens,
        control: args.control,
        config,
    })
}
