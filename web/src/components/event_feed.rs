//! The event feed's view: the newest lines of [`crate::feed::Feed`], everything or
//! only the selected node's, each with its simulated time; clicking a line selects
//! its node. A log (`role="log"`) re-rendered at most four times a second with the
//! rest of the page, but not a live region: at 1,000 nodes a crash brings hundreds of
//! lines a second, so a screen reader hears the important ones through the stage's
//! summary instead, every two seconds (`Feed::announcement`).

use yew::prelude::*;

use super::Control;
use crate::model::{Lab, LabAction};

/// Lines shown; the feed keeps more (the filter finds older ones). Enough for a
/// crash in a small cluster to stay in sight with every node's suspicion and
/// conviction of it (39 lines at 20 nodes).
const SHOWN: usize = 60;

/// The feed of `lab`, only the selected node's lines if `only_selected`. A view
/// function: the feed's model is `crate::feed`, and a component would cost the page
/// about half a kilobyte for nothing to compare.
pub fn event_feed(lab: &Lab, only_selected: bool, on_control: &Callback<Control>) -> Html {
    let selected = lab.selected();
    let toggle = on_control.reform(|_: Event| Control::Act(LabAction::ToggleFeedFilter));
    let filter = only_selected.then_some(selected);
    html! {
        <section class="feed" aria-labelledby="feed-title">
            <h2 id="feed-title">{ "What happened" }</h2>
            <label class="hint">
                <input type="checkbox" data-control="feed-filter" checked={only_selected} onchange={toggle} />
                { format!(" only node {}'s", selected.0) }
            </label>
            <ol role="log" aria-live="off" data-feed="">
                { for lab.feed().lines(filter).take(SHOWN).map(|line| {
                    let at = html! { <span class="clock">{ format!("{:.1} s ", line.at_ms as f64 / 1000.0) }</span> };
                    let text = match line.node {
                        Some(id) => {
                            let onclick = on_control.reform(move |_: MouseEvent| Control::Select(id));
                            html! { <button class="link" {onclick}>{ &line.text }</button> }
                        }
                        None => html! { <span>{ &line.text }</span> },
                    };
                    html! {
                        <li key={line.seq} data-at-ms={line.at_ms.to_string()} class={line.kind.important().then_some("important")}>
                            { at }{ text }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
