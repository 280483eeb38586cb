//! The exchange inspector's view: the opened message ([`crate::opened::Opened`]),
//! item by item with what its receiver does about each; or, with none open, the
//! selected node's last messages to pick from while paused.

use yew::prelude::*;

use super::Control;
use crate::model::{Lab, LabAction, Pick};
use crate::opened::Opened;

/// Seconds, as the inspector shows times.
fn seconds(ms: u64) -> String {
    format!("{:.2} s", ms as f64 / 1000.0)
}

/// The inspector. A view function: it is re-rendered with the page, and is a line of
/// text while the run plays.
pub fn message_view(lab: &Lab, on_control: &Callback<Control>) -> Html {
    let body = match lab.opened() {
        Some(opened) => opened_view(opened, lab.settings().mtu, on_control),
        None => picker(lab, on_control),
    };
    html! {
        <section class="message" aria-labelledby="message-title">{ body }</section>
    }
}

fn opened_view(m: &Opened, mtu: u32, on_control: &Callback<Control>) -> Html {
    let close = on_control.reform(|_: MouseEvent| Control::Act(LabAction::CloseMessage));
    let to = m.to.0;
    // A Syn's digests have marks; the deltas and requests of an Ack or Ack2, keys.
    let syn = m.kind == gossip_heartbeat::MessageKind::Syn;
    let meta = format!(
        "sent at {}, {} {} · {} B of the {mtu} B MTU",
        seconds(m.sent_at),
        if m.lost {
            "lost, would have arrived at"
        } else {
            "arrives at"
        },
        seconds(m.arrives_at),
        m.bytes,
    );
    let items = match &m.items {
        Ok(items) => html! {
            <div class="table-scroll">
                <table data-message={m.kind.name()}>
                    <thead><tr>
                        <th>{ "part" }</th><th>{ "node" }</th><th>{ "gen" }</th><th>{ "version" }</th>
                        <th>{ if syn { "mark" } else { "key = value" } }</th><th>{ format!("node {to} then") }</th>
                    </tr></thead>
                    <tbody>
                        { for items.iter().map(|i| html! {
                            <tr data-part={i.part} data-endpoint={i.endpoint.0.to_string()}
                                data-generation={i.generation.to_string()} data-version={i.version.to_string()}
                                data-mark={i.mark}>
                                <td>{ i.part }</td><td>{ i.endpoint.0 }</td><td>{ i.generation }</td>
                                <td>{ i.version }</td>
                                if syn {
                                    <td class={i.mark}>{ i.mark.unwrap_or_default() }</td>
                                } else {
                                    <td>{ if i.value.is_empty() { i.key.clone() } else { format!("{} = {}", i.key, i.value) } }</td>
                                }
                                <td>{ &i.says }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        },
        Err(why) => html! { <p class="problem">{ format!("Its bytes do not decode: {why}") }</p> },
    };
    html! {
        <>
            <h2 id="message-title" data-opened={m.kind.name()}>
                { format!("{}: node {} → node {to}", m.kind.name(), m.from.0) }
            </h2>
            <p>{ meta }</p>
            if syn {
                <p class="hint">{ format!("Each digest is marked against node {to}'s view at {}: ahead (it asks), behind (it sends), equal or unknown.", seconds(m.opened_at)) }</p>
            }
            { items }
            <button data-control="close-message" onclick={close}>{ "Close" }</button>
        </>
    }
}

/// The selected node's last messages, newest first, while paused.
fn picker(lab: &Lab, on_control: &Callback<Control>) -> Html {
    let node = lab.selected().0;
    if lab.playing() {
        return html! {
            <>
                <h2 id="message-title">{ "Inside an exchange" }</h2>
                <p class="hint">{ format!("Pause (space), then click a message on the ring, or pick one of node {node}'s last messages here, to open it.") }</p>
            </>
        };
    }
    let count = lab.sim().watched().count();
    html! {
        <>
            <h2 id="message-title">{ format!("Node {node}'s last messages") }</h2>
            <ol class="watched" data-watched="">
                { for lab.sim().watched().enumerate().rev().map(|(n, e)| {
                    let open = on_control.reform(move |_: MouseEvent| Control::Act(LabAction::Open(Pick::Watched(n))));
                    html! {
                        <li><button class="link" onclick={open}>
                            { format!("{} {} → {} at {}{}", gossip_core::sim::Simulator::<gossip_heartbeat::Node>::kind_name(e.kind), e.from.0, e.to.0, seconds(e.sent_at), if e.lost { " (lost)" } else { "" }) }
                        </button></li>
                    }
                }) }
            </ol>
            if count == 0 {
                <p class="hint">{ "None yet: play a few rounds." }</p>
            }
        </>
    }
}
