// The lesson's pure part: the words each figure's readout gives its lab's state,
// the claims a step checks on it, and the theory drawn beside a run; no DOM, no
// lab. `lesson.js` (mdBook's additional script) imports it beside the lab's module;
// `tests/lesson-model.test.mjs` tests it under node. A readout and a check take a
// lab's `state()` (web/src/snapshot.rs).

/** The full page's link to a run of these settings, the lab at `lab`. */
export function pageLink(options, lab) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(options)) {
    if (['controls', 'embed', 'autoplay'].includes(name)) continue;
    query.set(name, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return new URL(`index.html?${query}`, lab).href;
}

export const fmt = (x, digits = 0) =>
  x == null ? '–' : Number(x).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const count = (xs, f) => xs.filter(f).length;

/** Words for each figure's numbers: (the first lab's state, every lab's, the figure) → HTML. */
export const READOUTS = {
  traffic(s) {
    const gossip = s.messages_last_round / s.interval_s;
    const all = s.all_to_all_per_round / s.interval_s;
    return `<span data-claim="nodes">${fmt(s.nodes)}</span> nodes. All-to-all heartbeats: N(N−1) =
      <b data-claim="all-to-all">${fmt(all)}</b> messages a second.
      Gossip, measured in this run: <b data-claim="gossip">${fmt(gossip)}</b> messages a second,
      ${s.round < 2 ? '(after a round or two)' : `${fmt(all / Math.max(gossip, 1), 1)} times fewer`}.`;
  },
  exchange(s) {
    return `t = ${fmt(s.time_s, 1)} s, round ${s.round}. Node ${s.selected} is selected: its
      messages are bright, the others dimmed. The last round sent
      <b data-claim="messages">${s.messages_last_round}</b> messages among ${s.nodes} nodes.`;
  },
  opened(s) {
    return s.opened
      ? `Opened: the <b data-claim="opened">${s.opened}</b> below the figure, decoded from its bytes.`
      : `t = ${fmt(s.time_s, 2)} s. Nothing opened yet.`;
  },
  spread(s, all, figure) {
    const n = s.nodes;
    const theory = Math.log(n) / Math.log(3) + Math.log(Math.log(n));
    const guess = figure.dataset.guess;
    const rounds = s.spread_rounds;
    return `<span data-claim="informed">${s.informed ?? 0}</span> of ${n} nodes know the update
      (round ${s.round}).
      ${guess ? `You guessed <b>${guess}</b> rounds. ` : ''}
      ${rounds ? `It reached every node in <b data-claim="rounds">${rounds}</b> rounds.` : ''}
      Theory for push-pull: log₃N + ln ln N ≈ ${fmt(theory, 1)} rounds.
      ${spreadChart(s.fractions, n)}`;
  },
  compare(_s, all) {
    return all
      .map((s, i) => `${['push', 'pull', 'push-pull'][i]}: ${s.informed ?? 0}/${s.nodes}` +
        (s.spread_rounds ? ` in <b data-claim="rounds-${i}">${s.spread_rounds}</b> rounds` : ''))
      .join(' · ');
  },
  ring(s) {
    const up = count(s.up, (u) => u);
    const look = s.lookup
      ? ` Key "user:42": owner node <b data-claim="owner">${s.lookup.owner}</b>, replicas ${s.lookup.replicas.join(', ')}.`
      : '';
    return `<b data-claim="whole-rings">${s.whole_rings}</b> of ${up} nodes hold every node's tokens
      in their copy of the ring.${look}`;
  },
  members(s) {
    const sizes = s.members.map((m, i) => `${i}:${m}`);
    const whole = count(s.members, (m) => m === s.nodes);
    return `How many nodes each node knows (itself included): ${sizes.join(' ')}.
      <b data-claim="know-all">${whole}</b> of ${s.nodes} know all ${s.nodes}.`;
  },
  failure(s, _all, figure) {
    const node = Number(figure.dataset.crashed);
    const times = s.detections_s;
    const convicted = times.length
      ? ` Convicted by <b data-claim="detections">${times.length}</b> of ${s.nodes - 1} nodes,
        ${fmt(Math.min(...times), 1)} to ${fmt(Math.max(...times), 1)} s after the crash.`
      : '';
    return `t = ${fmt(s.time_s, 1)} s. Node ${s.selected}'s phi of node ${node}:
      <b data-claim="phi">${fmt(s.phi[node], 2)}</b> (it convicts above 8); it sees node ${node} as
      <b data-claim="seen">${s.seen[node]}</b>.${convicted}`;
  },
  profiles(_s, all) {
    return all
      .map((s, i) => {
        const times = s.detections_s;
        const name = ['Cassandra', 'chitchat', 'tuned'][i];
        return times.length === s.nodes - 1
          ? `${name}: convicted by all, in <b data-claim="detected-${i}">${fmt(Math.min(...times), 1)}</b>–${fmt(Math.max(...times), 1)} s`
          : `${name}: ${times.length} of ${s.nodes - 1} convicted`;
      })
      .join(' · ');
  },
  partition(s) {
    const dead = count(s.seen, (x) => x === 'dead');
    const alive = count(s.seen, (x) => x === 'alive');
    return `t = ${fmt(s.time_s, 1)} s. Node ${s.selected} sees <b data-claim="alive">${alive}</b> nodes alive
      and <b data-claim="dead">${dead}</b> dead.`;
  },
  bytes(s) {
    return `${fmt(s.nodes)} nodes. The largest message so far:
      <b data-claim="max-bytes">${fmt(s.max_message_bytes)}</b> bytes, within the 1,400-byte MTU.
      Cassandra's unpaged Syn would be about <b>${fmt(s.nodes * 15)}</b> bytes (15 B a digest).`;
  },
};

/** What a step claims, checked live on its figure and shown pass or fail (after
 * DSLabs' debugger): (the first lab's state, every lab's) → [holds, words]. */
export const CHECKS = {
  apart: (s) => [s.members.every((m) => m <= 6), 'no node knows more than its own ring of six'],
  'one-cluster': (s) => [s.members.every((m) => m === s.nodes), `every node knows all ${s.nodes}`],
  'everyone-knows': (s) => [s.informed === s.nodes, `all ${s.nodes} nodes know the update`],
  'all-convicted': (s) => [s.detections_s.length === s.nodes - 1, `all ${s.nodes - 1} other nodes convicted the crashed node`],
  'far-half-dead': (s) => [s.seen.slice(6).every((x) => x === 'dead'), 'node 0 has convicted all six nodes across the cut'],
  healed: (s) => [s.seen.filter((x) => x === 'alive').length === s.nodes - 1, 'node 0 sees every other node alive'],
  'rings-agree': (s) => [s.whole_rings === s.up.filter((u) => u).length, 'every copy of the ring holds every node\'s tokens'],
  'fits-mtu': (s) => [s.max_message_bytes <= 1400, 'every message so far fits the 1,400-byte MTU'],
};

/** The papers' mean-field push-pull: the uninformed fraction u becomes u²·e^−(1−u)
 * each round (an uninformed node stays so if the peer it asks, and every node
 * that tells, missed it). Fractions informed after rounds 0, 1, … */
export function meanField(n, rounds) {
  let u = 1 - 1 / n;
  const out = [1 - u];
  for (let r = 0; r < rounds; r++) {
    u = u * u * Math.exp(-(1 - u));
    out.push(1 - u);
  }
  return out;
}

/** The fraction informed per round, measured (violet) against the theory (dashed). */
export function spreadChart(fractions, n) {
  const rounds = Math.max(12, fractions.length);
  const [w, h, pad] = [260, 90, 14];
  const x = (r) => pad + (r / rounds) * (w - 2 * pad);
  const y = (f) => h - pad - f * (h - 2 * pad);
  const line = (fs) => fs.map((f, r) => `${x(r).toFixed(1)},${y(f).toFixed(1)}`).join(' ');
  const measured = [1 / n, ...fractions];
  return `<svg class="lesson-chart" viewBox="0 0 ${w} ${h}" role="img"
      aria-label="Fraction informed per round: this run against the mean-field theory">
    <line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" />
    <line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" />
    <polyline class="theory" points="${line(meanField(n, rounds))}" />
    <polyline class="measured" points="${line(measured)}" />
    <text x="${w - pad}" y="${h - 2}" text-anchor="end">rounds</text>
    <text x="${pad + 3}" y="${pad + 2}">all</text>
  </svg> <span class="lesson-key"><i class="measured"></i> this run <i class="theory"></i> theory</span>`;
}
