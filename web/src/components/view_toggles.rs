//! How the picture is shown: colours by status or by update, ring or grid, and the
//! shortcuts overlay.

use yew::prelude::*;

use super::Control;
use crate::layout::Layout;
use crate::model::{Action, ColorMode};

/// The toggles' properties.
#[derive(Properties, PartialEq)]
pub struct ViewTogglesProps {
    /// What the node colours show.
    pub color_mode: ColorMode,
    /// Ring or grid.
    pub layout: Layout,
    /// Where toggles go.
    pub on_control: Callback<Control>,
}

/// The view toggles.
#[function_component(ViewToggles)]
pub fn view_toggles(props: &ViewTogglesProps) -> Html {
    let toggle = |control: Control, name: &'static str, text: &'static str| {
        let onclick = props
            .on_control
            .reform(move |_: MouseEvent| control.clone());
        html! { <button data-action={name} {onclick}>{ text }</button> }
    };
    let colour = match props.color_mode {
        ColorMode::Status => "Colour: status",
        ColorMode::Update => "Colour: update",
    };
    let layout = match props.layout {
        Layout::Ring => "Layout: ring",
        Layout::Grid => "Layout: grid",
    };
    html! {
        <>
            { toggle(Control::Act(Action::ToggleColorMode), "color-mode", colour) }
            { toggle(Control::ToggleLayout, "layout", layout) }
            { toggle(Control::ToggleHelp, "help", "? Shortcuts") }
        </>
    }
}
