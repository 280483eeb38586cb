//! How an instance of the lab starts: on the app's own page (from the URL), or
//! mounted into a docs page (from options), and what each way implies.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::host::Listeners;
use crate::model::Lab;
use crate::settings::{self, Problem, Settings};

/// How an instance starts: its settings and where they came from.
#[derive(Debug, Clone, Default)]
pub struct Init {
    /// The settings, already checked.
    pub settings: Settings,
    /// What was wrong with the settings as given (URL parameters), to show.
    pub problems: Vec<Problem>,
    /// Compact, chrome-free controls for embedding.
    pub embed: bool,
    /// The page is the app: it keeps the URL equal to the settings and its keyboard
    /// shortcuts work anywhere on the page. Never for an instance mounted into
    /// someone else's page.
    pub own_url: bool,
    /// Functions to call on events.
    pub listeners: Listeners,
    /// The user's actions from the link (a run code, `run_code.rs`), to replay.
    pub run: Option<String>,
    /// The running lab, once the component has made it: what the JS API reads.
    pub lab: RefCell<Weak<RefCell<Lab>>>,
}

/// The component's properties: its [`Init`], compared by identity.
#[derive(Debug, Clone, Properties)]
pub struct Props {
    /// How to start.
    pub init: Rc<Init>,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.init, &other.init)
    }
}

impl Init {
    /// Whether the lab plays from the start: as its settings say, unless the user
    /// prefers reduced motion.
    pub fn starts_playing(&self) -> bool {
        let query = gloo::utils::window().match_media("(prefers-reduced-motion: reduce)");
        let reduced = query.ok().flatten().is_some_and(|m| m.matches());
        self.settings.autoplay && !reduced
    }

    /// The lab this instance starts with, its run code's actions scheduled, and the
    /// settings that were not used as given (a bad run code among them).
    pub fn start(&self) -> (Lab, Vec<Problem>) {
        let mut lab = Lab::new(self.settings.clone(), self.starts_playing());
        let mut problems = self.problems.clone();
        if let Some(code) = &self.run
            && let Err(why) = lab.schedule(code)
        {
            problems.push(Problem {
                name: "run",
                given: code.clone(),
                why,
                instead: "no actions".into(),
            });
        }
        (lab, problems)
    }

    /// Listens to the document: for the tab being hidden or shown, and on the app's
    /// own page for keys, so that its shortcuts work from the moment it loads
    /// (an embedded instance listens on its own element instead).
    pub fn listen(
        &self,
        on_visibility: Callback<()>,
        on_key: Callback<KeyboardEvent>,
    ) -> Vec<EventListener> {
        let document = gloo::utils::document();
        let mut listeners = vec![EventListener::new(
            &document,
            "visibilitychange",
            move |_| on_visibility.emit(()),
        )];
        if self.own_url {
            // Not passive (gloo's default): a key the lab uses, Space above all,
            // must not also scroll the page, so its default is prevented.
            let options = EventListenerOptions::enable_prevent_default();
            listeners.push(EventListener::new_with_options(
                &document,
                "keydown",
                options,
                move |e| {
                    if let Some(e) = e.dyn_ref::<KeyboardEvent>() {
                        crate::keys::claim(e);
                        on_key.emit(e.clone())
                    }
                },
            ));
        }
        listeners
    }

    /// Keeps the page's URL equal to `settings` and the user's actions (`run`, a
    /// run code), so that a link reproduces the run; only on the app's own page.
    pub fn write_url(&self, settings: &Settings, run: Option<&str>) {
        if !self.own_url {
            return;
        }
        let url = settings::link(settings, run);
        if let Ok(history) = gloo::utils::window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}
