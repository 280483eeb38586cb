// Live mode: the page on a real cluster. `gossip-node cluster --serve ADDRESS`
// streams its nodes' lines over a WebSocket (gossip-node/src/serve.rs); this view
// draws the real nodes as the lab draws simulated ones (each coloured as the
// selected node sees it, datagrams on their paths), lists the selected node's view
// and the events, sends the actions back as scenario steps, and on request mounts
// the lab's own simulation of the same setup beside it, replaying the same steps
// at the same moments. The wasm routes here (web/src/live.rs); nothing of this is
// in the page until live mode is asked for.
import { mount } from './gossip-web.js';
import { LiveState, median, nodeRadius, position, seconds } from './live-model.js';

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

class LiveView {
  constructor(element, url) {
    this.element = element;
    this.url = url;
    this.state = new LiveState(() => performance.now());
    this.flights = [];     // datagrams drawn: { from, to, kind, at }
    this.selected = 0;
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
    const { log, flight, stepped } = this.state.take(m);
    for (const [atMs, text, kind] of log) this.log(atMs, text, kind);
    if (flight) this.flights.push(flight);
    if (m.type === 'hello' || m.event === 'listening') {
      this.element.setAttribute('data-live-nodes', String(this.state.nodes.filter(Boolean).length));
    }
    if (stepped && this.sim) this.replay();
  }

  log(atMs, text, kind) {
    const when = atMs === null ? '' : `${seconds(atMs)} · `;
    this.feed.querySelector('[data-kind="hint"]')?.remove();
    const item = el('li', { class: kind === 'step' || kind === 'error' || kind === 'convicted' ? 'important' : '', 'data-kind': kind }, when + text);
    this.feed.prepend(item);
    while (this.feed.children.length > FEED_MAX) this.feed.lastChild.remove();
  }

  paint() {
    this.frame = requestAnimationFrame(() => this.paint());
    const g = this.canvas.getContext('2d');
    const count = this.state.nodes.length;
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
      const [x0, y0] = position(f.from, count, SIZE);
      const [x1, y1] = position(f.to, count, SIZE);
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
    const radius = nodeRadius(count, SIZE);
    for (let n = 0; n < count; n++) {
      const [x, y] = position(n, count, SIZE);
      g.fillStyle = SEEN[this.state.seen(this.selected, n)];
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

  click(ev) {
    const box = this.canvas.getBoundingClientRect();
    const x = ((ev.clientX - box.left) / box.width) * SIZE;
    const y = ((ev.clientY - box.top) / box.height) * SIZE;
    let best = null;
    const count = this.state.nodes.length;
    for (let n = 0; n < count; n++) {
      const [nx, ny] = position(n, count, SIZE);
      const d = Math.hypot(nx - x, ny - y);
      if (d < nodeRadius(count, SIZE) + 10 && (best === null || d < best.d)) best = { n, d };
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
    this.clock.textContent = `run clock ${seconds(this.state.now())}`;
    const self = this.selected;
    const rows = this.state.rows(self);
    const generation = this.state.generation(self);
    const down = this.state.down.has(self) ? ' \u2014 its process is down: this is the last view it printed' : '';
    this.element.setAttribute('data-live-selected', String(this.selected));
    this.element.setAttribute('data-live-view-size', String(rows.length));
    this.inspector.replaceChildren(
      el('caption', {}, `Node ${self} (${this.state.nodes[self] ?? '?'}, generation ${generation}) knows ${rows.length} others${down}`),
      el('tr', {}, ...['node', 'generation', 'heartbeat', 'status', 'seen', 'phi'].map((h) => el('th', {}, h))),
      ...rows.map((r) => el('tr', { 'data-endpoint': String(r.endpoint), 'data-seen': r.seen },
        ...[r.endpoint, r.generation, r.heartbeat, r.status ?? '', r.seen, r.phi.toFixed(2)].map((c) => el('td', {}, String(c))))),
    );
    this.note.textContent = this.state.sampling(SAMPLED_SAID_MS) ? this.state.sampled :
      `${this.state.nodes.length} gossip-node processes. Each datagram is drawn over ${FLIGHT_MS / 1000} s; on loopback it takes microseconds.`;
    this.renderDetections();
  }

  renderDetections() {
    const crash = this.state.lastCrash();
    if (!crash) {
      this.detections.replaceChildren();
      return;
    }
    const real = crash.real;
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
    if (!this.state.setup) return;
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
    const text = [this.state.setup, first, ...this.state.steps, last].join('\n');
    try {
      this.simHandle.load(text);
    } catch (err) {
      this.log(null, `The simulation refused the run: ${err.message}`, 'error');
      return;
    }
    this.simHandle.select(this.selected);
    this.simHandle.seek(this.state.now() / 1000);
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
