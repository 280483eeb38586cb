// Live mode's pure part (web/live-model.js), under node: what the launcher's
// messages make of the cluster's state, its clock and its words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveState, median, nodeRadius, position, seconds } from '../web/live-model.js';

/** A state on a clock the test moves by hand. */
function state() {
  const clock = { now: 1000 };
  const live = new LiveState(() => clock.now);
  return { live, clock };
}

const hello = {
  type: 'hello',
  nodes: ['127.0.0.1:7000', '127.0.0.1:7001', '127.0.0.1:7002'],
  setup: '{"setup": {"nodes": 3}}',
  run_ms: 5000,
  steps: [],
};

test('helpers: seconds, the lower median, the ring and its dots', () => {
  assert.equal(seconds(1234), '1.2 s');
  assert.equal(median([5, 1, 4, 2]), 2);
  assert.equal(median([]), null);
  const [x, y] = position(0, 4, 100);
  assert.deepEqual([Math.round(x), Math.round(y)], [50, 10], 'node 0 at the top');
  assert.equal(nodeRadius(3, 520), 14, 'a few nodes: the largest dot');
  assert.equal(nodeRadius(100_000, 520), 2, 'a crowd: the smallest');
});

test('the run clock follows the launcher, and never goes back', () => {
  const { live, clock } = state();
  live.take(hello);
  assert.equal(live.now(), 5000);
  clock.now += 300;
  assert.equal(live.now(), 5300, 'advanced by the page clock');
  live.take({ type: 'line', node: 1, at_ms: 2000, event: 'set', key: 'k', version: 3 });
  assert.equal(live.now(), 5300, 'an older line does not set it back');
});

test('a crash, its convictions and the detection times', () => {
  const { live } = state();
  live.take(hello);
  const out = live.take({ type: 'step', line: '{"at": 10, "crash": 2}' });
  assert.equal(out.stepped, true);
  assert.deepEqual(out.log, [[10000, 'Carried out: node 2 crashed (kill -9)', 'step']]);
  assert.ok(live.down.has(2));
  const convicted = (node, at) => live.take({ type: 'line', node, at_ms: at, event: 'convicted', endpoint: 2, phi: 8.2 });
  const first = convicted(0, 31000);
  assert.deepEqual(first.log, [[31000, 'Node 0 convicted node 2 (phi 8.2)', 'convicted']]);
  convicted(0, 35000); // a second conviction by the same node is no new detection
  convicted(1, 33000);
  assert.deepEqual(live.lastCrash(), { node: 2, at_ms: 10000, real: [21000, 23000] });
  live.take({ type: 'step', line: '{"at": 40, "restart": 2}' });
  assert.ok(!live.down.has(2), 'restarted, it is up again');
});

test('how the selected node sees the others, from its last view', () => {
  const { live } = state();
  live.take(hello);
  const rows = [
    { endpoint: 2, generation: 7, seen: 'dead', status: 'normal' },
    { endpoint: 1, generation: 9, seen: 'alive', status: 'left' },
  ];
  live.take({ type: 'line', node: 0, at_ms: 6000, event: 'view', rows });
  assert.equal(live.seen(0, 0), 'selected');
  assert.equal(live.seen(0, 1), 'left');
  assert.equal(live.seen(0, 2), 'dead');
  assert.equal(live.seen(1, 2), 'unknown', 'node 1 printed no view');
  assert.deepEqual(live.rows(0).map((r) => r.endpoint), [1, 2], 'by endpoint');
  assert.equal(live.generation(2), 7, 'the newest the others know');
  live.take({ type: 'line', node: 2, at_ms: 7000, event: 'listening', generation: 12, address: '127.0.0.1:7002' });
  assert.equal(live.generation(2), 12, 'its own line, once it started');
});

test('datagrams, sampling, refusals and a collision are worded or drawn', () => {
  const { live, clock } = state();
  live.take(hello);
  const sent = live.take({ type: 'line', node: 1, at_ms: 6000, event: 'sent', to: 2, kind: 'Syn' });
  assert.deepEqual(sent.flight, { from: 1, to: 2, kind: 'Syn', at: 1000 });
  assert.deepEqual(sent.log, []);
  live.take({ type: 'sampled', shown: 100, sent: 280, window_ms: 250 });
  assert.ok(live.sampling(1000));
  clock.now += 2000;
  assert.ok(!live.sampling(1000), 'the note lasts a second');
  assert.deepEqual(live.take({ type: 'error', message: 'no node 9' }).log, [[null, 'Refused: no node 9', 'error']]);
  const collision = live.take({
    type: 'line', node: 0, at_ms: 8000, event: 'collision', id: 5, kept: '127.0.0.1:7001', refused: '127.0.0.2:9000',
  });
  assert.match(collision.log[0][1], /refused 127\.0\.0\.2:9000: it has the id of 127\.0\.0\.1:7001/);
});
