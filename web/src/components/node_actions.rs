//! The actions on the selected node (crash, restart, leave, inject an update) and
//! on the cluster (add a node, partition and heal), grouped under the node they act
//! on.

use yew::prelude::*;

use super::Control;
use crate::model::LabAction;

/// The actions on `selected`; with `partitioned`, the partition button heals. A
/// plain view function, not a component: it has no state of its own, and a
/// component costs the page about half a kilobyte.
pub fn node_actions(selected: u32, partitioned: bool, on_control: &Callback<Control>) -> Html {
    let button = |action: LabAction, name: &'static str, text: &'static str, key: &'static str| {
        let onclick = on_control.reform(move |_: MouseEvent| Control::Act(action.clone()));
        html! {
            <button data-action={name} {onclick} title={format!("shortcut: {key}")}>{ text }</button>
        }
    };
    html! {
        <section class="node-actions" aria-label="Actions">
            <h2>{ format!("Selected: node {}", selected) }</h2>
            <p class="hint">{ "Click a node on the ring to select it." }</p>
            <div class="controls">
                { button(LabAction::Crash, "crash", "Crash", "c") }
                { button(LabAction::Restart, "restart", "Restart", "r") }
                { button(LabAction::Leave, "leave", "Leave", "l") }
                { button(LabAction::InjectUpdate, "update", "Inject update", "u") }
            </div>
            <div class="controls">
                { button(LabAction::AddNode, "add", "Add node", "a") }
                if partitioned {
                    { button(LabAction::Heal, "heal", "Heal partition", "p") }
                } else {
                    { button(LabAction::PartitionHalves, "partition", "Partition in halves", "p") }
                }
            </div>
        </section>
    }
}
