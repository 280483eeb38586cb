//! What the lab tells the page that hosts it: the events its listeners asked for
//! ([`Reporter`]) and a file it offers ([`download`]). Apart from the JS API
//! (`embed.rs`) and the app (`app.rs`), which both use it, so that neither imports
//! the other for it.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::model::Lab;

/// Listeners a host page registered through the JS API: (event name, function).
pub type Listeners = Rc<RefCell<Vec<(String, js_sys::Function)>>>;

/// Tells the host page's listeners what happened since the last frame. What
/// happened is tracked even with no listener, so that one added later hears only
/// what happens from then on.
#[derive(Debug, Default)]
pub struct Reporter {
    listeners: Listeners,
    /// What was last reported.
    reported: Reported,
}

/// What a [`Reporter`] last told its listeners about.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Reported {
    /// The round the run was in.
    round: u64,
    /// Convictions of the last crash.
    detections: usize,
    /// Whether the followed update had reached every node.
    spread_done: bool,
    /// Whether the scenario had ended.
    scenario_done: bool,
}

impl Reporter {
    /// A reporter to these listeners.
    pub fn new(listeners: Listeners) -> Self {
        Self {
            listeners,
            reported: Reported::default(),
        }
    }

    /// Calls the listeners for what changed in `lab`.
    pub fn report(&mut self, lab: &Lab) {
        let sim = lab.sim();
        let round = sim.round();
        let detections = lab.last_crash_detections().len();
        let spread_done = lab
            .spread()
            .is_some_and(|s| s.fractions.last() == Some(&1.0));
        let scenario_done = lab.scenario().is_some_and(|(_, _, done)| done);
        let last = std::mem::replace(
            &mut self.reported,
            Reported {
                round,
                detections,
                spread_done,
                scenario_done,
            },
        );
        if self.listeners.borrow().is_empty() {
            return;
        }
        let mut events: Vec<(&str, Vec<(&str, f64)>)> = Vec::new();
        if round != last.round {
            events.push((
                "round",
                vec![
                    ("round", round as f64),
                    ("nodes", sim.nodes().len() as f64),
                    ("time_s", lab.sim_time() / 1000.0),
                ],
            ));
        }
        if detections > last.detections {
            let seconds = lab.last_crash_detections().last().copied().unwrap_or(0) as f64 / 1000.0;
            events.push((
                "convicted",
                vec![("convictions", detections as f64), ("after_s", seconds)],
            ));
        }
        if spread_done && !last.spread_done {
            let rounds = lab.spread().map_or(0, |s| s.fractions.len());
            events.push(("spread", vec![("rounds", rounds as f64)]));
        }
        if scenario_done && !last.scenario_done {
            events.push(("scenario-end", vec![("round", round as f64)]));
        }
        let listeners = self.listeners.borrow().clone();
        for (name, fields) in events {
            let detail = js_sys::Object::new();
            for (key, value) in fields {
                let _ = js_sys::Reflect::set(&detail, &key.into(), &value.into());
            }
            let _ = js_sys::Reflect::set(&detail, &"type".into(), &name.into());
            for (_, f) in listeners.iter().filter(|(event, _)| event == name) {
                // A listener that throws is the host page's problem, not ours.
                let _ = f.call1(&JsValue::NULL, &detail);
            }
        }
    }
}

/// Offers `text` to the user as a file, `gossip-lab-run.jsonl` (a saved run).
pub fn download(text: &str) {
    let Ok(link) = gloo::utils::document().create_element("a") else {
        return;
    };
    let href = js_sys::encode_uri_component(text);
    let _ = link.set_attribute("href", &format!("data:application/x-ndjson,{href}"));
    let _ = link.set_attribute("download", "gossip-lab-run.jsonl");
    // `click` is HtmlElement's: called through JS, which spares the page a web-sys
    // feature.
    if let Ok(click) = js_sys::Reflect::get(&link, &"click".into()) {
        let _ = click.unchecked_into::<js_sys::Function>().call0(&link);
    }
}
