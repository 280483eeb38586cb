//! How the picture is shown: colours by status or by update, ring or grid, and the
//! shortcuts overlay.

use yew::prelude::*;

use super::Control;
use crate::layout::Layout;
use crate::model::{ColorMode, LabAction};

/// The view toggles for `color_mode` and `layout`. A plain view function, not a
/// component: it has no state of its own, and a component costs the page about
/// half a kilobyte.
pub fn view_toggles(color_mode: ColorMode, layout: Layout, on_control: &Callback<Control>) -> Html {
    let toggle = |control: Control, name: &'static str, text: &'static str| {
        let onclick = on_control.reform(move |_: MouseEvent| control.clone());
        html! { <button data-action={name} {onclick}>{ text }</button> }
    };
    let colour = match color_mode {
        ColorMode::Status => "Colour: status",
        ColorMode::Update => "Colour: update",
    };
    let layout = match layout {
        Layout::Ring => "Layout: ring",
        Layout::Grid => "Layout: grid",
    };
    html! {
        <>
            { toggle(Control::Act(LabAction::ToggleColorMode), "color-mode", colour) }
            { toggle(Control::Act(LabAction::ToggleLayout), "layout", layout) }
            { toggle(Control::Act(LabAction::ToggleHelp), "help", "? Shortcuts") }
        </>
    }
}
