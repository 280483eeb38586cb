//! The run controls: play/pause, step, speed and the clock, in both layouts; the
//! full page adds the seed, reset and the link to the run.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::Control;
use crate::math;
use crate::model::LabAction;
use crate::settings::Restart;

/// The play bar's properties.
#[derive(Properties, PartialEq)]
pub struct PlayBarProps {
    /// Time runs.
    pub playing: bool,
    /// Simulated seconds per wall-clock second.
    pub speed: f64,
    /// The compact layout of an embedded instance.
    pub compact: bool,
    /// The run's seed (full layout).
    pub seed: u64,
    /// The URL of this run (full layout).
    pub permalink: AttrValue,
    /// Nodes in the cluster.
    pub nodes: usize,
    /// The clock's text, written every frame by the stage.
    pub clock: NodeRef,
    /// Where controls go.
    pub on_control: Callback<Control>,
    /// More controls, after the run's own.
    #[prop_or_default]
    pub children: Html,
}

/// The play bar.
#[function_component(PlayBar)]
pub fn play_bar(props: &PlayBarProps) -> Html {
    let act = |action: LabAction| {
        props
            .on_control
            .reform(move |_: MouseEvent| Control::Act(action.clone()))
    };
    let on_speed = props.on_control.reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let log10 = input.value_as_number();
        Control::Act(LabAction::SetSpeed(math::exp10(if log10.is_finite() {
            log10
        } else {
            0.0
        })))
    });
    let seed_input = use_node_ref();
    let on_reset = {
        let seed_input = seed_input.clone();
        props.on_control.reform(move |_: MouseEvent| {
            let text = seed_input.cast::<HtmlInputElement>().map(|i| i.value());
            Control::Restart(Restart::Seed(text.unwrap_or_default()))
        })
    };
    let speed_text = if props.compact {
        format!("{:.1}×", props.speed)
    } else {
        format!("Speed {:.1}×", props.speed)
    };
    html! {
        <div class="controls play-bar" role="group" aria-label="Time">
            <button data-action="play-pause" onclick={act(LabAction::TogglePlay)}
                aria-pressed={props.playing.to_string()}>
                { if props.playing { "Pause" } else { "Play" } }
            </button>
            <button data-action="step" onclick={act(LabAction::Step)} aria-label="Step one round">
                { if props.compact { "Step" } else { "Step one round" } }
            </button>
            <label>{ speed_text }
                <input type="range" data-control="speed" min="-1" max="2" step="0.01" aria-label="Speed"
                    value={math::log10(props.speed).to_string()} oninput={on_speed} />
            </label>
            <span class="clock" ref={props.clock.clone()} data-readout="clock"></span>
            <span data-readout="node-count">{ format!("{} nodes", props.nodes) }</span>
            if !props.compact {
                <label>{ "Seed" }
                    <input type="text" inputmode="numeric" data-control="seed" ref={seed_input}
                        value={props.seed.to_string()} size="12" />
                </label>
                <button data-action="reset" onclick={on_reset}>{ "Reset" }</button>
                <a href={props.permalink.clone()} data-readout="permalink">{ "link to this run" }</a>
            }
            { props.children.clone() }
        </div>
    }
}
