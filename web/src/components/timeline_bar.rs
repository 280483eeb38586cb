//! The timeline under the canvas: the run so far, with a mark at each thing that
//! happened (hover names it, a click goes there). Dragging or clicking the slider
//! goes to that moment; on the slider ← and → step one round, `Home` goes to the
//! start; "Live" (or `End`) returns to the present. "Save run" writes the run as a
//! scenario file.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::Control;
use crate::feed::Kind;
use crate::model::{Lab, LabAction};

/// The timeline of `lab`, and how far a jump under way has come.
pub fn timeline_bar(lab: &Lab, on_control: &Callback<Control>) -> Html {
    let present = lab.present();
    let now = lab.sim_time();
    let live = now >= present;
    let interval = lab.sim().config().node.interval_ms;
    let seek = on_control.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Control::Act(LabAction::Seek(input.value_as_number()))
    });
    // The slider moves by the millisecond (`step="any"`, so that its thumb sits
    // exactly at the moment shown); its keys move by rounds.
    let round = interval as f64;
    let on_key = {
        let on_control = on_control.clone();
        Callback::from(move |e: KeyboardEvent| {
            let action = match e.key().as_str() {
                "ArrowLeft" | "ArrowDown" => LabAction::Seek(((now / round).ceil() - 1.0) * round),
                "ArrowRight" | "ArrowUp" => LabAction::Seek(((now / round).floor() + 1.0) * round),
                "Home" => LabAction::Seek(0.0),
                "End" => LabAction::Live,
                _ => return,
            };
            e.prevent_default();
            on_control.emit(Control::Act(action));
        })
    };
    let span = present.max(1.0);
    let marks = lab.marks().iter().map(|mark| {
        let at = mark.at_ms as f64;
        let kind = match mark.kind {
            None => "fork",
            Some(Kind::Crash | Kind::Leave) => "down",
            Some(Kind::Conviction) => "convicted",
            Some(Kind::Restart | Kind::Join | Kind::Heal) => "up",
            Some(Kind::Split) => "split",
            Some(Kind::Update | Kind::Spread) => "update",
            Some(Kind::Caption | Kind::Routine) => "caption",
        };
        let title = format!("{:.1} s: {}", at / 1000.0, mark.text);
        let go = on_control.reform(move |_: MouseEvent| Control::Act(LabAction::Seek(at)));
        html! {
            <button class={classes!("mark", kind)} style={format!("left:{:.3}%", at / span * 100.0)}
                {title} aria-label={format!("go to {:.1} s", at / 1000.0)} onclick={go}></button>
        }
    });
    let live_button = on_control.reform(|_: MouseEvent| Control::Act(LabAction::Live));
    html! {
        <div class="timeline" role="group" aria-label="Timeline">
            <div class="track">
                <input type="range" data-control="timeline" aria-label="Time in the run"
                    min="0" max={(present as u64).to_string()} step="any"
                    value={(now as u64).to_string()} oninput={seek} onkeydown={on_key} />
                <div class="marks">{ for marks }</div>
            </div>
            // One or the other, in the same width, so that the controls stay put.
            if let Some(done) = lab.rewinding() {
                <span class="when rewinding" data-readout="rewinding">
                    { format!("rewinding… {:.0} %", done * 100.0) }</span>
            } else {
                <span class="when" data-readout="timeline" data-trace={format!("{:#018x}", lab.trace_hash())}>
                    { format!("{:.1} s of {:.1} s", now / 1000.0, present / 1000.0) }
                </span>
            }
            <button data-action="live" disabled={live} onclick={live_button}
                title="Back to the present (End)">{ if live { "● live" } else { "Live" } }</button>
            <button data-action="save" onclick={on_control.reform(|_: MouseEvent| Control::Save)}
                title="The run up to the moment shown, as a scenario file that replays it">
                { "Save run" }</button>
        </div>
    }
}
