//! Writing a run as a scenario file: the inverse of parsing, so that a viewer can
//! save what its user did and any host replays it exactly. Lines are formatted by
//! hand (the page carries no JSON serializer); `tests/files.rs` reads every kind of
//! line back and checks it is the same.

use gossip_heartbeat::NodeConfig;
use std::fmt::{Display, Write};

use gossip_core::sim::{SimConfig, Timing, loss_percent};
use gossip_core::{Millis, Named, NodeId};

use crate::line::SettingsLine;
use crate::{Action, Step};

/// The setup line that starts a run of exactly `config`: every setting it has is
/// pinned (in `set`), so that the host's defaults do not matter.
pub fn setup_line(title: &str, config: &SimConfig<NodeConfig>) -> String {
    let latency = match config.timing {
        Timing::Continuous { mean_ms, jitter_ms } => Some((mean_ms, jitter_ms)),
        Timing::Rounds => None,
    };
    let node = &config.node;
    let settings = SettingsLine {
        loss: Some(loss_percent(config.loss_ppm)),
        latency_ms: latency.map(|l| l.0),
        jitter_ms: latency.map(|l| l.1),
        fanout: Some(node.fanout),
        mode: Some(node.mode),
        mtu: Some(node.mtu),
        protocol: Some(config.node.protocol),
        detector: Some(node.detector.model),
        threshold: Some(node.detector.threshold),
        forward_news: Some(node.forward_news),
        seeds: Some(node.seeds.iter().map(|s| s.0).collect()),
        profile: None,
    };
    let (bootstrap, timing) = (config.bootstrap.name(), config.timing.name());
    format!(
        "{{\"setup\": {{\"title\": {}, \"nodes\": {}, \"seed\": {}, \"interval_ms\": {}, \
         \"tokens\": {}, \"bootstrap\": \"{bootstrap}\", \"timing\": \"{timing}\", \"set\": {}}}}}",
        string(title),
        config.nodes,
        config.seed,
        config.node.interval_ms,
        config.node.tokens,
        settings_object(&settings),
    )
}

/// One step as its line.
pub fn step_line(step: &Step) -> String {
    let mut line = format!("{{\"at\": {}", seconds(step.at_ms));
    let ids = |group: &[NodeId]| list(group.iter().map(|n| n.0));
    let _ = match &step.action {
        None => Ok(()),
        Some(Action::Crash(n)) => write!(line, ", \"crash\": {}", n.0),
        Some(Action::Restart(n)) => write!(line, ", \"restart\": {}", n.0),
        Some(Action::Leave(n)) => write!(line, ", \"leave\": {}", n.0),
        Some(Action::Join(count)) => write!(line, ", \"join\": {count}"),
        Some(Action::Update(n)) => write!(line, ", \"update\": {}", n.0),
        Some(Action::Partition(groups)) => {
            let groups: Vec<String> = groups.iter().map(|g| ids(g)).collect();
            write!(line, ", \"partition\": [{}]", groups.join(", "))
        }
        Some(Action::Split(k)) => write!(line, ", \"split\": {k}"),
        Some(Action::Heal) => write!(line, ", \"heal\": true"),
        Some(Action::OpenAck) => write!(line, ", \"open_ack\": true"),
        Some(Action::Link {
            from,
            to,
            loss,
            latency_ms,
            jitter_ms,
        }) => {
            let mut link = format!("{{\"from\": {}, \"to\": {}", from.0, to.0);
            field(&mut link, "loss", *loss);
            field(&mut link, "latency_ms", *latency_ms);
            field(&mut link, "jitter_ms", *jitter_ms);
            write!(line, ", \"link\": {link}}}")
        }
        Some(Action::Introduce { node, contact }) => write!(
            line,
            ", \"introduce\": {{\"node\": {}, \"to\": {}}}",
            node.0, contact.0
        ),
        Some(Action::Set(settings)) => write!(line, ", \"set\": {}", settings_object(settings)),
    };
    if let Some(caption) = &step.caption {
        let _ = write!(line, ", \"caption\": {}", string(caption));
    }
    line.push('}');
    line
}

/// `at_ms` as the format's seconds, exactly (every whole millisecond reads back).
fn seconds(at_ms: Millis) -> String {
    let text = format!("{}.{:03}", at_ms / 1000, at_ms % 1000);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The fields `settings` sets, as a JSON object.
fn settings_object(settings: &SettingsLine) -> String {
    fn quoted(choice: impl Named) -> String {
        format!("\"{}\"", choice.name())
    }
    let mut object = String::from("{");
    field(&mut object, "profile", settings.profile.map(quoted));
    field(&mut object, "loss", settings.loss);
    field(&mut object, "latency_ms", settings.latency_ms);
    field(&mut object, "jitter_ms", settings.jitter_ms);
    field(&mut object, "fanout", settings.fanout);
    field(&mut object, "mode", settings.mode.map(quoted));
    field(&mut object, "mtu", settings.mtu);
    field(&mut object, "protocol", settings.protocol.map(quoted));
    field(&mut object, "detector", settings.detector.map(quoted));
    field(&mut object, "threshold", settings.threshold);
    field(&mut object, "forward_news", settings.forward_news);
    let seeds = settings.seeds.as_deref().map(|s| list(s.iter().copied()));
    field(&mut object, "seeds", seeds);
    object.push('}');
    object
}

/// Appends `"name": value` to an object being written, if there is a value.
fn field(object: &mut String, name: &str, value: Option<impl Display>) {
    if let Some(value) = value {
        if !object.ends_with('{') {
            object.push_str(", ");
        }
        let _ = write!(object, "\"{name}\": {value}");
    }
}

/// `[a, b, c]`.
fn list(items: impl Iterator<Item = u32>) -> String {
    let items: Vec<String> = items.map(|i| i.to_string()).collect();
    format!("[{}]", items.join(", "))
}

/// `text` as a JSON string.
fn string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(quoted, "\\u{:04x}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}
