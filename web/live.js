// Live mode: the page on a real cluster. `gossip-node cluster --serve ADDRESS`
// streams its nodes' lines over a WebSocket (gossip-node/src/serve.rs); this view
// draws the real nodes as the lab draws simulated ones (each coloured as the
// selected node sees it, datagrams on their paths), lists the selected node's view
// and the events, sends the actions back as scenario steps, and on request mounts
// the lab's own simulation of the same setup beside it, replaying the same steps
// at the same moments. The wasm routes here (web/src/live.rs); nothing of this is
// in the page until live mode is asked for.
import { mount } from './gossip-web.js';

/** How the selected node sees another: the lab's colours (web/src/draw.rs). */
const SEEN = {
  alive: '#34d399', suspect: '#fb923c', dead: '#ef4444', unheard: '#64748b',
  unknown: '#475569', selected: '#f8fafc', left: '#94a3b8',
};
const KIND = { Syn: '#fbbf24', Ack: '#38bdf8', Ack2: '#f472b6' };
/** The legend's words for the colours, as the lab's. */
const LEGEND = [
  ['selected', 'selected node'], ['alive', 'alive'], ['suspect', 'suspect'],
  ['dead', 'dead (convicted)'], ['left', 'left'], ['unheard', 'not heard from yet'],
  ['unknown', 'unknown to it'],
];
/** A loopback datagram takes microseconds: each is drawn over this long. */
const FLIGHT_MS = 400;
const FEED_MAX = 200;
/** How long the note says datagrams were sampled after the launcher last said so. */
const SAMPLED_SAID_MS = 1000;
const SIZE = 520;
/** Dots smaller than this carry no number. */
const LABELLED_RADIUS = 8;
/** How long the simulation beside the cluster can run: a day. */
const SIMULATED_S = 86400;
/** The feed's words for a node's events; the routine ones are left out. */
const WORDS = {
  suspected: (l) => `suspects node ${l.endpoint} (phi ${l.phi.toFixed(1)})`,
  convicted: (l) => `convicted node ${l.endpoint} (phi ${l.phi.toFixed(1)})`,
  alive: (l) => `hears node ${l.endpoint} again`,
  restarted: (l) => `learned node ${l.endpoint} restarted, generation ${l.generation}`,
  left: (l) => `learned node ${l.endpoint} left`,
  evicted: (l) => `removed node ${l.endpoint} from its view`,
  listening: (l) => `is up, generation ${l.generation}`,
  set: (l) => `set ${l.key} (version ${l.version})`,
  stopped: (l) => `stopped (${l.reason})`,
};
/** The feed's words for a step the launcher carried out. */
const STEPS = {
  crash: (n) => `node ${n} crashed (kill -9)`,
  restart: (n) => `node ${n} restarted, a new process in a newer generation`,
  leave: (n) => `node ${n} was told to leave (SIGTERM)`,
  join: (k) => `${k} new node${k === 1 ? '' : 's'} joined through the seeds`,
  update: (n) => `node ${n} set a key`,
  split: (k) => `the network split into ${k} groups (node i in group i mod ${k})`,
  partition: (groups) => `the network split into ${groups.map((g) => g.join(', ')).join(' | ')}`,
  heal: () => 'the partition healed',
};
/** What a real cluster cannot do, and why: shown disabled. */
const CANNOT = [
  ['Time travel', 'Real processes cannot be rewound: the simulation beside them can.'],
  ['Loss', 'The network is this machine\u2019s loopback, which loses nothing.'],
  ['Latency', 'Loopback delivers in microseconds; real latency is the network\u2019s.'],
  ['Speed', 'Real nodes gossip on the wall clock, once an interval.'],
];

const views = new WeakMap();

/** Opens the live view of the cluster at `url` in `element`. */
export function open(element, url) {
  close(element);
  views.set(element, new LiveView(element, url));
}

/** Closes the view in `element`: its socket, its frames, its simulation. */
export function close(element) {
  views.get(element)?.close();
  views.delete(element);
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
}

class LiveView {
  constructor(element, url) {
    this.element = element;
    this.url = url;
    this.nodes = [];       // addresses, by number
    this.generations = [];
    this.views = [];       // each node's latest view rows, by number
    this.flights = [];     // datagrams drawn: { from, to, kind, at }
    this.steps = [];       // the run's steps, as scenario lines
    this.crashes = [];     // { node, at_ms, by: Map(node → after_ms) }
    this.selected = 0;
    this.down = new Set(); // nodes whose process was crashed, or left
    this.setup = null;
    this.runMs = 0;        // the run's clock at `clockAt`
    this.clockAt = performance.now();
    this.sampled = '';     // the launcher's word that it sampled, and when it came
    this.sampledAt = -Infinity;
    this.build();
    this.connect();
    this.frame = requestAnimationFrame(() => this.paint());
    this.timer = setInterval(() => this.render(), 250);
  }

  build() {
    const e = this.element;
    e.replaceChildren();
    e.classList.add('gossip-lab', 'live');
    e.setAttribute('data-live', 'connecting');
    this.status = el('span', { 'data-readout': 'live-status' }, `connecting to ${this.url}…`);
    this.clock = el('span', { class: 'clock' });
    this.canvas = el('canvas', { width: SIZE, height: SIZE, 'aria-label': 'The real nodes' });
    this.canvas.style.cssText = 'width:100%;max-width:520px;aspect-ratio:1;cursor:pointer';
    this.canvas.addEventListener('click', (ev) => this.click(ev));
    this.note = el('p', { class: 'drawn' });
    this.actions = el('div', { class: 'node-actions', role: 'group', 'aria-label': 'Actions on the real cluster' });
    const act = (label, command, title) => {
      const b = el('button', { type: 'button', 'data-action': label.toLowerCase(), title }, label);
      b.addEventListener('click', () => this.send(command()));
      this.actions.append(b);
    };
    act('Crash', () => ({ crash: this.selected }), 'kill -9 the selected node');
    act('Restart', () => ({ restart: this.selected }), 'Start the selected node again, in a newer generation');
    act('Leave', () => ({ leave: this.selected }), 'SIGTERM: the selected node announces it leaves');
    act('Update', () => ({ update: this.selected }), 'The selected node sets a key');
    act('Join', () => ({ join: 1 }), 'Start one more node, through the seeds');
    act('Partition', () => ({ split: 2 }), 'Split the nodes into two halves (even, odd)');
    act('Heal', () => ({ heal: true }), 'End the partition');
    const simulate = el('button', { type: 'button', 'data-action': 'simulate' }, 'Simulate beside');
    simulate.addEventListener('click', () => this.simulate());
    this.actions.append(simulate);
    const cannot = el('div', { class: 'cannot' });
    const reasons = el('ul');
    for (const [label, why] of CANNOT) {
      cannot.append(el('button', { type: 'button', disabled: '', title: why, 'aria-description': why }, label));
      reasons.append(el('li', {}, `${label}: ${why}`));
    }
    cannot.append(el('details', {}, el('summary', {}, 'Why?'), reasons));
    this.inspector = el('table', { class: 'inspector', 'data-live-view': '' });
    this.feed = el('ol', { class: 'feed', 'aria-live': 'polite', 'data-live-feed': '' },
      el('li', { 'data-kind': 'hint' }, 'Nothing yet: click a node, then Crash it, and watch the others convict it.'));
    this.detections = el('div', { class: 'detections', 'data-live-detections': '' });
    this.simBox = el('div', { class: 'live-sim' });
    this.simBox.hidden = true;
    const legend = el('p', { class: 'legend' });
    const swatch = (colour, label) => legend.append(el('span', { class: 'swatch', style: `background:${colour}` }), ` ${label} `);
    for (const [seen, label] of LEGEND) swatch(SEEN[seen], label);
    for (const [kind, colour] of Object.entries(KIND)) swatch(colour, kind);
    const real = el('div', { class: 'live-real' },
      el('h2', {}, 'The real cluster'), this.canvas, this.note, legend);
    e.append(
      el('p', { class: 'lede' }, 'Live: ', this.status, ' · ', this.clock),
      el('div', { class: 'live-figures' }, real, this.simBox),
      this.actions,
      el('p', { class: 'lede' }, 'Not on a real cluster: ', cannot),
      this.detections,
      el('div', { class: 'live-side' },
        el('section', {}, el('h2', {}, 'The selected node\u2019s view'), this.inspector),
        el('section', {}, el('h2', {}, 'What happened'), this.feed)),
    );
    const style = el('style', {}, `
      .gossip-lab.live { padding: .6rem; min-height: 100%; }
      .gossip-lab.live h2 { font-size: 1rem; margin: .3rem 0; }
      .gossip-lab.live .live-figures { display: flex; flex-wrap: wrap; gap: 1rem; }
      .gossip-lab.live .live-real, .gossip-lab.live .live-sim { flex: 1 1 420px; min-width: 0; max-width: 560px; }
      .gossip-lab.live .live-sim .lab-sim { height: 560px; }
      .gossip-lab.live .live-side { display: flex; flex-wrap: wrap; gap: 1rem; }
      .gossip-lab.live .live-side section { flex: 1 1 320px; max-height: 22rem; overflow: auto; }
      .gossip-lab.live .node-actions, .gossip-lab.live .cannot { display: inline-flex; flex-wrap: wrap; gap: .3rem; }
      .gossip-lab.live .detections table { border-collapse: collapse; }
      .gossip-lab.live .legend { font-size: .8rem; color: #94a3b8; }
      .gossip-lab.live .legend .swatch { display: inline-block; width: .7rem; height: .7rem; border-radius: 50%; vertical-align: middle; }
      .gossip-lab.live td, .gossip-lab.live th { padding: .1rem .5rem; text-align: right; }`);
    e.append(style);
  }

  connect() {
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch (err) {
      this.setStatus('closed', `cannot connect to ${this.url}: ${err.message}`);
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.setStatus('open', `connected to ${this.url}`);
    socket.onclose = () => this.setStatus('closed',
      `${this.url} closed: is \`gossip-node cluster --serve\` running, and does it allow this page's origin (--allow-origin ${location.origin})?`);
    socket.onmessage = (m) => {
      let message;
      try {
        message = JSON.parse(m.data);
      } catch {
        return;
      }
      this.take(message);
    };
  }

  setStatus(state, text) {
    this.element.setAttribute('data-live', state);
    this.status.textContent = text;
  }

  send(command) {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify(command));
  }

  take(m) {
    if (m.type === 'hello') {
      this.nodes = m.nodes;
      this.setup = m.setup;
      this.steps = [];
      this.setClock(m.run_ms);
      for (const line of m.steps) this.takeStep(line, false);
      this.element.setAttribute('data-live-nodes', String(this.nodes.length));
    } else if (m.type === 'line') {
      this.takeLine(m);
    } else if (m.type === 'step') {
      this.takeStep(m.line, true);
    } else if (m.type === 'sampled') {
      this.sampled = `Datagrams come faster than a page can draw: ${m.shown} of ${m.sent} in each ${m.window_ms} ms are drawn.`;
      this.sampledAt = performance.now();
    } else if (m.type === 'error') {
      this.log(null, `Refused: ${m.message}`, 'error');
    }
  }

  setClock(runMs) {
    if (runMs > this.now()) {
      this.runMs = runMs;
      this.clockAt = performance.now();
    }
  }

  /** The run's clock now, as the launcher keeps it. */
  now() {
    return this.runMs + (performance.now() - this.clockAt);
  }

  takeLine(l) {
    this.setClock(l.at_ms);
    const node = l.node;
    if (l.event === 'view') {
      this.views[node] = l.rows;
      return;
    }
    if (l.event === 'sent') {
      this.flights.push({ from: node, to: l.to, kind: l.kind, at: performance.now() });
      return;
    }
    if (l.event === 'listening') {
      this.generations[node] = l.generation;
      this.nodes[node] = l.address;
      this.element.setAttribute('data-live-nodes', String(this.nodes.filter(Boolean).length));
    }
    if (l.event === 'convicted') {
      const crash = this.crashes.findLast((c) => c.node === l.endpoint && l.at_ms >= c.at_ms);
      if (crash && !crash.by.has(node) && node !== l.endpoint) crash.by.set(node, l.at_ms - crash.at_ms);
    }
    const words = WORDS[l.event];
    if (words) this.log(l.at_ms, `Node ${node} ${words(l)}`, l.event);
  }

  takeStep(line, live) {
    this.steps.push(line);
    const step = JSON.parse(line);
    const at = step.at * 1000;
    this.setClock(at);
    if ('crash' in step || 'leave' in step) this.down.add(step.crash ?? step.leave);
    if ('restart' in step) this.down.delete(step.restart);
    if ('crash' in step) this.crashes.push({ node: step.crash, at_ms: at, by: new Map() });
    const [action, value] = Object.entries(step).find(([k]) => k !== 'at') ?? ['', ''];
    const words = STEPS[action]?.(value) ?? `${action} ${JSON.stringify(value)}`;
    this.log(at, `Carried out: ${words}`, 'step');
    if (live && this.sim) this.replay();
  }

  log(atMs, text, kind) {
    const when = atMs === null ? '' : `${seconds(atMs)} · `;
    this.feed.querySelector('[data-kind="hint"]')?.remove();
    const item = el('li', { class: kind === 'step' || kind === 'error' || kind === 'convicted' ? 'important' : '', 'data-kind': kind }, when + text);
    this.feed.prepend(item);
    while (this.feed.children.length > FEED_MAX) this.feed.lastChild.remove();
  }

  /** Where node `n` of `count` sits: evenly round the ring, node 0 at the top. */
  position(n, count) {
    const angle = (2 * Math.PI * n) / Math.max(count, 1) - Math.PI / 2;
    const r = SIZE * 0.4;
    return [SIZE / 2 + r * Math.cos(angle), SIZE / 2 + r * Math.sin(angle)];
  }

  /** How the selected node sees node `n`: its view's verdict, or unknown. */
  seen(n) {
    if (n === this.selected) return 'selected';
    const row = (this.views[this.selected] ?? []).find((r) => r.endpoint === n);
    if (!row) return 'unknown';
    if (row.status === 'left') return 'left';
    return row.seen;
  }

  paint() {
    this.frame = requestAnimationFrame(() => this.paint());
    const g = this.canvas.getContext('2d');
    const count = this.nodes.length;
    g.fillStyle = '#0b1020';
    g.fillRect(0, 0, SIZE, SIZE);
    g.strokeStyle = '#1e293b';
    g.lineWidth = 2;
    g.beginPath();
    g.arc(SIZE / 2, SIZE / 2, SIZE * 0.4, 0, 2 * Math.PI);
    g.stroke();
    const now = performance.now();
    this.flights = this.flights.filter((f) => now - f.at < FLIGHT_MS);
    for (const f of this.flights) {
      const [x0, y0] = this.position(f.from, count);
      const [x1, y1] = this.position(f.to, count);
      const t = (now - f.at) / FLIGHT_MS;
      const mine = f.from === this.selected || f.to === this.selected;
      g.globalAlpha = mine ? 1 : 0.35;
      g.strokeStyle = KIND[f.kind] ?? '#94a3b8';
      g.lineWidth = 1;
      g.beginPath();
      g.moveTo(x0, y0);
      g.lineTo(x1, y1);
      g.stroke();
      g.fillStyle = KIND[f.kind] ?? '#94a3b8';
      g.beginPath();
      g.arc(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, mine ? 5 : 3.5, 0, 2 * Math.PI);
      g.fill();
    }
    g.globalAlpha = 1;
    const radius = this.nodeRadius(count);
    for (let n = 0; n < count; n++) {
      const [x, y] = this.position(n, count);
      g.fillStyle = SEEN[this.seen(n)];
      g.beginPath();
      g.arc(x, y, radius, 0, 2 * Math.PI);
      g.fill();
      if (radius < LABELLED_RADIUS) continue;
      g.fillStyle = '#0b1020';
      g.font = 'bold 12px system-ui, sans-serif';
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.fillText(String(n), x, y);
    }
  }

  /** A node's dot: as large as 14 px, as small as the ring's room for `count`. */
  nodeRadius(count) {
    return Math.max(2, Math.min(14, (0.45 * 2 * Math.PI * SIZE * 0.4) / Math.max(count, 1)));
  }

  click(ev) {
    const box = this.canvas.getBoundingClientRect();
    const x = ((ev.clientX - box.left) / box.width) * SIZE;
    const y = ((ev.clientY - box.top) / box.height) * SIZE;
    let best = null;
    for (let n = 0; n < this.nodes.length; n++) {
      const [nx, ny] = this.position(n, this.nodes.length);
      const d = Math.hypot(nx - x, ny - y);
      if (d < this.nodeRadius(this.nodes.length) + 10 && (best === null || d < best.d)) best = { n, d };
    }
    if (best) this.select(best.n);
  }

  select(n) {
    this.selected = n;
    this.simHandle?.select(n);
    this.render();
  }

  /** The text parts, four times a second: clock, view table, detections. */
  render() {
    this.clock.textContent = `run clock ${seconds(this.now())}`;
    const rows = [...(this.views[this.selected] ?? [])].sort((a, b) => a.endpoint - b.endpoint);
    const self = this.selected;
    // Its own line if it started while the page watched; else the newest the others know.
    const known = this.views.flat().filter((r) => r?.endpoint === self).map((r) => r.generation);
    const generation = this.generations[self] ?? (known.length ? Math.max(...known) : '?');
    const down = this.down.has(self) ? ' \u2014 its process is down: this is the last view it printed' : '';
    this.element.setAttribute('data-live-selected', String(this.selected));
    this.element.setAttribute('data-live-view-size', String(rows.length));
    this.inspector.replaceChildren(
      el('caption', {}, `Node ${self} (${this.nodes[self] ?? '?'}, generation ${generation}) knows ${rows.length} others${down}`),
      el('tr', {}, ...['node', 'generation', 'heartbeat', 'status', 'seen', 'phi'].map((h) => el('th', {}, h))),
      ...rows.map((r) => el('tr', { 'data-endpoint': String(r.endpoint), 'data-seen': r.seen },
        ...[r.endpoint, r.generation, r.heartbeat, r.status ?? '', r.seen, r.phi.toFixed(2)].map((c) => el('td', {}, String(c))))),
    );
    const sampling = performance.now() - this.sampledAt < SAMPLED_SAID_MS;
    this.note.textContent = sampling ? this.sampled :
      `${this.nodes.length} gossip-node processes. Each datagram is drawn over ${FLIGHT_MS / 1000} s; on loopback it takes microseconds.`;
    this.renderDetections();
  }

  renderDetections() {
    const crash = this.crashes.at(-1);
    if (!crash) {
      this.detections.replaceChildren();
      return;
    }
    const real = [...crash.by.values()];
    const simulated = this.simHandle ? this.simState()?.detections_s?.map((s) => s * 1000) ?? [] : null;
    const row = (label, xs, attr) => el('tr', { [attr]: String(xs?.length ?? 0) },
      el('th', {}, label),
      el('td', {}, xs === null ? 'press Simulate beside' : String(xs.length)),
      el('td', {}, xs?.length ? seconds(median(xs)) : '–'),
      el('td', {}, xs?.length ? `${seconds(Math.min(...xs))} – ${seconds(Math.max(...xs))}` : '–'));
    this.detections.replaceChildren(el('table', {},
      el('caption', {}, `Node ${crash.node} crashed at ${seconds(crash.at_ms)}: how long each other node took to convict it`),
      el('tr', {}, ...['', 'convicted by', 'median', 'range'].map((h) => el('th', {}, h))),
      row('real', real, 'data-real'),
      row('simulated', simulated, 'data-simulated')));
  }

  simState() {
    try {
      return this.simHandle.state();
    } catch {
      return null;
    }
  }

  /** Mounts the lab's simulation of the same setup beside the real cluster. */
  simulate() {
    if (!this.setup) return;
    this.simBox.hidden = false;
    if (!this.sim) {
      this.simBox.append(el('h2', {}, 'Its simulation: the same setup, the same steps at the same moments'));
      this.sim = el('div', { class: 'lab-sim' });
      this.simBox.append(this.sim);
      this.simHandle = mount(this.sim, { controls: 'play', autoplay: false });
    }
    this.replay();
  }

  /** Starts the simulation over with the run's steps so far, and plays it from now.
   * A loaded run pauses at its last step, so the last is a caption a day away. */
  replay() {
    const first = '{"at": 0, "caption": "The same cluster, simulated: the steps the real one took, at the same moments, on a 1 ms network like loopback (too fast to see its messages fly)."}';
    const last = `{"at": ${SIMULATED_S}, "caption": "The simulation beside the cluster ends here."}`;
    const text = [this.setup, first, ...this.steps, last].join('\n');
    try {
      this.simHandle.load(text);
    } catch (err) {
      this.log(null, `The simulation refused the run: ${err.message}`, 'error');
      return;
    }
    this.simHandle.select(this.selected);
    this.simHandle.seek(this.now() / 1000);
    this.simHandle.play();
  }

  close() {
    cancelAnimationFrame(this.frame);
    clearInterval(this.timer);
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close();
    }
    this.simHandle?.destroy();
    this.element.replaceChildren();
    this.element.classList.remove('gossip-lab', 'live');
    for (const name of this.element.getAttributeNames()) {
      if (name.startsWith('data-live')) this.element.removeAttribute(name);
    }
  }
}
