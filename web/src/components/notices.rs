//! What the user must read before the picture: settings that were not usable as
//! given, a scenario that could not run, and the playing scenario's caption.

use yew::prelude::*;

use crate::model::Lab;
use crate::settings::Problem;

/// The notices above the canvas; `compact` leaves out the "finished" line.
pub fn notices(problems: &[Problem], lab: &Lab, compact: bool) -> Html {
    html! {
        <>
            if !problems.is_empty() {
                <div class="error" role="alert" data-problems="url">
                    <p>{ "Some settings were not usable as given:" }</p>
                    <ul>{ for problems.iter().map(|p| html! { <li>{ p.to_string() }</li> }) }</ul>
                </div>
            }
            if let Some(error) = lab.error() {
                <p class="error" role="alert" data-problems="scenario">{ error }</p>
            }
            if let Some((title, caption, done)) = lab.scenario() {
                <div class="caption" aria-live="polite" data-scenario-state={if done { "done" } else { "running" }}>
                    <strong>{ title }</strong>
                    <p data-readout="caption">{ caption.unwrap_or("") }</p>
                    if done && !compact { <p class="done">{ "Scenario finished. Reset or pick another." }</p> }
                </div>
            }
        </>
    }
}
