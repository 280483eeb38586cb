//! The actions on the selected node (crash, restart, leave, inject an update) and
//! on the cluster (add a node, partition and heal), grouped under the node they act
//! on.

use yew::prelude::*;

use super::Control;
use crate::model::Action;

/// The actions' properties.
#[derive(Properties, PartialEq)]
pub struct NodeActionsProps {
    /// The selected node.
    pub selected: u32,
    /// A partition is in force: the button heals it.
    pub partitioned: bool,
    /// Where actions go.
    pub on_control: Callback<Control>,
}

/// The selected node's actions.
#[function_component(NodeActions)]
pub fn node_actions(props: &NodeActionsProps) -> Html {
    let button = |action: Action, name: &'static str, text: &'static str, key: &'static str| {
        let onclick = props
            .on_control
            .reform(move |_: MouseEvent| Control::Act(action.clone()));
        html! {
            <button data-action={name} {onclick} title={format!("shortcut: {key}")}>{ text }</button>
        }
    };
    html! {
        <section class="node-actions" aria-label="Actions">
            <h2>{ format!("Selected: node {}", props.selected) }</h2>
            <p class="hint">{ "Click a node on the ring to select it." }</p>
            <div class="controls">
                { button(Action::Crash, "crash", "Crash", "c") }
                { button(Action::Restart, "restart", "Restart", "r") }
                { button(Action::Leave, "leave", "Leave", "l") }
                { button(Action::InjectUpdate, "update", "Inject update", "u") }
            </div>
            <div class="controls">
                { button(Action::AddNode, "add", "Add node", "a") }
                if props.partitioned {
                    { button(Action::Heal, "heal", "Heal partition", "p") }
                } else {
                    { button(Action::PartitionHalves, "partition", "Partition in halves", "p") }
                }
            </div>
        </section>
    }
}
