//! The charts, as small SVGs re-rendered a few times a second: the spread of the
//! latest update against theory, gossip's traffic against the all-to-all heartbeat,
//! and the detection of the last crash.

use gossip_core::{Named, NodeId};
use gossip_heartbeat::detector::Model;
use yew::prelude::*;

use crate::components::LabRef;
use crate::model::Lab;
use crate::{math, theory};

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 150.0;
const PAD: f64 = 24.0;

/// `points` (x, y in data units) as an SVG polyline's `points`, scaled into the plot.
fn polyline(
    points: impl Iterator<Item = (f64, f64)>,
    x_max: f64,
    y: impl Fn(f64) -> f64,
) -> String {
    points
        .map(|(px, py)| {
            let sx = PAD + px / x_max.max(1.0) * (WIDTH - 2.0 * PAD);
            let sy = HEIGHT - PAD - y(py) * (HEIGHT - 2.0 * PAD);
            format!("{sx:.1},{sy:.1} ")
        })
        .collect()
}

/// The fraction of nodes that know the latest update, round by round, with the
/// mean-field curve of the papers' model and Serf's logistic curve drawn over it.
fn spread(lab: &Lab) -> Html {
    let settings = lab.settings();
    let sim = lab.sim();
    let n = sim.nodes().len() as u32;
    let node = &sim.config().node;
    let loss = f64::from(sim.config().loss_ppm) / 1e6;
    let fanout = node.fanout as u32;
    let Some(spread) = lab.spread() else {
        return html! {
            <figure class="chart" data-chart="spread">
                <figcaption>{ "Spread of an update" }</figcaption>
                <p class="hint">{ "Select a node and press \"Inject update\" (u) to follow one." }</p>
            </figure>
        };
    };
    let model = theory::mean_field(n, fanout, loss, node.mode, 60);
    let theory_done = model.iter().position(|&f| f >= 1.0).unwrap_or(60);
    let rounds = (spread.fractions.len().max(theory_done) + 1).max(10);
    let serf = theory::serf(n, fanout, loss, rounds);
    let measured = std::iter::once((0.0, 1.0 / f64::from(n.max(1)))).chain(
        spread
            .fractions
            .iter()
            .enumerate()
            .map(|(i, &f)| ((i + 1) as f64, f)),
    );
    let x_max = rounds as f64;
    let linear = |f: f64| f;
    let last = spread.fractions.last().copied().unwrap_or(0.0);
    let informed = (last * f64::from(n)).round();
    html! {
        <figure class="chart" data-chart="spread">
            <figcaption>
                { format!("Spread of the update from node {}: {} of {} nodes after {} rounds",
                    spread.update.origin.0, informed, n, spread.fractions.len()) }
            </figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                aria-label="Fraction of nodes informed per round, measured and in theory">
                <line class="axis" x1={PAD.to_string()} y1={(HEIGHT - PAD).to_string()}
                    x2={(WIDTH - PAD).to_string()} y2={(HEIGHT - PAD).to_string()} />
                <line class="axis" x1={PAD.to_string()} y1={PAD.to_string()}
                    x2={PAD.to_string()} y2={(HEIGHT - PAD).to_string()} />
                <text x="2" y={(PAD + 4.0).to_string()}>{ "1" }</text>
                <text x="2" y={(HEIGHT - PAD).to_string()}>{ "0" }</text>
                <text x={(WIDTH - PAD - 40.0).to_string()} y={(HEIGHT - 6.0).to_string()}>
                    { format!("{rounds} rounds") }</text>
                <polyline class="serf" points={polyline(serf.iter().enumerate().map(|(i, &f)| (i as f64, f)), x_max, linear)} />
                <polyline class="theory" points={polyline(model.iter().take(rounds + 1).enumerate().map(|(i, &f)| (i as f64, f)), x_max, linear)} />
                <polyline class="measured" points={polyline(measured, x_max, linear)} />
            </svg>
            <ul class="legend">
                <li><span class="swatch measured"></span>{ "measured" }</li>
                <li><span class="swatch theory"></span>
                    { format!("theory, {} (synchronous rounds)", settings.mode.name()) }</li>
                <li><span class="swatch serf"></span>{ "Serf's logistic curve" }</li>
            </ul>
        </figure>
    }
}

/// Messages per second of gossip over the recent rounds, against what the
/// all-to-all heartbeat would send here, on a log scale: O(N) against O(N²).
fn traffic(lab: &Lab) -> Html {
    let per_second = 1000.0 / lab.sim().config().node.interval_ms as f64;
    let recent = lab.traffic();
    let baseline = lab.all_to_all_per_round();
    let gossip_messages = recent.iter().map(|r| r.messages).sum::<u64>() as f64
        / recent.len().max(1) as f64
        * per_second;
    let gossip_bytes = recent.iter().map(|r| r.bytes).sum::<u64>() as f64
        / recent.len().max(1) as f64
        * per_second;
    let all_messages = baseline.messages as f64 * per_second;
    let all_bytes = baseline.bytes as f64 * per_second;
    let top = math::log10((all_messages.max(gossip_messages) * 2.0).max(10.0));
    let log = move |v: f64| (math::log10(v.max(1.0)) / top).clamp(0.0, 1.0);
    let x_max = (recent.len().max(2) - 1) as f64;
    let measured = recent
        .iter()
        .enumerate()
        .map(|(i, r)| (i as f64, r.messages as f64 * per_second));
    let flat = [(0.0, all_messages), (x_max, all_messages)].into_iter();
    html! {
        <figure class="chart" data-chart="traffic">
            <figcaption>{ "Messages per second, log scale" }</figcaption>
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img"
                aria-label="Messages per second: gossip against the all-to-all heartbeat">
                <line class="axis" x1={PAD.to_string()} y1={(HEIGHT - PAD).to_string()}
                    x2={(WIDTH - PAD).to_string()} y2={(HEIGHT - PAD).to_string()} />
                <polyline class="serf" points={polyline(flat, x_max, log)} />
                <polyline class="measured" points={polyline(measured, x_max, log)} />
            </svg>
            <table class="numbers">
                <tr><th></th><th>{ "messages/s" }</th><th>{ "bytes/s" }</th></tr>
                <tr data-traffic="gossip"><td><span class="swatch measured"></span>{ "gossip (measured)" }</td>
                    <td>{ format!("{gossip_messages:.0}") }</td><td>{ format_bytes(gossip_bytes) }</td></tr>
                <tr data-traffic="all-to-all"><td><span class="swatch serf"></span>{ "all-to-all heartbeat, N(N−1)" }</td>
                    <td>{ format!("{all_messages:.0}") }</td><td>{ format_bytes(all_bytes) }</td></tr>
            </table>
        </figure>
    }
}

/// The charts' properties.
#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    /// The lab.
    pub lab: LabRef,
}

/// The three charts.
#[function_component(Charts)]
pub fn charts(props: &ChartsProps) -> Html {
    let lab = props.lab.lab.borrow();
    html! {
        <section class="charts" aria-label="Charts">
            { spread(&lab) }
            { traffic(&lab) }
            { detection(&lab) }
        </section>
    }
}

/// How long the detector in use lets a node be silent before convicting it, in
/// words: what the detection times should be read against.
pub fn detector_note(model: Model, threshold: f64) -> String {
    match model {
        Model::Exponential { ln10_factor: true } => format!(
            "Cassandra's detector, phi = t / (mean gap · ln 10): at {threshold} a node is convicted after about {:.1} mean gaps between heartbeat news, as in Cassandra.",
            threshold * core::f64::consts::LN_10
        ),
        Model::Exponential { ln10_factor: false } => format!(
            "chitchat's detector, phi = t / mean gap: at {threshold} a node is convicted after {threshold} mean gaps between heartbeat news."
        ),
        Model::Normal { .. } => format!(
            "The normal model (Akka): at {threshold} a node is convicted after the mean gap, a 2 s acceptable pause and a few standard deviations."
        ),
    }
}

/// How often `node` hears each heartbeat (`gap_s`, its detectors' mean; `None`
/// before any gap was timed) against how often its pages of digests go round its
/// view (`refresh_s`): why detection takes longer in a larger cluster.
pub fn heartbeat_note(node: NodeId, gap_s: Option<f64>, refresh_s: f64) -> String {
    let (node, pages) = (
        node.0,
        format!("its digest pages go round its view every {refresh_s:.1} s"),
    );
    match gap_s {
        Some(gap) => {
            format!("Node {node} hears each node's heartbeat every {gap:.1} s on average; {pages}.")
        }
        None => format!("Node {node} has not yet timed a gap between heartbeats; {pages}."),
    }
}

/// The detection of the last crash, and the false convictions so far.
fn detection(lab: &Lab) -> Html {
    let times = lab.last_crash_detections();
    let text = if times.is_empty() {
        "No crash convicted yet: select a node and press Crash (c).".to_owned()
    } else {
        let mean = times.iter().sum::<u64>() as f64 / times.len() as f64 / 1000.0;
        let max = times.iter().max().copied().unwrap_or(0) as f64 / 1000.0;
        format!(
            "Last crash convicted by {} nodes: mean {mean:.1} s, max {max:.1} s after the crash.",
            times.len()
        )
    };
    html! {
        <figure class="chart" data-chart="detection">
            <figcaption>{ "Failure detection" }</figcaption>
            <p data-readout="detection">{ text }</p>
            <p class="hint" data-readout="detector">
                { detector_note(lab.settings().detector, lab.settings().threshold) }
            </p>
            <p data-readout="heartbeat-gap">{ heartbeat_gap(lab) }</p>
            <p data-readout="false-convictions">
                { format!("False convictions so far: {}", lab.sim().stats().false_convictions) }
            </p>
        </figure>
    }
}

/// [`heartbeat_note`] for the selected node: one view's detectors, cheap enough
/// for every frame at 5,000 nodes.
fn heartbeat_gap(lab: &Lab) -> String {
    let id = lab.selected();
    let Some(node) = lab.sim().nodes().get(id.0 as usize) else {
        return String::new();
    };
    let (sum, count) = node
        .learned_gaps()
        .fold((0.0, 0_u32), |(sum, count), (_, mean)| {
            (sum + mean, count + 1)
        });
    let gap_s = (count > 0).then(|| sum / f64::from(count) / 1000.0);
    heartbeat_note(id, gap_s, node.refresh_ms() as f64 / 1000.0)
}

fn format_bytes(bytes: f64) -> String {
    match bytes {
        b if b >= 1e9 => format!("{:.1} GB", b / 1e9),
        b if b >= 1e6 => format!("{:.1} MB", b / 1e6),
        b if b >= 1e3 => format!("{:.1} kB", b / 1e3),
        b => format!("{b:.0} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heartbeat_note_gives_the_gap_and_the_pages_period() {
        let note = heartbeat_note(NodeId(3), Some(61.26), 38.0);
        assert_eq!(
            note,
            "Node 3 hears each node's heartbeat every 61.3 s on average; its digest pages go round its view every 38.0 s."
        );
        assert!(heartbeat_note(NodeId(0), None, 1.0).starts_with("Node 0 has not yet timed"));
    }

    #[test]
    fn the_detector_note_says_how_many_mean_gaps_convict() {
        let cassandra = detector_note(Model::Exponential { ln10_factor: true }, 8.0);
        assert!(cassandra.contains("about 18.4 mean gaps"), "{cassandra}");
        let chitchat = detector_note(Model::Exponential { ln10_factor: false }, 8.0);
        assert!(chitchat.contains("after 8 mean gaps"), "{chitchat}");
    }
}
