//! The guided scenarios: a menu of the presets, and a file of one's own.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::Control;
use crate::presets;
use crate::settings::Restart;

/// Reads `file` as text and hands over the text, or why it could not be read; the
/// reading stops if the returned reader is dropped.
pub fn read_text(
    file: web_sys::File,
    done: Callback<Result<String, String>>,
) -> gloo::file::callbacks::FileReader {
    let file = gloo::file::File::from(file);
    gloo::file::callbacks::read_as_text(&file, move |text| {
        done.emit(text.map_err(|e| e.to_string()))
    })
}

/// The panel's properties.
#[derive(Properties, PartialEq)]
pub struct ScenarioPanelProps {
    /// The preset playing, if one is.
    pub selected: Option<AttrValue>,
    /// Where choices go.
    pub on_control: Callback<Control>,
}

/// The scenario menu and the file chooser.
#[function_component(ScenarioPanel)]
pub fn scenario_panel(props: &ScenarioPanelProps) -> Html {
    let on_preset = props.on_control.reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        Control::Restart(Restart::Preset(select.value()))
    });
    let on_file = props.on_control.reform(|e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Control::LoadFile(input.files().and_then(|files| files.get(0)))
    });
    let selected = props.selected.as_deref();
    html! {
        <section class="scenarios" aria-label="Scenarios">
            <label class="setting">{ "Scenario" }
                <select data-control="scenario" onchange={on_preset}>
                    <option value="" selected={selected.is_none()}>{ "none: free play" }</option>
                    { for presets::PRESETS.iter().zip(presets::titles()).enumerate().map(|(i, (p, title))| html! {
                        <option value={p.name} selected={selected == Some(p.name)}>
                            { format!("{}. {title}", i + 1) }
                        </option>
                    }) }
                </select>
            </label>
            <label class="setting">{ "Load a scenario file" }
                <input type="file" data-control="scenario-file" accept=".jsonl,.json,.txt" onchange={on_file} />
            </label>
        </section>
    }
}
