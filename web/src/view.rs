//! What the user looks at, apart from the run itself: the selected node, what the
//! colours show, the message opened, the key looked up, the layout, the
//! inspector's sort, the feed's filter and the help. A jump in time keeps it as it
//! is: a checkpoint holds the run alone (`run.rs`). Each toggle has this one owner.

use gossip_core::NodeId;

use crate::hash_ring::{DEFAULT_RF, MAX_RF};
use crate::layout::Layout;
use crate::opened::Opened;

/// Above this many nodes the grid layout is the default.
pub const GRID_ABOVE: u32 = 1_000;

/// What the node colours show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    /// Alive, suspect or dead, as the selected node sees each.
    Status,
    /// Whether each node knows the latest update.
    Update,
}

/// How one node looks from the selected observer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// The observer itself.
    Observer,
    /// Known but never heard from since the observer started: not alive.
    Unheard,
    /// Alive.
    Alive,
    /// Suspect: phi above the suspect mark.
    Suspect,
    /// Convicted.
    Dead,
    /// Not in the observer's view.
    Unknown,
    /// Update mode: knows the latest update.
    Informed,
    /// Update mode: does not know it yet.
    Uninformed,
}

/// A column of the inspector's table, which the user can sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Endpoint id.
    Endpoint,
    /// Its generation.
    Generation,
    /// Its heartbeat version.
    Heartbeat,
    /// Reachability and STATUS.
    Status,
    /// Phi.
    Phi,
    /// Seconds since the last update learned.
    Age,
    /// Number of tokens.
    Tokens,
}

impl Column {
    /// Every column, in table order.
    pub const ALL: [Column; 7] = [
        Column::Endpoint,
        Column::Generation,
        Column::Heartbeat,
        Column::Status,
        Column::Phi,
        Column::Age,
        Column::Tokens,
    ];

    /// Its header.
    pub fn title(self) -> &'static str {
        match self {
            Column::Endpoint => "endpoint",
            Column::Generation => "generation",
            Column::Heartbeat => "heartbeat",
            Column::Status => "status",
            Column::Phi => "phi",
            Column::Age => "age (s)",
            Column::Tokens => "tokens",
        }
    }
}

/// A key looked up on the selected node's ring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLookup {
    /// The key; none while empty.
    pub key: String,
    /// The replication factor: how many nodes hold it, 1 to [`MAX_RF`].
    pub rf: usize,
}

/// The view of a lab.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// The node whose view colours the others and fills the inspector.
    pub selected: NodeId,
    /// What the colours show.
    pub color_mode: ColorMode,
    /// The message open in the exchange inspector.
    pub opened: Option<Opened>,
    /// The key looked up.
    pub lookup: KeyLookup,
    /// Nodes on the ring, or in a grid.
    pub layout: Layout,
    /// The inspector's sort: by which column, ascending or not.
    pub sort: (Column, bool),
    /// The feed shows only the selected node's lines.
    pub feed_filter: bool,
    /// The keyboard help is open.
    pub help: bool,
}

impl View {
    /// The view of a new run of `nodes`: node 0 selected, statuses coloured, the
    /// layout that suits its size.
    pub fn new(nodes: u32) -> Self {
        Self {
            selected: NodeId(0),
            color_mode: ColorMode::Status,
            opened: None,
            lookup: KeyLookup {
                key: String::new(),
                rf: DEFAULT_RF,
            },
            layout: fit_layout(nodes),
            sort: (Column::Endpoint, true),
            feed_filter: false,
            help: false,
        }
    }

    /// Colours by status, or by who knows the update.
    pub fn toggle_color_mode(&mut self) {
        self.color_mode = match self.color_mode {
            ColorMode::Status => ColorMode::Update,
            ColorMode::Update => ColorMode::Status,
        };
    }

    /// The ring, or the grid.
    pub fn toggle_layout(&mut self) {
        self.layout = match self.layout {
            Layout::Ring => Layout::Grid,
            Layout::Grid => Layout::Ring,
        };
    }

    /// Sorts the inspector by `column`: ascending first, descending when asked again.
    pub fn sort_by(&mut self, column: Column) {
        self.sort = (column, self.sort.0 != column || !self.sort.1);
    }

    /// The replication factor of lookups, clamped to 1 to [`MAX_RF`].
    pub fn set_rf(&mut self, rf: usize) {
        self.lookup.rf = rf.clamp(1, MAX_RF);
    }
}

/// The layout that suits `nodes`: a ring, or above [`GRID_ABOVE`] a grid.
fn fit_layout(nodes: u32) -> Layout {
    if nodes > GRID_ABOVE {
        Layout::Grid
    } else {
        Layout::Ring
    }
}
