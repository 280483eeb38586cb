// The lesson's figures: a stepper over the lab's JS API, as any docs site would
// embed Gossip Lab. A chapter writes a figure as plain HTML:
//
//   <figure class="lesson" data-options='{"nodes": 10, "seed": 4}' data-readout="exchange">
//     <ol class="steps">
//       <li data-at="0">What the reader sees first.</li>
//       <li data-at="3" data-select="2">What to watch while the figure plays to 3 s.</li>
//     </ol>
//   </figure>
//
// Each step ends at a moment of the run (`data-at`, simulated seconds). Next plays
// the figure to it; "Skip" jumps there at once; Back (and any step picked again)
// seeks there, so the figure is exactly as it was, because the lab re-simulates its
// past. A step may start a new run (`data-options`, merged over the figure's), select
// a node (`data-select`), and on arrival open a message (`data-open`: Syn, Ack, Ack2)
// or look a key up (`data-lookup`). `data-predict` asks the reader a number first;
// `data-check` names a claim of the step, shown live as it holds or not yet.
// `data-compare` on the figure mounts one lab per entry, side by side, all driven
// by the same steps. `data-readout` names a function below that words the figure's
// numbers, read from `lab.state()`, four times a second.
//
// The lab lives at the site's root, the book under it in /book/: this script is
// /book/lesson.js, so the lab's module is ../gossip-web.js from here.
(() => {
  const figures = [...document.querySelectorAll('figure.lesson')];
  if (figures.length === 0) return;
  const LAB = new URL('../', document.currentScript.src);
  // The lab's module, and the readouts and checks (lesson-model.js, beside this
  // script): a figure mounts its labs, and reads them, once both are there.
  let model = null;
  const ready = Promise.all([
    import(new URL('gossip-web.js', LAB)),
    import(new URL('lesson-model.js', document.currentScript.src)),
  ]).then(async ([module, lessonModel]) => {
    await module.default();
    model = lessonModel;
    return module;
  });

  class Figure {
    constructor(element, index) {
      this.el = element;
      this.steps = [...element.querySelectorAll('ol.steps > li')];
      this.base = JSON.parse(element.dataset.options || '{}');
      this.compare = JSON.parse(element.dataset.compare || '[{}]');
      this.current = 0;
      this.target = null;
      this.labs = [];
      this.runKey = null;
      element.id ||= `figure-${index + 1}`;
      this.build();
      this.el.lesson = this;
    }

    /** The figure's parts: the labs, a readout, the bar that never moves, the step's text. */
    build() {
      const id = this.el.id;
      this.el.querySelector('ol.steps').hidden = true;
      this.stage = document.createElement('div');
      this.stage.className = 'lesson-labs';
      this.slots = this.compare.map((_, i) => {
        const slot = document.createElement('div');
        slot.className = 'lesson-lab';
        const lab = document.createElement('div');
        lab.className = 'lesson-mount';
        const link = document.createElement('a');
        link.className = 'lesson-open';
        link.target = '_blank';
        link.textContent = this.compare.length > 1
          ? `open ${Object.values(this.compare[i]).join(', ')} in the full page`
          : 'open this run in the full page';
        slot.append(lab, link);
        this.stage.append(slot);
        return { lab, link };
      });
      this.readout = document.createElement('p');
      this.readout.className = 'lesson-readout';
      this.readout.dataset.readout = this.el.dataset.readout || '';
      const bar = document.createElement('div');
      bar.className = 'lesson-bar';
      bar.setAttribute('role', 'group');
      bar.setAttribute('aria-label', 'Lesson steps');
      this.back = button('◀ Back', 'back', () => this.go(this.current - 1));
      this.counter = document.createElement('span');
      this.counter.className = 'lesson-counter';
      this.counter.setAttribute('aria-live', 'polite');
      this.next = button('Next ▶', 'next', () => this.onNext());
      this.skip = button('Skip to its end', 'skip', () => this.finish());
      const keys = document.createElement('span');
      keys.className = 'lesson-keys';
      keys.textContent = 'keys: → next, ← back, s skip';
      bar.append(this.back, this.counter, this.next, this.skip, keys);
      this.text = document.createElement('div');
      this.text.className = 'lesson-text';
      this.text.id = `${id}-text`;
      this.text.setAttribute('aria-live', 'polite');
      this.check = document.createElement('p');
      this.check.className = 'lesson-check';
      this.check.setAttribute('role', 'status');
      this.el.append(this.stage, bar, this.text, this.check, this.readout);
      // A control of the figure's own (`<input data-option="nodes">`) starts the run
      // over with its value: the reader's hand on the figure, within the step.
      this.override = {};
      for (const input of this.el.querySelectorAll('input[data-option]')) {
        const name = input.dataset.option;
        const output = this.el.querySelector(`output[for="${input.id}"]`);
        input.addEventListener('input', () => { if (output) output.value = input.value; });
        input.addEventListener('change', () => {
          this.override = { [name]: Number(input.value) };
          this.runKey = null;
          this.go(this.current, true);
        });
        this.controls ??= [];
        this.controls.push({ input, name, output });
      }
      this.el.tabIndex = -1;
      this.el.addEventListener('keydown', (e) => this.onKey(e));
      // mdBook opens its search on the key's release: a key the figure used is kept
      // from it too.
      this.el.addEventListener('keyup', (e) => {
        if (this.used === e.key) e.stopPropagation();
        this.used = null;
      });
    }

    onKey(e) {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const inLab = this.slots.some(({ lab }) => lab.contains(e.target));
      const typing = ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.target.tagName);
      if (['ArrowRight', 'ArrowLeft'].includes(e.key)) {
        // mdBook turns the page on these keys; inside a figure they are the figure's.
        e.stopPropagation();
      }
      if (inLab || typing) return;
      const act = { ArrowRight: () => this.onNext(), n: () => this.onNext(), ArrowLeft: () => this.go(this.current - 1),
        b: () => this.go(this.current - 1), s: () => this.finish() }[e.key];
      if (act) {
        // mdBook's own keys (s opens its search) must not fire too.
        e.preventDefault();
        e.stopPropagation();
        this.used = e.key;
        act();
      }
    }

    /** Everything a step inherits: the options of the run it is in, and its selection. */
    stepRun(i) {
      let options = { ...this.base };
      let key = 'base';
      let select = null;
      for (let k = 0; k <= i; k++) {
        const step = this.steps[k].dataset;
        if (step.options) {
          options = { ...options, ...JSON.parse(step.options) };
          key = `step-${k}`;
          select = null;
        }
        if (step.select != null) select = Number(step.select);
      }
      if (Object.keys(this.override).length > 0) {
        options = { ...options, ...this.override };
        key = `${key}+${JSON.stringify(this.override)}`;
      }
      return { options, key, select };
    }

    at(i) {
      return Number(this.steps[i].dataset.at ?? 0);
    }

    /** Mounts the labs of a run, unless they run it already. */
    async ensureRun(i) {
      const { options, key } = this.stepRun(i);
      if (key === this.runKey) return false;
      const { mount } = await ready;
      for (const lab of this.labs) lab.destroy();
      this.labs = this.compare.map((extra, n) => {
        const all = { controls: 'play', speed: 1, ...options, ...extra, autoplay: false };
        this.slots[n].link.href = model.pageLink(all, LAB);
        return mount(this.slots[n].lab, all);
      });
      this.runKey = key;
      return true;
    }

    /** Shows step i's text and the bar's state. */
    show(i) {
      this.current = i;
      const step = this.steps[i];
      this.counter.textContent = `step ${i + 1} of ${this.steps.length}`;
      this.text.innerHTML = step.innerHTML;
      this.el.dataset.step = String(i + 1);
      enable(this.back, i > 0);
      enable(this.next, i < this.steps.length - 1);
      enable(this.skip, false);
      this.notice = null;
    }

    onNext() {
      if (this.current >= this.steps.length - 1) return;
      const step = this.steps[this.current].dataset;
      if (step.predict != null) {
        const input = this.text.querySelector('input');
        if (!input || input.value.trim() === '' || !Number.isFinite(Number(input.value))) {
          this.notice = 'Your guess first: type a number of rounds, then Next.';
          this.readout.textContent = this.notice;
          input?.focus();
          return;
        }
        this.el.dataset.guess = input.value.trim();
      }
      this.go(this.current + 1, true);
    }

    /** Goes to step i: playing it out from the step before, or restoring it exactly.
     * Calls run one after another, so that a quick reader never mounts a run twice. */
    go(i, play = false) {
      this.queue = (this.queue ?? Promise.resolve()).then(() => this.goNow(i, play));
      return this.queue;
    }

    async goNow(i, play) {
      if (i < 0 || i >= this.steps.length) return;
      const from = this.current;
      if (i !== from) this.override = {};
      delete this.el.dataset.arrived;
      this.show(i);
      const fresh = await this.ensureRun(i);
      for (const { input, name, output } of this.controls ?? []) {
        const value = this.stepRun(i).options[name];
        if (value != null) input.value = value;
        if (output) output.value = input.value;
      }
      const { select } = this.stepRun(i);
      for (const lab of this.labs) {
        if (select != null) lab.select(select);
        lab.lookUp('');
      }
      const at = this.at(i);
      this.target = i;
      // Played out only from the step before, or from the start of a new run.
      if (play && (fresh || i === from + 1)) {
        for (const lab of this.labs) lab.playTo(at);
        enable(this.skip, true);
      } else {
        for (const lab of this.labs) lab.seek(at);
      }
    }

    /** Jumps the step under way to its end. */
    finish() {
      if (this.target == null) return;
      for (const lab of this.labs) lab.seek(this.at(this.target));
    }

    /** Called four times a second: arrival, and the readout. */
    tick() {
      if (this.labs.length === 0) return;
      let states;
      try {
        states = this.labs.map((lab) => lab.state());
      } catch {
        return;
      }
      if (this.target != null) {
        const at = this.at(this.target);
        const arrived = states.every((s) => !s.playing && !s.jumping && Math.abs(s.time_s - at) < 1e-6);
        if (arrived) this.arrive(this.target);
      }
      const check = model?.CHECKS[this.steps[this.current].dataset.check];
      if (check) {
        const [holds, words] = check(states[0], states);
        this.check.dataset.holds = String(holds);
        this.check.textContent = `${holds ? '✓ holds' : '… not yet'}: ${words}`;
      } else {
        delete this.check.dataset.holds;
        this.check.textContent = '';
      }
      const readout = model?.READOUTS[this.el.dataset.readout];
      if (readout && !this.notice) this.readout.innerHTML = readout(states[0], states, this.el);
    }

    /** What a step does once there: open a message, look a key up. */
    arrive(i) {
      this.target = null;
      enable(this.skip, false);
      const step = this.steps[i].dataset;
      for (const lab of this.labs) {
        if (step.open) lab.open(step.open);
        if (step.lookup) lab.lookUp(step.lookup);
      }
      this.el.dataset.arrived = String(i + 1);
    }
  }

  /** A button of the bar. One that does nothing now says so (aria-disabled) but
   * stays focusable, so that a keyboard reader's focus never falls off the bar. */
  function button(label, action, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.lesson = action;
    b.addEventListener('click', () => {
      if (b.getAttribute('aria-disabled') !== 'true') onClick();
    });
    return b;
  }

  function enable(b, on) {
    b.setAttribute('aria-disabled', on ? 'false' : 'true');
  }

  const live = figures.map((element, i) => new Figure(element, i));
  for (const figure of live) {
    figure.show(0);
    figure.go(0);
  }
  setInterval(() => {
    for (const figure of live) figure.tick();
  }, 250);
})();
