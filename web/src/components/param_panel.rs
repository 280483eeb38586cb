//! The parameters, in labelled groups (Cluster, Network, Protocol, Failure
//! detector) under the profile selector, every control made from its row of
//! [`SETTINGS`]: label, unit, range, step and help text. A change sends a typed
//! [`Value`].

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::Control;
use crate::settings::{Group, Kind, Restart, SETTINGS, Setting, Settings, Value};

/// The panel's properties.
#[derive(Properties, PartialEq)]
pub struct ParamPanelProps {
    /// The settings shown.
    pub settings: Settings,
    /// Where edits go.
    pub on_control: Callback<Control>,
}

/// A number typed into a control, as its setting's type: a whole number only if it
/// is one, so that `2.5` nodes or an empty box is refused by the table's check.
fn typed(kind: Kind, number: f64) -> Value {
    match kind {
        Kind::Whole { .. } if number.fract() == 0.0 && number >= 0.0 => Value::Whole(number as u64),
        _ => Value::Decimal(number),
    }
}

/// One setting's control, with its label, unit and help.
fn control(setting: &'static Setting, settings: &Settings, on_control: &Callback<Control>) -> Html {
    let name = setting.name;
    let tip = format!("tip-{name}");
    let label = if setting.unit.is_empty() {
        setting.label.to_owned()
    } else {
        format!("{} ({})", setting.label, setting.unit)
    };
    let input = match setting.kind {
        Kind::Choice(names) => {
            let current = setting.current(settings);
            let onchange = on_control.reform(move |e: Event| {
                let select: HtmlSelectElement = e.target_unchecked_into();
                let value = select.value();
                let name_of = names.iter().find(|n| **n == value).copied().unwrap_or("");
                Control::Restart(Restart::Edit(name, Value::Name(name_of)))
            });
            html! {
                <select data-control={name} aria-describedby={tip.clone()} {onchange}>
                    { for names.iter().map(|n| html! {
                        <option value={*n} selected={*n == current}>{ *n }</option>
                    }) }
                </select>
            }
        }
        kind => {
            let (min, max, step) = match kind {
                Kind::Whole { min, max, step } => {
                    (min.to_string(), max.to_string(), step.to_string())
                }
                Kind::Decimal { min, max, step } => {
                    (min.to_string(), max.to_string(), step.to_string())
                }
                _ => Default::default(),
            };
            let onchange = on_control.reform(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                Control::Restart(Restart::Edit(name, typed(kind, input.value_as_number())))
            });
            html! {
                <input type="number" data-control={name} {min} {max} {step}
                    value={setting.current(settings)} aria-describedby={tip.clone()} {onchange} />
            }
        }
    };
    html! {
        <label class="setting" title={setting.help}>
            <span>{ label }</span>
            { input }
            <span class="tip" role="tooltip" id={tip}>{ setting.help }</span>
        </label>
    }
}

/// The parameter panel.
#[function_component(ParamPanel)]
pub fn param_panel(props: &ParamPanelProps) -> Html {
    let row = |name: &str| SETTINGS.iter().find(|s| s.name == name);
    let profile = row("profile").map(|p| control(p, &props.settings, &props.on_control));
    html! {
        <section class="params" aria-label="Parameters">
            <div class="profile">{ for profile }</div>
            { for Group::PANEL.into_iter().map(|group| html! {
                <fieldset data-group={group.title()}>
                    <legend>{ group.title() }</legend>
                    { for SETTINGS.iter().filter(|s| s.group == group)
                        .map(|s| control(s, &props.settings, &props.on_control)) }
                </fieldset>
            }) }
        </section>
    }
}

/// The run in one sentence, for the page's caption: how many nodes, with how many
/// peers how often, and whose protocol it is.
pub fn summary(settings: &Settings) -> String {
    let peers = match settings.fanout {
        1 => "one random peer".to_owned(),
        n => format!("{n} random peers"),
    };
    let every = match settings.interval_ms {
        1000 => "every second".to_owned(),
        ms => format!("every {} s", ms as f64 / 1000.0),
    };
    let whose = match settings.profile() {
        Some(profile) => format!(" ({} profile)", profile.label()),
        None => " (custom settings)".to_owned(),
    };
    format!(
        "{} nodes gossip: each node exchanges everything it knows with {peers} {every}{whose}.",
        settings.nodes
    )
}

#[cfg(test)]
mod tests {
    use gossip_heartbeat::Profile;

    use super::*;

    #[test]
    fn the_default_caption_is_the_seeds_protocol() {
        let mut settings = Settings::default();
        assert_eq!(
            summary(&settings),
            "30 nodes gossip: each node exchanges everything it knows with one random peer every second (Cassandra profile)."
        );
        settings.take_profile(Profile::Tuned);
        settings.interval_ms = 500;
        assert!(summary(&settings).ends_with("with 4 random peers every 0.5 s (custom settings)."));
    }

    #[test]
    fn typed_numbers_keep_their_kind() {
        let whole = Kind::Whole {
            min: 0,
            max: 9,
            step: 1,
        };
        assert_eq!(typed(whole, 3.0), Value::Whole(3));
        assert_eq!(typed(whole, 2.5), Value::Decimal(2.5));
        assert!(matches!(typed(whole, f64::NAN), Value::Decimal(x) if x.is_nan()));
    }
}
