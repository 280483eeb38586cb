// End-to-end tests of the built page: serves dist/ (built by `trunk build --release`)
// on 127.0.0.1 and drives Debian's headless Chromium with playwright-core.
// Run by scripts/test.sh, or alone with `node --test tests/` after a release build.
// Why it runs past 600 lines: one test a feature of the page, each short, sharing
// this file's helpers; the book, the docs page and live mode have files of their own.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { root, serveDist, launchBrowser, countFrames, twoFrames, until } from './support.mjs';

let server;
let baseUrl;
let browser;

before(async () => {
  ({ server, base: baseUrl } = await serveDist('/'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** Opens the page, counting requestAnimationFrame calls and collecting page errors. */
async function open(query, options = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, ...options });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await countFrames(page);
  await page.goto(`${baseUrl}${query}`);
  await page.waitForSelector('canvas');
  return { page, errors };
}

const shots = join(root, 'target', 'e2e');
const screenshot = async (page, name) => {
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
};
const canvasImage = (page) => page.evaluate(() => document.querySelector('canvas').toDataURL());
const clockText = (page) => page.textContent('[data-readout="clock"]');
const rafCalls = (page) => page.evaluate(() => window.__rafCalls);
const selectedNode = async (page) =>
  Number((await page.textContent('text=/^Selected: node/')).match(/\d+/)[0]);

/** Clicks around the ring until a node other than `not` is selected; returns it. */
async function clickANode(page, not) {
  const box = await page.locator('canvas').boundingBox();
  const [cx, cy, r] = [box.x + box.width / 2, box.y + box.height / 2, 0.42 * box.width];
  for (let degree = 0; degree < 360; degree += 1) {
    const angle = (degree * Math.PI) / 180;
    await page.mouse.click(cx + r * Math.cos(angle), cy + r * Math.sin(angle));
    const selected = await selectedNode(page);
    if (selected !== not) return selected;
  }
  throw new Error('no node found on the ring');
}

test('the page animates while playing and freezes, requesting no frames, when paused', async () => {
  const { page, errors } = await open('?seed=42&nodes=40');
  const first = await canvasImage(page);
  await page.waitForFunction((before) => document.querySelector('canvas').toDataURL() !== before, first);
  await screenshot(page, 'gossip-lab');

  await page.click('[data-action="play-pause"]');
  assert.equal(await page.textContent('[data-action="play-pause"]'), 'Play');
  await twoFrames(page);
  const paused = await canvasImage(page);
  const pausedClock = await clockText(page);
  const pausedFrames = await rafCalls(page);
  // Nothing may happen while paused: an absence has no event to wait for, so watch.
  await page.waitForTimeout(800);
  assert.equal(await canvasImage(page), paused, 'the canvas should not change while paused');
  assert.equal(await clockText(page), pausedClock, 'the clock should stop while paused');
  assert.equal(await rafCalls(page), pausedFrames, 'no frames should be requested while paused');

  await page.click('[data-action="play-pause"]');
  await page.waitForFunction((n) => window.__rafCalls > n + 2, pausedFrames);
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await twoFrames(page);
  const hidden = await rafCalls(page);
  await page.waitForTimeout(600);
  assert.equal(await rafCalls(page), hidden, 'no frames while the tab is hidden');
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { value: false, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForFunction((n) => window.__rafCalls > n + 2, hidden);
  assert.equal(await page.textContent('[data-action="play-pause"]'), 'Pause', 'shown again, it plays on');
  assert.deepEqual(errors, []);
  await page.close();
});

test('select a node, crash it, and another node\'s inspector shows it convicted', async () => {
  const { page, errors } = await open('?seed=3&nodes=20&speed=20&profile=tuned');
  const victim = await clickANode(page, 0);
  await page.click('[data-action="crash"]');
  // Select node 0 through the crashed node's own (frozen) view in the inspector.
  await page.click('[data-inspector] tr[data-endpoint="0"] button');
  assert.equal(await selectedNode(page), 0);
  const row = `[data-inspector="0"] tr[data-endpoint="${victim}"]`;
  await page.waitForSelector(`${row}[data-status="dead"]`, { timeout: 20000 });
  const phi = Number(await page.textContent(`${row} td:nth-child(5)`));
  assert.ok(phi > 8, `phi ${phi} is above the threshold`);
  await page.waitForSelector('[data-readout="detection"]:has-text("Last crash convicted by")');
  // What a screen reader hears says whose view it is: node 0's, not node 0 dead.
  await page.waitForSelector('[data-readout="summary"]:has-text("in node 0\'s view, 1 node is dead")');
  await screenshot(page, 'crash-convicted');
  assert.deepEqual(errors, []);
  await page.close();
});

for (const scenario of ['spread', 'crash', 'seeds', 'partition', 'all-to-all']) {
  test(`the ${scenario} scenario runs to its end`, async () => {
    const { page, errors } = await open(`?scenario=${scenario}&speed=100`);
    // At speed 100 a short scenario may be done before its running state is seen.
    await page.waitForSelector('[data-scenario-state]');
    if (scenario === 'spread') {
      // It pauses on an Ack that carries node 50's update, opened.
      await page.waitForSelector('[data-opened="Ack"]', { timeout: 60000 });
      assert.equal(await page.textContent('[data-action="play-pause"]'), 'Play');
      const carried = await page.$$eval('[data-message] tr[data-part="delta"][data-endpoint="50"]',
        (rows) => rows.map((r) => r.textContent));
      assert.ok(carried.some((t) => t.includes('update = ')), carried.join('\n'));
      await screenshot(page, 'scenario-spread-ack');
      await page.click('[data-action="play-pause"]');
    }
    await page.waitForSelector('[data-scenario-state="done"]', { timeout: 60000 });
    const caption = await page.textContent('[data-readout="caption"]');
    assert.ok(caption.length > 10, caption);
    assert.equal(await page.textContent('[data-action="play-pause"]'), 'Play', 'it ends paused');
    await screenshot(page, `scenario-${scenario}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

/** Records the canvas calls of the next frames: paths (moveTo, lineTo, stroke) and
 * rectangles (fillRect), each with the alpha and colour it was drawn in. */
function recordCanvas(page) {
  return page.addInitScript(() => {
    window.__ops = null;
    const proto = CanvasRenderingContext2D.prototype;
    for (const name of ['beginPath', 'moveTo', 'lineTo', 'stroke', 'fillRect', 'arc', 'fillText']) {
      const original = proto[name];
      proto[name] = function (...args) {
        if (window.__ops) {
          window.__ops.push({ op: name, args, alpha: this.globalAlpha, fill: this.fillStyle, stroke: this.strokeStyle, width: this.lineWidth });
        }
        return original.apply(this, args);
      };
    }
  });
}

/** The message paths (stroked segments) and the message dots (5×5 rectangles) of
 * recorded canvas calls. */
function pathsAndDots(ops) {
  const segments = [];
  let pending = [];
  let at = null;
  for (const o of ops) {
    if (o.op === 'beginPath') pending = [];
    if (o.op === 'moveTo') at = o.args;
    if (o.op === 'lineTo') pending.push([at, o.args]);
    if (o.op === 'stroke') {
      segments.push(...pending.map(([a, b]) => ({ a, b, alpha: o.alpha, color: o.stroke })));
      pending = [];
    }
  }
  // A message's dot is a small square (6 CSS px, however large the canvas is shown);
  // the only other squares are the background and, above 400 nodes, the nodes.
  const dots = ops.filter((o) => o.op === 'fillRect' && o.args[2] === o.args[3] && o.args[2] > 5 && o.args[2] < 30)
    .map((o) => ({ x: o.args[0] + o.args[2] / 2, y: o.args[1] + o.args[3] / 2, alpha: o.alpha, color: o.fill }));
  return { segments, dots };
}

/** Distance from point p to the segment from a to b. */
function distance(p, [ax, ay], [bx, by]) {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((p.x - ax) * dx + (p.y - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(p.x - (ax + t * dx), p.y - (ay + t * dy));
}

/** Opens the page like `open`, recording its canvas calls (`recordCanvas`). */
async function openRecorded(query) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await recordCanvas(page);
  await page.goto(`${baseUrl}${query}`);
  await page.waitForSelector('canvas');
  return { page, errors };
}

const LOST = '#94a3b8';
/** The message colours (web/src/draw.rs), by kind. */
const KINDS = { '#fbbf24': 'Syn', '#38bdf8': 'Ack', '#f472b6': 'Ack2' };

test('a still frame draws each message on its path, and the selected node\'s exchanges are bright', async () => {
  const { page, errors } = await openRecorded('?seed=12&nodes=20&profile=tuned&autoplay=0&latency=400&jitter=100');
  await page.click('[data-action="step"]');
  await page.click('[data-action="step"]');
  const focusOn = async (node) => {
    await page.evaluate(() => { window.__ops = []; });
    await page.click(`[data-inspector] tr[data-endpoint="${node}"] button`);
    await page.waitForSelector(`[data-inspector="${node}"]`);
    const ops = await page.evaluate(() => { const ops = window.__ops; window.__ops = null; return ops; });
    return { ...pathsAndDots(ops), exchange: await page.textContent('[data-readout="exchange"]') };
  };
  const shares = new Set();
  for (const node of [1, 2, 3, 4, 5]) {
    const { segments, dots, exchange } = await focusOn(node);
    assert.ok(dots.length > 10, `messages are in flight: ${dots.length}`);
    assert.ok(segments.length >= dots.length, 'every message has its path');
    for (const dot of dots) {
      assert.ok(segments.some((s) => s.color === dot.color && distance(dot, s.a, s.b) < 0.5),
        `the dot at ${dot.x},${dot.y} lies on a path of its colour`);
    }
    const bright = dots.filter((d) => d.alpha === 1 && d.color !== LOST);
    const brightPaths = segments.filter((s) => s.alpha > 0.3 && (KINDS[s.color] || s.color === LOST));
    assert.equal(bright.length > 0, exchange.length > 0, `node ${node}: bright dots iff an exchange (${exchange})`);
    assert.ok(dots.some((d) => d.alpha < 1), 'the other exchanges are dimmed');
    if (brightPaths.length > 0) {
      // Every bright path has one end at the selected node.
      const ends = [brightPaths[0].a, brightPaths[0].b];
      const shared = ends.find((e) => brightPaths.every((s) =>
        [s.a, s.b].some((p) => Math.hypot(p[0] - e[0], p[1] - e[1]) < 0.01)));
      assert.ok(shared, `node ${node}'s bright paths all meet at it`);
      shares.add(shared.map((v) => v.toFixed(1)).join(','));
      assert.match(exchange, /^node \d+ → node \d+: (Syn|Ack|Ack2) on the wire/);
      assert.match(exchange, new RegExp(`node ${node}\\b`));
    }
  }
  assert.ok(shares.size >= 2, 'focus moves with the selection');
  await screenshot(page, 'paths-and-focus');
  assert.deepEqual(errors, []);
  await page.close();
});

/** The opened message's rows, as the page shows them. */
const openedRows = (page) => page.$$eval('[data-message] tbody tr', (rows) => rows.map((r) => ({
  part: r.dataset.part, endpoint: Number(r.dataset.endpoint), generation: Number(r.dataset.generation),
  version: Number(r.dataset.version), mark: r.dataset.mark, says: r.lastElementChild.textContent,
})));


test('a paused message opens on a click, decoded: digests marked, deltas and requests explained', async () => {
  const { page, errors } = await openRecorded('?seed=12&nodes=20&profile=tuned&autoplay=0&latency=400&jitter=100');
  await page.click('[data-action="step"]');
  await page.evaluate(() => { window.__ops = []; });
  await page.click('[data-action="step"]');
  await page.waitForFunction(() => window.__ops.some((o) => o.op === 'fillRect'));
  const { dots } = pathsAndDots(await page.evaluate(() => window.__ops));
  await page.evaluate(() => { window.__ops = null; });
  const scale = await page.evaluate(() => {
    const canvas = document.querySelector('canvas');
    return canvas.clientWidth / canvas.width;
  });
  // Dots of the last frame, alone within 12 px so that a click finds only them.
  const alone = dots.filter((d) => KINDS[d.color] &&
    dots.every((o) => o === d || Math.hypot(o.x - d.x, o.y - d.y) > 12));
  const opened = new Set();
  for (const dot of alone) {
    const kind = KINDS[dot.color];
    if (opened.has(kind)) continue;
    await page.evaluate(() => { window.__ops = []; });
    await page.locator('canvas').click({ position: { x: dot.x * scale, y: dot.y * scale } });
    await page.waitForSelector(`[data-opened="${kind}"]`);
    // The opened message is ringed where it stands (7 CSS px round it).
    const ring = await page.waitForFunction((r) => window.__ops.find((o) => o.op === 'arc' && Math.abs(o.args[2] - r) < 1e-6),
      7 / Math.min(1, scale));
    const [x, y] = (await ring.jsonValue()).args;
    assert.ok(Math.hypot(x - dot.x, y - dot.y) < 0.5, `the ring at ${x},${y} is round the dot at ${dot.x},${dot.y}`);
    await page.evaluate(() => { window.__ops = null; });
    const title = await page.textContent('[data-opened]');
    const [, from] = title.match(/node (\d+) → node (\d+)/).map(Number);
    const rows = await openedRows(page);
    assert.ok(rows.length > 0, `${title}: it has items`);
    if (kind === 'Syn') {
      assert.ok(rows.every((r) => r.part === 'digest' && ['ahead', 'behind', 'equal', 'unknown'].includes(r.mark)));
      assert.equal(rows[0].endpoint, from, 'a Syn opens with its sender\'s own digest');
      assert.ok(rows.every((r) => r.says.includes(`node ${r.endpoint}`)), 'each digest says what the receiver does');
    } else {
      assert.ok(rows.every((r) => r.part === 'delta' || (kind === 'Ack' && r.part === 'request')), title);
      const firsts = rows.filter((r) => r.part === 'delta' && r.says);
      assert.ok(firsts.every((r) => /^takes node \d+'s/.test(r.says)), firsts.map((r) => r.says).join('\n'));
    }
    opened.add(kind);
    if (opened.size === 1) await screenshot(page, `message-${kind}`);
    await page.click('[data-control="close-message"]');
  }
  assert.ok(opened.has('Syn') && opened.size >= 2, `opened ${[...opened]}`);

  // The selected node's last messages, newest first, open too.
  await page.click('[data-watched] li:first-child button');
  await page.waitForSelector('[data-opened]');
  const rows = await openedRows(page);
  assert.ok(rows.length > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the ring as the selected node sees it: token ticks, its ranges, a key\'s owner and replicas, and what its copy lacks', async () => {
  const { page, errors } = await openRecorded('?seed=5&nodes=20&autoplay=0');
  await page.evaluate(() => { window.__ops = []; });
  await page.fill('[data-control="key"]', 'user:42');
  await page.waitForSelector('[data-readout="lookup"]');
  await page.waitForFunction(() => window.__ops.some((o) => o.op === 'arc' && o.stroke === '#facc15'));
  const ops = await page.evaluate(() => { const ops = window.__ops; window.__ops = null; return ops; });
  // The last frame's calls: from its last background fill on.
  const frame = ops.slice(ops.findLastIndex((o) => o.op === 'fillRect' && o.args[0] === 0 && o.args[1] === 0));
  const key = (xs) => xs.map((v) => v.toFixed(1)).join(',');
  const owner = Number(await page.getAttribute('[data-readout="lookup"]', 'data-owner'));
  const label = frame.find((o) => o.op === 'fillText' && o.args[0] === String(owner));
  const rings = frame.filter((o) => o.op === 'arc' && o.stroke === '#facc15');
  assert.equal(rings.length, 3, 'three replicas ringed (RF 3)');
  const bold = rings.filter((r) => r.width === 3);
  assert.equal(bold.length, 1);
  assert.equal(key(bold[0].args.slice(0, 2)), key(label.args.slice(1, 3)), `the bold ring is round node ${owner}`);
  const text = await page.textContent('[data-readout="lookup"]');
  assert.match(text, new RegExp(`owner node ${owner}; replicas ${owner}, \\d+, \\d+`));
  // A tick for each of the 20 × 4 tokens, and node 0's 4 ranges as bright arcs.
  const { segments } = pathsAndDots(frame);
  const ticks = segments.filter((s) => s.color === '#64748b' && Math.abs(Math.hypot(s.a[0] - s.b[0], s.a[1] - s.b[1]) - 10) < 0.01);
  assert.equal(ticks.length, 80);
  const ranges = frame.filter((o) => o.op === 'arc' && o.stroke === '#f8fafc' && o.width === 5);
  assert.equal(ranges.length, 4);
  assert.equal(await page.locator('[data-ranges] li').count(), 4);
  assert.equal(await page.textContent('[data-readout="ring-difference"]'), "Node 0's ring has every node's tokens.");
  await screenshot(page, 'ring-key');
  // A joiner's TOKENS have not spread yet: its ring lacks everyone, and node 0's lacks it.
  await page.click('[data-action="add"]');
  await page.waitForSelector('[data-readout="ring-difference"]:has-text("Node 20\'s ring lacks the tokens of 20 nodes")');
  const other = await clickANode(page, 20);
  assert.equal(await page.textContent('[data-readout="ring-difference"]'), `Node ${other}'s ring lacks node 20's tokens.`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the feed tells each conviction within the time the detection chart reports', async () => {
  const { page, errors } = await open('?seed=3&nodes=20&speed=20&profile=tuned');
  await page.click('[data-action="crash"]');
  await page.waitForSelector('[data-readout="detection"]:has-text("Last crash convicted by 19 nodes")', { timeout: 30000 });
  await page.click('[data-action="play-pause"]');
  const max = Number((await page.textContent('[data-readout="detection"]')).match(/max ([\d.]+) s/)[1]);
  const lines = await page.$$eval('[data-feed] li', (items) =>
    items.map((li) => ({ at: Number(li.dataset.atMs), text: li.textContent })));
  const crash = lines.find((l) => l.text.endsWith('node 0 crashed'));
  assert.ok(crash, 'the crash is in the feed');
  const convictions = lines.filter((l) => /convicted node 0 at phi/.test(l.text));
  assert.ok(convictions.length > 0, 'convictions are in the feed');
  for (const c of convictions) {
    // The chart rounds to a tenth of a second.
    assert.ok(c.at - crash.at <= max * 1000 + 50, `${c.text} at ${c.at} ms, crash at ${crash.at} ms, max ${max} s`);
  }
  // Clicking a line selects its node; the filter keeps that node's lines.
  const line = page.locator('[data-feed] li', { hasText: 'convicted node 0' }).first();
  const by = Number((await line.textContent()).match(/node (\d+) convicted/)[1]);
  await line.locator('button').click();
  assert.equal(await selectedNode(page), by);
  await page.check('[data-control="feed-filter"]');
  const filtered = await page.$$eval('[data-feed] li', (items) => items.map((li) => li.textContent));
  assert.ok(filtered.length > 0 && filtered.every((t) => t.includes(`node ${by}`)), filtered.join('\n'));
  await screenshot(page, 'feed');
  assert.deepEqual(errors, []);
  await page.close();
});

/** The timeline's time readout, in seconds: the moment shown, and the present. */
async function timelineAt(page) {
  const text = await page.textContent('[data-readout="timeline"]');
  const [, now, present] = text.match(/([\d.]+) s of ([\d.]+) s/);
  return { now: Number(now), present: Number(present) };
}

/** Drags the timeline's slider to `ms` (a round's end: its step is a round) and
 * waits until the lab shows that moment. */
async function scrubTo(page, ms) {
  await page.locator('[data-control="timeline"]').evaluate((input, value) => {
    input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);
  await until(`the timeline shows ${ms} ms`, async () => (await timelineAt(page)).now === ms / 1000);
}

const traceOf = (page) => page.getAttribute('[data-readout="timeline"]', 'data-trace');

test('scrubbed back to a conviction mark, the inspector shows the node as the feed said then', async () => {
  const { page, errors } = await open('?seed=3&nodes=20&speed=20&profile=tuned');
  await page.click('[data-action="crash"]');
  const mark = page.locator('.timeline .mark.convicted').first();
  await mark.waitFor({ timeout: 30000 });
  // Let the run go on past it, then go back.
  await until('the run is well past the conviction', async () => (await timelineAt(page)).now > 30);
  const title = await mark.getAttribute('title');
  const [, at, by] = title.match(/^([\d.]+) s: node (\d+) convicted node 0/);
  await mark.click();
  await until('the lab is back at the mark', async () => {
    const shown = await timelineAt(page);
    return Math.abs(shown.now - Number(at)) < 0.051 && shown.present > 30;
  });
  assert.equal(await page.textContent('[data-action="play-pause"]'), 'Play', 'a jump pauses');
  // The feed ends with that moment: the conviction is there, nothing later is.
  const lines = await page.$$eval('[data-feed] li', (items) =>
    items.map((li) => ({ at: Number(li.dataset.atMs), text: li.textContent })));
  const conviction = lines.find((l) => l.text.includes(`node ${by} convicted node 0`));
  assert.ok(conviction, lines.map((l) => l.text).join('\n'));
  assert.ok(lines.every((l) => l.at <= conviction.at), 'no line from after the mark');
  // The convicting node's view, at that moment: node 0 dead.
  await page.locator('[data-feed] li', { hasText: `node ${by} convicted node 0` }).locator('button').click();
  assert.equal(await selectedNode(page), Number(by));
  await page.waitForSelector(`[data-inspector="${by}"] tr[data-endpoint="0"][data-status="dead"]`);
  await screenshot(page, 'timeline-conviction');
  // End returns to the present, playing.
  await page.locator('main').press('End');
  await until('back at the present', async () => (await timelineAt(page)).now > 30);
  assert.equal(await page.textContent('[data-action="play-pause"]'), 'Pause');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the canvas scrubbed back to a moment is the canvas drawn at that moment', async () => {
  const { page, errors } = await open('?seed=5&nodes=40&profile=tuned&autoplay=0&speed=5');
  for (let round = 0; round < 4; round += 1) await page.click('[data-action="step"]');
  await until('four rounds', async () => (await timelineAt(page)).now === 4);
  const drawn = await canvasImage(page);
  const trace = await traceOf(page);
  await page.click('[data-action="play-pause"]');
  await until('the run went on', async () => (await timelineAt(page)).now >= 9);
  await page.click('[data-action="play-pause"]');
  assert.notEqual(await canvasImage(page), drawn);
  await scrubTo(page, 4000);
  await twoFrames(page);
  assert.equal(await traceOf(page), trace);
  assert.equal(await canvasImage(page), drawn, 'the same pixels');
  // On the slider, → steps one round.
  await page.focus('[data-control="timeline"]');
  await page.keyboard.press('ArrowRight');
  await until('one round on', async () => (await timelineAt(page)).now === 5);
  assert.deepEqual(errors, []);
  await page.close();
});

test('acting in the past forks the run: its future is dropped and the fork marked', async () => {
  const { page, errors } = await open('?seed=4&nodes=20&profile=tuned&speed=10');
  await until('3 s', async () => (await timelineAt(page)).now >= 3);
  await page.click('[data-action="crash"]');
  await until('10 s', async () => (await timelineAt(page)).now >= 10);
  await page.click('[data-action="play-pause"]');
  assert.match(new URL(page.url()).searchParams.get('run'), /^c0t\d+$/, 'the link has the crash');
  await scrubTo(page, 2000);
  await page.click('[data-inspector] tr[data-endpoint="4"] button');
  await page.click('[data-action="crash"]');
  await page.waitForSelector('.timeline .mark.fork');
  assert.deepEqual(await timelineAt(page), { now: 2, present: 2 }, 'the future is gone');
  assert.equal(new URL(page.url()).searchParams.get('run'), 'c4t2000', 'and node 0\'s crash with it');
  await page.click('[data-action="play-pause"]');
  await until('4 s', async () => (await timelineAt(page)).now >= 4);
  await screenshot(page, 'timeline-fork');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a saved run replays with the same trace hash: loaded into the page, and in gossip-sim', async () => {
  const { page, errors } = await open('?seed=8&nodes=25&profile=tuned&speed=10');
  await until('2 s', async () => (await timelineAt(page)).now >= 2);
  await page.click('[data-action="crash"]');
  await page.click('[data-action="update"]');
  await until('6 s', async () => (await timelineAt(page)).now >= 6);
  await page.click('[data-action="partition"]');
  await until('9 s', async () => (await timelineAt(page)).now >= 9);
  await page.click('[data-action="play-pause"]');
  await twoFrames(page);
  const trace = await traceOf(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="save"]')]);
  const text = await readFile(await download.path(), 'utf8');
  assert.match(text.split('\n')[0], /^\{"setup": /);
  const file = join(shots, 'saved-run.jsonl');
  await mkdir(shots, { recursive: true });
  await writeFile(file, text);

  const native = JSON.parse(execFileSync('cargo', ['run', '--quiet', '-p', 'gossip-sim', '--', '--scenario', file],
    { cwd: root, encoding: 'utf8' }));
  assert.equal(native.trace_hash, trace, 'gossip-sim replays it');

  await page.setInputFiles('[data-control="scenario-file"]', { name: 'run.jsonl', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.click('[data-action="play-pause"]');
  await page.waitForSelector('[data-scenario-state="done"]', { timeout: 30000 });
  assert.equal(await traceOf(page), trace, 'the page replays it');
  await screenshot(page, 'timeline-saved-run');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a schedule the soak writes loads into the page and replays as gossip-sim replays it', async () => {
  // The tombstones off (a test-only switch) make the soak fail and write a file;
  // replayed without the switch, as the page runs it, natively and in the page.
  const out = join(shots, 'soak');
  let report;
  try {
    execFileSync('cargo', ['run', '--quiet', '-p', 'gossip-sim', '--', 'soak', '--seeds', '0..10',
      '--quarantine-ms', '0', '--out', out], { cwd: root, encoding: 'utf8' });
  } catch (failed) {
    report = JSON.parse(failed.stdout);
  }
  assert.ok(report, 'the soak failed, as planted');
  const file = report.failures[0].file;
  const native = JSON.parse(execFileSync('cargo', ['run', '--quiet', '-p', 'gossip-sim', '--', '--scenario', file],
    { cwd: root, encoding: 'utf8' }));
  const { page, errors } = await open('?speed=100');
  await page.click('[data-action="play-pause"]');
  const text = await readFile(file, 'utf8');
  await page.setInputFiles('[data-control="scenario-file"]', { name: 'soak.jsonl', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.click('[data-action="play-pause"]');
  await page.waitForSelector('[data-scenario-state="done"]', { timeout: 60000 });
  assert.equal(await traceOf(page), native.trace_hash, 'the page replays it as gossip-sim does');
  await screenshot(page, 'soak-schedule');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a long jump at 1,000 nodes shows "rewinding…" and how far it got, and the page answers meanwhile', async () => {
  const { page, errors } = await open('?seed=2&nodes=1000&speed=100');
  await until('150 s of run', async () => (await timelineAt(page)).present >= 150, 120000);
  // A frame takes most of a second here: click at once rather than wait for a still page.
  await page.$eval('[data-action="play-pause"]', (button) => button.click());
  await page.locator('[data-control="timeline"]').evaluate((input) => {
    input.value = '119000';
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const seen = new Set();
  await until('the jump ends', async () => {
    const text = await page.evaluate(() => document.querySelector('[data-readout="rewinding"]')?.textContent ?? null);
    if (text) seen.add(text);
    return !text && (await timelineAt(page)).now === 119;
  }, 120000);
  const partway = [...seen].filter((t) => /^rewinding… ([1-9]\d?) %$/.test(t));
  assert.ok(partway.length >= 2, `it showed its progress: ${[...seen].join(', ')}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('URL parameters are applied, and the URL keeps the run reproducible', async () => {
  const { page, errors } = await open(
    '?nodes=37&seed=9&fanout=2&interval=500&mtu=1200&loss=5&latency=80&seeds=3&mode=push' +
      '&detector=exponential-ln10&threshold=10&speed=2&autoplay=0');
  assert.equal(await page.textContent('[data-readout="node-count"]'), '37 nodes');
  const value = (name) => page.inputValue(`[data-control="${name}"]`);
  assert.equal(await value('nodes'), '37');
  assert.equal(await value('fanout'), '2');
  assert.equal(await value('interval'), '500');
  assert.equal(await value('mtu'), '1200');
  assert.equal(await value('loss'), '5');
  assert.equal(await value('latency'), '80');
  assert.equal(await value('seeds'), '3');
  assert.equal(await value('mode'), 'push');
  assert.equal(await value('detector'), 'exponential-ln10');
  assert.equal(await value('threshold'), '10');
  assert.equal(await value('seed'), '9');
  assert.match(await page.textContent('text=/Speed/'), /Speed 2\.0×/);
  assert.equal(await page.textContent('[data-action="play-pause"]'), 'Play', 'autoplay=0');
  assert.equal(await value('profile'), 'custom', 'fanout 2 is no profile');
  assert.equal(await page.locator('[role="alert"]').count(), 0);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('nodes'), '37');
  assert.equal(url.searchParams.get('seed'), '9');

  await page.fill('[data-control="nodes"]', '12');
  await page.press('[data-control="nodes"]', 'Tab');
  await page.waitForSelector('[data-readout="node-count"]:has-text("12 nodes")');
  assert.equal(new URL(page.url()).searchParams.get('nodes'), '12', 'changes go to the URL');
  assert.deepEqual(errors, []);
  await page.close();
});

test('bad parameters and a broken scenario file get a visible message, never a blank page', async () => {
  const { page, errors } = await open('?nodes=abc&loss=500&mode=shout&scenario=nope&seed=banana');
  const alert = await page.textContent('[data-problems="url"]');
  assert.match(alert, /nodes=abc: not a whole number from 1 to 5000; using 30/);
  assert.match(alert, /loss=500: above 100; using 100/);
  assert.match(alert, /mode=shout: not one of push, pull, push-pull; using push-pull/);
  assert.match(alert, /scenario=nope: no such scenario; the scenarios are spread, crash/);
  assert.match(alert, /seed=banana/);
  assert.equal(await page.textContent('[data-readout="node-count"]'), '30 nodes');

  await page.setInputFiles('[data-control="scenario-file"]', {
    name: 'broken.jsonl',
    mimeType: 'text/plain',
    buffer: Buffer.from('{"at": 0, "caption": "hi"}\n{"at": 5, "link": {"from": 1, "to": 2, "loss": "x"}}\n'),
  });
  const problem = await page.waitForSelector('[data-problems="scenario"]');
  assert.match(await problem.textContent(), /line 2, field `link\.loss`: invalid type/);
  await screenshot(page, 'bad-input');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the keyboard drives the lab', async () => {
  const { page, errors } = await open('?seed=5&nodes=20&autoplay=0');
  await page.keyboard.press('?');
  await page.waitForSelector('[data-overlay="help"]');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('[data-overlay="help"]').count(), 0);
  await page.keyboard.press('ArrowRight');
  await until('one round is stepped', async () => /round 1$/.test(await clockText(page)));
  await page.keyboard.press('+');
  assert.match(await page.textContent('text=/Speed/'), /Speed 2\.0×/);
  await page.keyboard.press('u');
  await page.waitForSelector('[data-chart="spread"] svg');
  await page.keyboard.press('p');
  await page.waitForSelector('[data-action="heal"]');
  await page.keyboard.press('Space');
  assert.equal(await page.textContent('[data-action="play-pause"]'), 'Pause');
  assert.deepEqual(errors, []);
  await page.close();
});

test("the page's shortcuts work from the moment it loads, and after a click in its margin", async () => {
  const { page, errors } = await open('?seed=6&nodes=20');
  assert.equal(await page.textContent('[data-action="play-pause"]'), 'Pause');
  await page.keyboard.press('Space');
  assert.equal(await page.textContent('[data-action="play-pause"]'), 'Play', 'Space pauses at once');
  await page.mouse.click(2, 790);
  await page.keyboard.press('Space');
  assert.equal(await page.textContent('[data-action="play-pause"]'), 'Pause', 'and after a click in the margin');
  // Typing into a field is typing, not a shortcut.
  await page.focus('[data-control="seed"]');
  await page.keyboard.press('Space');
  assert.equal(await page.textContent('[data-action="play-pause"]'), 'Pause');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Space pauses without scrolling the page, and no key the lab uses scrolls it', async () => {
  const { page, errors } = await open('?seed=6&nodes=20', { viewport: { width: 1280, height: 800 } });
  const refused = [];
  page.on('console', (m) => { if (/preventDefault/.test(m.text())) refused.push(m.text()); });
  assert.ok(await page.evaluate(() => document.documentElement.scrollHeight > innerHeight), 'the page is taller than the window');
  for (const key of ['Space', 'ArrowRight', 'Space', 'End']) {
    await page.keyboard.press(key);
    await twoFrames(page);
    assert.equal(await page.evaluate(() => scrollY), 0, `${key} scrolled the page`);
  }
  assert.deepEqual(refused, [], 'the keyboard listener may prevent the default');
  assert.deepEqual(errors, []);
  await page.close();
});

test("the default run is Cassandra's, and the profiles switch and round-trip through the URL", async () => {
  const { page, errors } = await open('?seed=8&autoplay=0');
  const value = (name) => page.inputValue(`[data-control="${name}"]`);
  assert.equal(await value('profile'), 'cassandra');
  assert.match(await page.textContent('[data-readout="lede"]'), /one random peer every second/);
  assert.match(await page.textContent('[data-readout="detector"]'), /about 18\.4 mean gaps/);
  assert.deepEqual([await value('fanout'), await value('detector'), await value('threshold')],
    ['1', 'exponential-ln10', '8']);
  assert.equal(new URL(page.url()).searchParams.get('profile'), 'cassandra');

  await page.selectOption('[data-control="profile"]', 'chitchat');
  await page.waitForFunction(() => document.querySelector('[data-control="fanout"]').value === '3');
  assert.equal(await value('detector'), 'exponential');
  assert.equal(new URL(page.url()).searchParams.get('profile'), 'chitchat');
  assert.match(await page.textContent('[data-readout="lede"]'), /3 random peers every second \(chitchat profile\)/);

  await page.fill('[data-control="threshold"]', '10');
  await page.press('[data-control="threshold"]', 'Tab');
  await page.waitForFunction(() => document.querySelector('[data-control="profile"]').value === 'custom');
  assert.equal(new URL(page.url()).searchParams.get('profile'), 'custom');

  // A link with a profile opens with its values.
  await page.goto(`${baseUrl}?seed=8&profile=tuned&autoplay=0`);
  await page.waitForSelector('canvas');
  assert.deepEqual([await value('profile'), await value('fanout'), await value('detector')],
    ['tuned', '4', 'normal']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the layout: the canvas first and large at 1280×800, everything stacked and in bounds at 375×800', async () => {
  for (const [width, height] of [[1280, 800], [375, 800]]) {
    const { page, errors } = await open('?seed=11&nodes=40&autoplay=0', { viewport: { width, height } });
    const canvas = await page.locator('canvas').boundingBox();
    const params = await page.locator('section.params').boundingBox();
    const play = await page.locator('[data-action="play-pause"]').boundingBox();
    if (width === 1280) {
      assert.ok(canvas.width >= 600 && canvas.y + canvas.height <= height, `canvas ${JSON.stringify(canvas)}`);
      assert.ok(params.x >= canvas.x + canvas.width, 'the parameters sit beside the canvas');
      assert.ok(play.y + play.height <= height, 'the run controls are in the first view');
    } else {
      assert.ok(canvas.width >= width - 40, `canvas ${JSON.stringify(canvas)}`);
      assert.ok(params.y >= canvas.y + canvas.height, 'the parameters stack under the canvas');
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(overflow <= width, `nothing overflows sideways: the page is ${overflow} px wide at ${width}`);
    await screenshot(page, `layout-${width}x${height}-full`);
    await page.screenshot({ path: join(shots, `layout-${width}x${height}.png`) });
    // Every parameter has a help text, shown on focus.
    assert.ok(!(await page.locator('#tip-fanout').isVisible()), 'help hidden at first');
    await page.focus('[data-control="fanout"]');
    assert.ok(await page.locator('#tip-fanout').isVisible(), 'help on focus');
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('a user who prefers reduced motion gets a paused page', async () => {
  const { page, errors } = await open('?seed=1', { reducedMotion: 'reduce' });
  assert.equal(await page.textContent('[data-action="play-pause"]'), 'Play');
  const frames = await rafCalls(page);
  await page.waitForTimeout(500);
  assert.equal(await rafCalls(page), frames);
  assert.deepEqual(errors, []);
  await page.close();
});

// Up to the largest cluster the page takes, 5,000 nodes: it runs, drawn (in its
// grid above 1,000), without a page error. How fast is `scripts/bench-browser.mjs`'s
// business, not a test's.
for (const nodes of [100, 1000, 5000]) {
  test(`a cluster of ${nodes} nodes runs and is drawn`, async () => {
    const { page, errors } = await open(`?seed=1&nodes=${nodes}&speed=1`);
    // Building a converged cluster of N² endpoint states takes a while at 5,000.
    const seconds = async () => Number((await clockText(page)).match(/t = ([\d.]+) s/)?.[1] ?? 0);
    await until('two simulated seconds have passed', async () => (await seconds()) >= 2, 120000);
    assert.match(await page.textContent('[data-readout="drawn"]'), /messages in flight/);
    await screenshot(page, `nodes-${nodes}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
