// The lesson's pure part (book/src/lesson-model.js), under node: the claims a step
// checks, the readouts' words and the theory beside a run, on states shaped as the
// lab's `state()` gives them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKS, READOUTS, count, fmt, meanField, pageLink, spreadChart } from '../book/src/lesson-model.js';

/** A state of a lab of `nodes` nodes, as `state()` shapes it, with `changes` over it. */
function state(nodes, changes = {}) {
  return {
    nodes,
    time_s: 12.5,
    round: 12,
    interval_s: 1,
    selected: 0,
    messages_last_round: 30,
    all_to_all_per_round: nodes * (nodes - 1),
    members: Array(nodes).fill(nodes),
    informed: nodes,
    up: Array(nodes).fill(true),
    whole_rings: nodes,
    seen: ['selected', ...Array(nodes - 1).fill('alive')],
    phi: Array(nodes).fill(0.4),
    detections_s: [],
    fractions: [],
    max_message_bytes: 900,
    ...changes,
  };
}

test('every check holds exactly when its claim does', () => {
  const whole = state(12);
  assert.deepEqual(CHECKS['one-cluster'](whole)[0], true);
  assert.deepEqual(CHECKS['one-cluster'](state(12, { members: [...Array(11).fill(12), 11] }))[0], false);
  assert.equal(CHECKS['everyone-knows'](state(12, { informed: 11 }))[0], false);
  assert.equal(CHECKS['everyone-knows'](whole)[0], true);
  assert.equal(CHECKS['all-convicted'](state(12, { detections_s: Array(10).fill(20) }))[0], false);
  assert.equal(CHECKS['all-convicted'](state(12, { detections_s: Array(11).fill(20) }))[0], true);
  const cut = ['selected', ...Array(5).fill('alive'), ...Array(6).fill('dead')];
  assert.equal(CHECKS['far-half-dead'](state(12, { seen: cut }))[0], true);
  assert.equal(CHECKS['far-half-dead'](whole)[0], false);
  assert.equal(CHECKS.healed(whole)[0], true);
  assert.equal(CHECKS.healed(state(12, { seen: cut }))[0], false);
  assert.equal(CHECKS.apart(state(12, { members: Array(12).fill(6) }))[0], true);
  assert.equal(CHECKS.apart(whole)[0], false);
  assert.equal(CHECKS['rings-agree'](state(12, { whole_rings: 11 }))[0], false);
  assert.equal(CHECKS['fits-mtu'](state(12, { max_message_bytes: 1401 }))[0], false);
  for (const [name, check] of Object.entries(CHECKS)) {
    const [, words] = check(whole, [whole]);
    assert.ok(typeof words === 'string' && words.length > 10, `${name} words its claim`);
  }
});

test('every readout words its figure and marks its claims', () => {
  const figure = { dataset: { crashed: '3', guess: '5' } };
  const s = state(12, { opened: 'Syn', informed: 7, spread_rounds: 6, detections_s: [18, 21, 19, 20, 22, 18, 19, 20, 21, 23, 24], lookup: { owner: 4, replicas: [4, 5, 6] } });
  for (const [name, readout] of Object.entries(READOUTS)) {
    const html = readout(s, [s, s, s], figure);
    assert.ok(html.includes('data-claim'), `${name} marks a claim`);
  }
  assert.match(READOUTS.traffic(s), /data-claim="all-to-all">132</, 'N(N−1) a second at 12 nodes');
  assert.match(READOUTS.failure(s, [s], figure), /Convicted by <b data-claim="detections">11<\/b> of 11/);
  assert.match(READOUTS.spread(s, [s], figure), /You guessed <b>5<\/b>/);
});

test('the theory falls as the papers say, and the chart draws both curves', () => {
  const fractions = meanField(1000, 12);
  assert.equal(fractions.length, 13);
  assert.ok(fractions.every((f, r) => r === 0 || f >= fractions[r - 1]), 'never falls');
  assert.ok(fractions[12] > 0.999, 'push-pull informs 1,000 nodes in a dozen rounds');
  const svg = spreadChart([0.01, 0.05, 0.3], 100);
  assert.match(svg, /polyline class="theory"/);
  assert.match(svg, /polyline class="measured"/);
});

test('helpers: numbers, counts and the page link of a run', () => {
  assert.equal(fmt(1234.5, 1), '1,234.5');
  assert.equal(fmt(null), '–');
  assert.equal(count([1, 2, 3], (x) => x > 1), 2);
  const link = pageLink({ nodes: 10, seed: 4, controls: 'play', autoplay: true, forward: false }, 'https://docs.example/lab/');
  assert.equal(link, 'https://docs.example/lab/index.html?nodes=10&seed=4&forward=0');
});
