//! The keyboard shortcuts: which key does what, as plain data and a pure mapping
//! (tested natively). The page listens on the whole document (the page is the app);
//! an embedded instance only on its own element.

use wasm_bindgen::JsCast;

use crate::components::Control;
use crate::model::{Lab, LabAction};

/// The keyboard shortcuts, as the help overlay lists them.
pub const SHORTCUTS: [(&str, &str); 13] = [
    ("space", "play / pause"),
    ("→", "step one round (on the timeline: ← →)"),
    ("End", "back to the present"),
    ("+ / −", "faster / slower"),
    ("c", "crash the selected node"),
    ("r", "restart it"),
    ("l", "it leaves"),
    ("a", "add a node"),
    ("u", "inject an update at it"),
    ("p", "partition into halves / heal"),
    ("m", "colour by status / by update"),
    ("g", "ring / grid layout"),
    ("?", "this help"),
];

/// What the lab looks like to the keyboard: the speed (for `+` and `−`), whether a
/// partition is in force (`p` heals it) and whether the help is open (`Esc`).
#[derive(Debug, Clone, Copy)]
pub struct KeyContext {
    /// The current speed.
    pub speed: f64,
    /// A partition is in force.
    pub partitioned: bool,
    /// The help overlay is open.
    pub help: bool,
}

impl KeyContext {
    /// The context of `lab`.
    pub fn of(lab: &Lab) -> Self {
        Self {
            speed: lab.settings().speed,
            partitioned: lab.partitioned(),
            help: lab.view().help,
        }
    }
}

/// What `key` (a `KeyboardEvent.key`) does, if anything.
pub fn control(key: &str, at: KeyContext) -> Option<Control> {
    let act = |action| Some(Control::Act(action));
    match key {
        " " => act(LabAction::TogglePlay),
        "ArrowRight" => act(LabAction::Step),
        "End" => act(LabAction::Live),
        "+" | "=" => act(LabAction::SetSpeed(at.speed * 2.0)),
        "-" | "_" => act(LabAction::SetSpeed(at.speed / 2.0)),
        "c" => act(LabAction::Crash),
        "r" => act(LabAction::Restart),
        "l" => act(LabAction::Leave),
        "a" => act(LabAction::AddNode),
        "u" => act(LabAction::InjectUpdate),
        "p" if at.partitioned => act(LabAction::Heal),
        "p" => act(LabAction::PartitionHalves),
        "m" => act(LabAction::ToggleColorMode),
        "g" => Some(Control::Act(LabAction::ToggleLayout)),
        "?" => Some(Control::Act(LabAction::ToggleHelp)),
        "Escape" if at.help => Some(Control::Act(LabAction::ToggleHelp)),
        _ => None,
    }
}

/// What a key press asks for, unless the user is typing into a field or holds a
/// modifier; the browser's own action for a key the lab uses is prevented.
pub fn pressed(e: &web_sys::KeyboardEvent, at: KeyContext) -> Option<Control> {
    let control = control(&key_for_lab(e)?, at)?;
    e.prevent_default();
    Some(control)
}

/// Prevents the browser's own action for a key the lab uses, at once, in the
/// listener itself: the lab takes the press through its scheduler, which may come
/// after the browser has scrolled for Space or End. Escape counts as used.
pub fn claim(e: &web_sys::KeyboardEvent) {
    let any = KeyContext {
        speed: 1.0,
        partitioned: false,
        help: true,
    };
    if key_for_lab(e).is_some_and(|key| control(&key, any).is_some()) {
        e.prevent_default();
    }
}

/// The key pressed, unless the user is typing into a field or holds a modifier.
fn key_for_lab(e: &web_sys::KeyboardEvent) -> Option<String> {
    let typing = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
    (!typing && !e.ctrl_key() && !e.meta_key() && !e.alt_key()).then(|| e.key())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_controls() {
        let at = KeyContext {
            speed: 2.0,
            partitioned: false,
            help: false,
        };
        assert_eq!(control(" ", at), Some(Control::Act(LabAction::TogglePlay)));
        assert_eq!(
            control("+", at),
            Some(Control::Act(LabAction::SetSpeed(4.0)))
        );
        assert_eq!(
            control("p", at),
            Some(Control::Act(LabAction::PartitionHalves))
        );
        let split = KeyContext {
            partitioned: true,
            ..at
        };
        assert_eq!(control("p", split), Some(Control::Act(LabAction::Heal)));
        assert_eq!(control("Escape", at), None, "nothing to close");
        let open = KeyContext { help: true, ..at };
        assert_eq!(
            control("Escape", open),
            Some(Control::Act(LabAction::ToggleHelp))
        );
        assert_eq!(control("End", at), Some(Control::Act(LabAction::Live)));
        assert_eq!(control("x", at), None);
    }
}
