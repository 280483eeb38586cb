//! The two layouts of the lab: the full page, and the compact one a docs page
//! embeds, which shows only what its figure needs (the controls its host chose,
//! and the exchange or the ring only while one is opened or looked up).

use yew::prelude::*;

use super::{
    Control, LabRef, ParamPanel, PlayBar, ScenarioPanel, event_feed, help, message_view,
    node_actions, notices, ring_panel, summary, timeline_bar, view_toggles,
};
use crate::charts::Charts;
use crate::inspector::Inspector;
use crate::model::{Lab, LabAction};
use crate::settings::{self, Controls, Problem};
use crate::stage::{Stage, legend};

/// What a layout is drawn from.
pub struct Page<'a> {
    /// The lab.
    pub lab: &'a Lab,
    /// The lab for the children that keep a reference to it.
    pub lab_ref: LabRef,
    /// The canvas.
    pub stage: &'a Stage,
    /// The settings that were not used as given.
    pub problems: &'a [Problem],
    /// Where the controls send what they ask.
    pub on_control: Callback<Control>,
    /// A click on the canvas.
    pub on_click: Callback<MouseEvent>,
}

impl Page<'_> {
    /// The play bar, with `children` after its controls.
    fn play_bar(&self, compact: bool, children: Html) -> Html {
        let (lab, settings) = (self.lab, self.lab.settings());
        let permalink = settings::link(settings, lab.run_code().as_deref());
        html! {
            <PlayBar playing={lab.playing()} speed={settings.speed} {compact} seed={settings.seed}
                {permalink} nodes={lab.sim().nodes().len()}
                clock={self.stage.clock()} on_control={self.on_control.clone()}>{ children }</PlayBar>
        }
    }

    /// The compact layout; `on_key` where the lab listens to keys itself.
    pub fn embedded(&self, on_key: Option<Callback<KeyboardEvent>>) -> Html {
        let (lab, on_control) = (self.lab, &self.on_control);
        let controls = lab.settings().controls;
        html! {
            <div class="gossip-lab embed" tabindex="0" onkeydown={on_key} data-controls={controls.name()}>
                { notices(self.problems, lab, true) }
                if controls != Controls::None {
                    { self.play_bar(true, Html::default()) }
                }
                <div class="stage">{ self.stage.view(self.on_click.clone()) }</div>
                if controls == Controls::Full {
                    { timeline_bar(lab, on_control) }
                }
                if lab.opened().is_some() {
                    { message_view(lab, on_control) }
                }
                if !lab.key().0.is_empty() {
                    { ring_panel(lab, on_control) }
                }
            </div>
        }
    }

    /// The full page.
    pub fn full(&self) -> Html {
        let (lab, on_control) = (self.lab, &self.on_control);
        let (settings, view) = (lab.settings(), lab.view());
        let views = view_toggles(view.color_mode, view.layout, on_control);
        html! {
            <main class="gossip-lab full" tabindex="0">
                <header>
                    <h1>{ "Gossip Lab" }</h1>
                    <p class="lede" data-readout="lede">{ summary(settings) }</p>
                </header>
                <div class="stage">
                    { notices(self.problems, lab, false) }
                    { self.stage.view(self.on_click.clone()) }
                    { timeline_bar(lab, on_control) }
                    { self.play_bar(false, views) }
                    { legend(view.color_mode) }
                </div>
                <aside class="side">
                    { node_actions(lab.selected().0, lab.partitioned(), on_control) }
                    { ring_panel(lab, on_control) }
                    <ParamPanel settings={settings.clone()} on_control={on_control.clone()} />
                    <ScenarioPanel selected={settings.scenario.clone().map(AttrValue::from)} on_control={on_control.clone()} />
                </aside>
                { message_view(lab, on_control) }
                if view.help {
                    { help(&on_control.reform(|()| Control::Act(LabAction::ToggleHelp))) }
                }
                <Charts lab={self.lab_ref.clone()} />
                { event_feed(lab, view.feed_filter, on_control) }
                <Inspector lab={self.lab_ref.clone()} sort={view.sort} on_control={on_control.clone()} />
            </main>
        }
    }
}
