//! The selected node's copy of the hash ring, in words: how it differs from the
//! nodes' own TOKENS, its ranges, and the key box (a key's token, owner and replicas
//! on this copy). The canvas draws the same [`RingView`].

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::Control;
use crate::hash_ring::{MAX_RF, RingView, range_text, turn};
use crate::model::{Lab, LabAction};

/// The panel. A view function: its model is `crate::hash_ring`.
pub fn ring_panel(lab: &Lab, on_control: &Callback<Control>) -> Html {
    let view = RingView::of(lab.sim(), lab.selected());
    let (key, rf) = lab.key();
    let lookup = lab.lookup(&view.ring);
    let ranges = view.ring.ranges(view.viewer);
    let on_key = on_control.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Control::Act(LabAction::LookUp(input.value()))
    });
    let on_rf = on_control.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        // NaN (an empty box) becomes 0, which the lab clamps to 1.
        Control::Act(LabAction::SetRf(input.value_as_number() as usize))
    });
    let found = lookup.map(|l| {
        let replicas: Vec<String> = l.replicas.iter().map(|id| id.0.to_string()).collect();
        let owner = l.replicas.first().map_or(String::new(), |id| id.0.to_string());
        html! {
            <p data-readout="lookup" data-owner={owner.clone()}>
                <span class="swatch key"></span>
                { format!("token at {:.1} % of the ring: owner node {owner}; replicas {}", 100.0 * turn(l.token), replicas.join(", ")) }
            </p>
        }
    });
    html! {
        <section class="ring-panel" aria-labelledby="ring-title">
            <h2 id="ring-title">{ format!("Node {}'s ring", view.viewer.0) }</h2>
            <p data-readout="ring-difference">{ view.difference() }</p>
            <div class="setting">
                <label for="ring-key">{ "Key" }</label>
                <input id="ring-key" data-control="key" value={key.to_owned()} placeholder="user:42" oninput={on_key} />
            </div>
            <div class="setting">
                <label for="ring-rf">{ "Replicas (RF)" }</label>
                <input id="ring-rf" data-control="rf" type="number" min="1" max={MAX_RF.to_string()}
                    value={rf.to_string()} onchange={on_rf} />
            </div>
            { for found }
            <details>
                <summary>{ format!("Its {} ranges (token → token)", ranges.len()) }</summary>
                <ul data-ranges="">{ for ranges.into_iter().map(|r| html! { <li>{ range_text(r) }</li> }) }</ul>
            </details>
        </section>
    }
}
