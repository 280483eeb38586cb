//! The keyboard shortcuts overlay, listing [`crate::keys::SHORTCUTS`].

use yew::prelude::*;

use crate::keys::SHORTCUTS;

/// The list of shortcuts, with a close button (Esc also closes it). A plain view
/// function, not a component: it has no state of its own, and a component costs the
/// page about half a kilobyte.
pub fn help(on_close: &Callback<()>) -> Html {
    let on_close = on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="help" role="dialog" aria-label="Keyboard shortcuts" data-overlay="help">
            <h2>{ "Keyboard shortcuts" }</h2>
            <dl>{ for SHORTCUTS.iter().map(|(key, what)| html! { <><dt><kbd>{ *key }</kbd></dt><dd>{ *what }</dd></> }) }</dl>
            <button onclick={on_close}>{ "Close (Esc)" }</button>
        </div>
    }
}
