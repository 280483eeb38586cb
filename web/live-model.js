// Live mode's pure part: what the launcher's messages say of the real cluster, kept
// as plain state and worded, with no DOM, socket or clock of its own (the clock is
// passed in). `live.js` draws it; `tests/live-model.test.mjs` tests it under node.

/** The feed's words for a node's events; the routine ones are left out. */
export const WORDS = {
  suspected: (l) => `suspects node ${l.endpoint} (phi ${l.phi.toFixed(1)})`,
  convicted: (l) => `convicted node ${l.endpoint} (phi ${l.phi.toFixed(1)})`,
  alive: (l) => `hears node ${l.endpoint} again`,
  restarted: (l) => `learned node ${l.endpoint} restarted, generation ${l.generation}`,
  left: (l) => `learned node ${l.endpoint} left`,
  evicted: (l) => `removed node ${l.endpoint} from its view`,
  listening: (l) => `is up, generation ${l.generation}`,
  set: (l) => `set ${l.key} (version ${l.version})`,
  collision: (l) => `refused ${l.refused}: it has the id of ${l.kept}`,
  stopped: (l) => `stopped (${l.reason})`,
};

/** The feed's words for a step the launcher carried out. */
export const STEPS = {
  crash: (n) => `node ${n} crashed (kill -9)`,
  restart: (n) => `node ${n} restarted, a new process in a newer generation`,
  leave: (n) => `node ${n} was told to leave (SIGTERM)`,
  join: (k) => `${k} new node${k === 1 ? '' : 's'} joined through the seeds`,
  update: (n) => `node ${n} set a key`,
  split: (k) => `the network split into ${k} groups (node i in group i mod ${k})`,
  partition: (groups) => `the network split into ${groups.map((g) => g.join(', ')).join(' | ')}`,
  heal: () => 'the partition healed',
};

/** A duration in milliseconds, as the feed and the tables write it. */
export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The lower median of `xs`, or null when there is none. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
}

/** Where node `n` of `count` sits in a square of `size`: evenly round the ring,
 * node 0 at the top. */
export function position(n, count, size) {
  const angle = (2 * Math.PI * n) / Math.max(count, 1) - Math.PI / 2;
  const r = size * 0.4;
  return [size / 2 + r * Math.cos(angle), size / 2 + r * Math.sin(angle)];
}

/** A node's dot in a square of `size`: as large as 14 px, as small as the ring's
 * room for `count`, never below 2. */
export function nodeRadius(count, size) {
  return Math.max(2, Math.min(14, (0.45 * 2 * Math.PI * size * 0.4) / Math.max(count, 1)));
}

/** What the launcher has said of its cluster so far. `clock()` is the page's
 * monotonic clock in ms (`performance.now` in the browser). */
export class LiveState {
  constructor(clock) {
    this.clock = clock;
    this.nodes = [];       // addresses, by number
    this.generations = [];
    this.views = [];       // each node's latest view rows, by number
    this.steps = [];       // the run's steps, as scenario lines
    this.crashes = [];     // { node, at_ms, by: Map(node → after_ms) }
    this.down = new Set(); // nodes whose process was crashed, or left
    this.setup = null;
    this.runMs = 0;        // the run's clock at `clockAt`
    this.clockAt = clock();
    this.sampled = '';     // the launcher's word that it sampled, and when it came
    this.sampledAt = -Infinity;
  }

  /** Takes one message of the launcher's. Returns what the view should do with
   * it: `log` (feed lines, `[atMs, text, kind]`), `flight` (a datagram to draw),
   * `stepped` (a step carried out now, which a simulation beside replays). */
  take(m) {
    const out = { log: [], flight: null, stepped: false };
    if (m.type === 'hello') {
      this.nodes = m.nodes;
      this.setup = m.setup;
      this.steps = [];
      this.setClock(m.run_ms);
      for (const line of m.steps) out.log.push(this.takeStep(line));
    } else if (m.type === 'line') {
      this.takeLine(m, out);
    } else if (m.type === 'step') {
      out.log.push(this.takeStep(m.line));
      out.stepped = true;
    } else if (m.type === 'sampled') {
      this.sampled = `Datagrams come faster than a page can draw: ${m.shown} of ${m.sent} in each ${m.window_ms} ms are drawn.`;
      this.sampledAt = this.clock();
    } else if (m.type === 'error') {
      out.log.push([null, `Refused: ${m.message}`, 'error']);
    }
    return out;
  }

  setClock(runMs) {
    if (runMs > this.now()) {
      this.runMs = runMs;
      this.clockAt = this.clock();
    }
  }

  /** The run's clock now, as the launcher keeps it. */
  now() {
    return this.runMs + (this.clock() - this.clockAt);
  }

  takeLine(l, out) {
    this.setClock(l.at_ms);
    const node = l.node;
    if (l.event === 'view') {
      this.views[node] = l.rows;
      return;
    }
    if (l.event === 'sent') {
      out.flight = { from: node, to: l.to, kind: l.kind, at: this.clock() };
      return;
    }
    if (l.event === 'listening') {
      this.generations[node] = l.generation;
      this.nodes[node] = l.address;
    }
    if (l.event === 'convicted') {
      const crash = this.crashes.findLast((c) => c.node === l.endpoint && l.at_ms >= c.at_ms);
      if (crash && !crash.by.has(node) && node !== l.endpoint) crash.by.set(node, l.at_ms - crash.at_ms);
    }
    const words = WORDS[l.event];
    if (words) out.log.push([l.at_ms, `Node ${node} ${words(l)}`, l.event]);
  }

  /** Takes a step carried out, as a scenario line; returns its feed line. */
  takeStep(line) {
    this.steps.push(line);
    const step = JSON.parse(line);
    const at = step.at * 1000;
    this.setClock(at);
    if ('crash' in step || 'leave' in step) this.down.add(step.crash ?? step.leave);
    if ('restart' in step) this.down.delete(step.restart);
    if ('crash' in step) this.crashes.push({ node: step.crash, at_ms: at, by: new Map() });
    const [action, value] = Object.entries(step).find(([k]) => k !== 'at') ?? ['', ''];
    const words = STEPS[action]?.(value) ?? `${action} ${JSON.stringify(value)}`;
    return [at, `Carried out: ${words}`, 'step'];
  }

  /** How `selected` sees node `n`: its view's verdict, or unknown. */
  seen(selected, n) {
    if (n === selected) return 'selected';
    const row = (this.views[selected] ?? []).find((r) => r.endpoint === n);
    if (!row) return 'unknown';
    if (row.status === 'left') return 'left';
    return row.seen;
  }

  /** The rows of `selected`'s last printed view, by endpoint. */
  rows(selected) {
    return [...(this.views[selected] ?? [])].sort((a, b) => a.endpoint - b.endpoint);
  }

  /** `selected`'s generation: its own line if it started while the page watched,
   * else the newest the others know, else '?'. */
  generation(selected) {
    const known = this.views.flat().filter((r) => r?.endpoint === selected).map((r) => r.generation);
    return this.generations[selected] ?? (known.length ? Math.max(...known) : '?');
  }

  /** The last crash, with how long each other node took to convict it; null
   * before any. */
  lastCrash() {
    const crash = this.crashes.at(-1);
    return crash ? { node: crash.node, at_ms: crash.at_ms, real: [...crash.by.values()] } : null;
  }

  /** Whether the launcher said it sampled datagrams within the last `ms`. */
  sampling(ms) {
    return this.clock() - this.sampledAt < ms;
  }
}
