//! The keyboard shortcuts overlay, listing [`crate::keys::SHORTCUTS`].

use yew::prelude::*;

use crate::keys::SHORTCUTS;

/// The overlay's properties.
#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// Closes it.
    pub on_close: Callback<()>,
}

/// The list of shortcuts, with a close button (Esc also closes it).
#[function_component(Help)]
pub fn help(props: &HelpProps) -> Html {
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="help" role="dialog" aria-label="Keyboard shortcuts" data-overlay="help">
            <h2>{ "Keyboard shortcuts" }</h2>
            <dl>{ for SHORTCUTS.iter().map(|(key, what)| html! { <><dt><kbd>{ *key }</kbd></dt><dd>{ *what }</dd></> }) }</dl>
            <button onclick={on_close}>{ "Close (Esc)" }</button>
        </div>
    }
}
