//! The page's child components, each small and fed plain props (after Yew's boids):
//! the play bar (shared by the full and the compact layouts), the parameter panel
//! and the scenario panel; the inspector ([`crate::inspector`]) and the charts
//! ([`crate::charts`]) read the lab through a [`LabRef`]. The parts with nothing to
//! compare or keep (the notices, the selected node's actions, the view toggles, the
//! event feed, the shortcuts overlay) are plain view functions: a component costs
//! the page about half a kilobyte. None of them changes the lab: they emit a
//! [`Control`], which `App` routes.

use std::cell::RefCell;
use std::rc::Rc;

use gossip_core::NodeId;

use crate::model::{Lab, LabAction};
use crate::settings::Restart;

pub mod event_feed;
pub mod help;
pub mod message_view;
pub mod node_actions;
pub mod notices;
pub mod page;
pub mod param_panel;
pub mod play_bar;
pub mod ring_panel;
pub mod scenario_panel;
pub mod timeline_bar;
pub mod view_toggles;

pub use event_feed::event_feed;
pub use help::help;
pub use message_view::message_view;
pub use node_actions::node_actions;
pub use notices::notices;
pub use page::Page;
pub use param_panel::{ParamPanel, summary};
pub use play_bar::PlayBar;
pub use ring_panel::ring_panel;
pub use scenario_panel::{ScenarioPanel, read_text};
pub use timeline_bar::timeline_bar;
pub use view_toggles::view_toggles;

/// What a child component asks of the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Control {
    /// A change to the lab.
    Act(LabAction),
    /// Start over with the settings changed.
    Restart(Restart),
    /// The user chose a scenario file.
    LoadFile(Option<web_sys::File>),
    /// Save the run as a scenario file.
    Save,
    /// Select a node (from the inspector).
    Select(NodeId),
}

/// The lab as the inspector and the charts read it: shared with the app, which
/// alone changes it, and compared by the app's render count, so that a child
/// re-renders exactly when the app does.
#[derive(Debug, Clone)]
pub struct LabRef {
    /// The lab.
    pub lab: Rc<RefCell<Lab>>,
    /// The app's render count when this was handed out.
    pub revision: u64,
}

impl PartialEq for LabRef {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision && Rc::ptr_eq(&self.lab, &other.lab)
    }
}
