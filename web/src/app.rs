//! The Gossip Lab component. It owns the animation loop and routes messages, and
//! nothing else (after Oort3's `simulation_window.rs`): while playing (and visible)
//! it holds an [`AnimationFrame`] and asks for the next one from each frame; pausing
//! or hiding the tab drops it, so a paused page requests no frames. Each frame goes
//! to the [`Stage`], which draws straight onto the canvas; the virtual DOM (the
//! child components) is diffed a few times a second, never per frame. All state
//! changes go through [`Lab::apply`].

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::file::callbacks::FileReader;
use gloo::render::{AnimationFrame, request_animation_frame};
use yew::prelude::*;

use crate::components::{Control, LabRef, Page, read_text};
use crate::host::Reporter;
use crate::instance::{Init, Props};
use crate::keys::{self, KeyContext};
use crate::model::{Lab, LabAction, Pick};
use crate::settings::{self, Problem, Restart, Settings};
use crate::stage::{Hit, Stage};

/// How often the DOM (inspector, charts, buttons) is re-rendered while playing.
const RENDER_EVERY_MS: f64 = 250.0;
/// How long a frame re-simulates a jump in time before it shows how far it got: a
/// long jump (1,000 nodes, minutes back) plays forward visibly, and the page answers.
const REWIND_FRAME_MS: f64 = 40.0;

/// What the user, a child component or the browser asks of the app.
pub enum Msg {
    /// An animation frame, at the browser's timestamp in milliseconds.
    Frame(f64),
    /// From a control, the keyboard or the JS API.
    Control(Control),
    /// Start over with these settings (the JS API's `reset`).
    Configure(Settings),
    /// The chosen scenario file's text, or why it could not be read.
    FileLoaded(Result<String, String>),
    /// A click on the canvas, in CSS pixels from its top-left corner.
    Click(f64, f64),
    /// A key press.
    Key(KeyboardEvent),
    /// The tab was hidden or shown.
    Visibility,
    /// A frame for the jump in time under way: it re-simulates for a while, then
    /// shows how far it got.
    Rewind,
}

/// The whole lab: the stage, the controls and the simulation they drive.
pub struct App {
    lab: Rc<RefCell<Lab>>,
    /// Renders so far: the children's [`LabRef`]s compare by it.
    revision: u64,
    stage: Stage,
    problems: Vec<Problem>,
    /// The pending frame request; `None` exactly when the loop is stopped.
    frame: Option<AnimationFrame>,
    last_frame_at: Option<f64>,
    last_render_at: f64,
    hidden: bool,
    reader: Option<FileReader>,
    /// The visibility listener, and on the app's own page the keyboard's.
    _listeners: Vec<EventListener>,
    /// How the instance started: embedded or the page, and whether it owns the URL.
    init: Rc<Init>,
    reporter: Reporter,
    /// The frame the jump in time under way waits for.
    rewind: Option<AnimationFrame>,
}

impl App {
    /// Runs the loop exactly while the lab plays and the tab is visible.
    fn sync_loop(&mut self, ctx: &Context<Self>) {
        if self.lab.borrow().playing() && !self.hidden {
            if self.frame.is_none() {
                let link = ctx.link().clone();
                self.frame = Some(request_animation_frame(move |at| {
                    link.send_message(Msg::Frame(at))
                }));
            }
        } else {
            self.frame = None;
            self.last_frame_at = None;
        }
    }

    fn write_url(&self) {
        let lab = self.lab.borrow();
        self.init
            .write_url(lab.settings(), lab.run_code().as_deref());
    }

    /// Asks for a frame to go on with the jump in time under way (`Msg::Rewind`).
    fn rewind_next_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.rewind = Some(request_animation_frame(move |_| {
            link.send_message(Msg::Rewind)
        }));
    }

    /// Applies an action that builds a new cluster (new settings, a scenario file);
    /// the page renders it.
    fn rebuild(&mut self, action: LabAction) -> bool {
        self.lab.borrow_mut().apply(action);
        self.stage.new_run();
        self.write_url();
        true
    }

    /// Starts over with the settings changed, showing what was not used as given.
    fn restart(&mut self, change: Restart) -> bool {
        let mut settings = self.lab.borrow().settings().clone();
        self.problems = change.apply(&mut settings).err().into_iter().collect();
        self.problems.extend(settings::reconcile(&mut settings));
        self.rebuild(LabAction::Configure(settings))
    }

    /// Carries out what a control asks; true if the page must render.
    fn control(&mut self, ctx: &Context<Self>, control: Control) -> bool {
        match control {
            // A jump in time re-simulates, frame by frame: "rewinding…" shows meanwhile.
            Control::Act(action @ (LabAction::Seek(_) | LabAction::Live)) => {
                self.lab.borrow_mut().apply(action);
                self.rewind_next_frame(ctx);
            }
            Control::Act(action) => {
                self.lab.borrow_mut().apply(action);
                self.write_url();
            }
            Control::Save => crate::host::download(&self.lab.borrow().save()),
            Control::Select(id) => self.lab.borrow_mut().apply(LabAction::Select(id)),
            Control::Restart(change) => return self.restart(change),
            Control::LoadFile(file) => {
                if let Some(file) = file {
                    self.reader = Some(read_text(file, ctx.link().callback(Msg::FileLoaded)));
                }
                return false;
            }
        }
        true
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = Props;

    fn create(ctx: &Context<Self>) -> Self {
        let init = ctx.props().init.clone();
        let (lab, problems) = init.start();
        let lab = Rc::new(RefCell::new(lab));
        *init.lab.borrow_mut() = Rc::downgrade(&lab);
        let link = ctx.link();
        let listeners = init.listen(link.callback(|()| Msg::Visibility), link.callback(Msg::Key));
        let app = Self {
            stage: Stage::default(),
            lab,
            revision: 0,
            problems,
            frame: None,
            last_frame_at: None,
            last_render_at: 0.0,
            hidden: gloo::utils::document().hidden(),
            reader: None,
            _listeners: listeners,
            init: init.clone(),
            reporter: Reporter::new(init.listeners.clone()),
            rewind: None,
        };
        app.write_url();
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let render = match msg {
            Msg::Frame(at) => {
                self.frame = None;
                let step = self.last_frame_at.map_or(0.0, |last| at - last);
                self.last_frame_at = Some(at);
                self.lab.borrow_mut().apply(LabAction::Frame(step));
                let lab = self.lab.borrow();
                self.stage.paint(&lab);
                self.stage.summarize(&lab, at);
                self.reporter.report(&lab);
                let due = at - self.last_render_at >= RENDER_EVERY_MS || !lab.playing();
                drop(lab);
                if due {
                    self.last_render_at = at;
                }
                self.sync_loop(ctx);
                due
            }
            Msg::Control(control) => self.control(ctx, control),
            Msg::Configure(settings) => {
                self.problems.clear();
                self.rebuild(LabAction::Configure(settings))
            }
            Msg::FileLoaded(text) => {
                self.reader = None;
                self.rebuild(LabAction::LoadScenario(text))
            }
            Msg::Click(x, y) => {
                // Messages open while paused: the exchange view then shows the one opened.
                let messages = !self.lab.borrow().playing();
                match self.stage.hit(x, y, messages) {
                    Some(Hit::Node(id)) => self.control(ctx, Control::Select(id)),
                    Some(Hit::Message(n)) => {
                        self.control(ctx, Control::Act(LabAction::Open(Pick::InFlight(n))))
                    }
                    None => false,
                }
            }
            Msg::Key(e) => {
                let at = KeyContext::of(&self.lab.borrow());
                match keys::pressed(&e, at) {
                    Some(control) => self.control(ctx, control),
                    None => false,
                }
            }
            Msg::Visibility => {
                self.hidden = gloo::utils::document().hidden();
                false
            }
            Msg::Rewind => {
                self.rewind = None;
                let started = js_sys::Date::now();
                let done = self
                    .lab
                    .borrow_mut()
                    .rewind_while(|| js_sys::Date::now() - started < REWIND_FRAME_MS);
                if done {
                    self.write_url();
                } else {
                    self.rewind_next_frame(ctx);
                }
                true
            }
        };
        self.revision += u64::from(render);
        self.sync_loop(ctx);
        if self.frame.is_none() && !render {
            // Paused: the canvas still shows every change at once (after a render,
            // `rendered` paints it, at the size the render left it).
            self.stage.paint(&self.lab.borrow());
        }
        render
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lab = self.lab.borrow();
        let page = Page {
            lab: &lab,
            lab_ref: LabRef {
                lab: self.lab.clone(),
                revision: self.revision,
            },
            stage: &self.stage,
            problems: &self.problems,
            on_control: link.callback(Msg::Control),
            on_click: link.callback(|e: MouseEvent| {
                Msg::Click(f64::from(e.offset_x()), f64::from(e.offset_y()))
            }),
        };
        if self.init.embed {
            // On its own page (an iframe) the document listens to keys already.
            let on_key = (!self.init.own_url).then(|| {
                link.callback(|e: KeyboardEvent| {
                    keys::claim(&e);
                    Msg::Key(e)
                })
            });
            page.embedded(on_key)
        } else {
            page.full()
        }
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            self.stage.paint(&self.lab.borrow());
            self.sync_loop(ctx);
        } else if self.frame.is_none() {
            // Paused, a render may have resized the canvas (an embedded lab's exchange
            // view comes and goes): paint it again at the size it is shown.
            self.stage.paint(&self.lab.borrow());
        }
    }
}
