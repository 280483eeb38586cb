// End-to-end tests of the book (mdBook, built into dist/book/ by Trunk's hook): every
// step of every figure of the lesson is walked in headless Chromium, and what the
// step's text claims is checked on the live figure, through the lab's state() and
// what the figure shows. Then the reader's controls: Back restores a step exactly,
// the keyboard alone finishes a figure, a prediction comes before its answer; and
// every page of the book, and the lab's own page, is free of errors and of sideways
// scrolling at 1280 and 375 px. Screenshots go to target/e2e/book/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { root, serveDist, launchBrowser, until } from './support.mjs';

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

const shots = join(root, 'target', 'e2e', 'book');
const LESSON = ['problem', 'one-peer', 'exchange', 'spread', 'tracks', 'seeds', 'failure', 'beyond'];
const GUIDE = ['intro', 'page', 'embed', 'profiles', 'gossip-sim', 'scenarios', 'gossip-node', 'testing'];

/** Opens a book page, collecting page errors and console errors. */
async function open(chapter, viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${baseUrl}book/${chapter}.html`);
  return { page, errors };
}

/** The n-th figure of the page (0-based), once its first step has arrived. */
async function figure(page, n) {
  const fig = page.locator('figure.lesson').nth(n);
  await until(`figure ${n} is at its first step`,
    () => fig.evaluate((el) => el.dataset.arrived === '1'), 60000);
  return fig;
}

/** Every lab's state(), of the figure. */
const states = (fig) => fig.evaluate((el) => el.lesson.labs.map((lab) => lab.state()));
const claim = (fig, name) => fig.locator(`[data-claim="${name}"]`).first().textContent();

/** Next, then Skip at once if the step plays: arrives at step k (1-based). */
async function next(fig, k, { skip = true } = {}) {
  await fig.locator('[data-lesson="next"]').click();
  if (skip) {
    await until(`step ${k} starts`, () => fig.evaluate((el, k) => el.dataset.step === String(k), k));
    const skipper = fig.locator('[data-lesson="skip"]');
    const playing = async () => (await skipper.getAttribute('aria-disabled')) === 'false';
    await until(`step ${k} plays or has arrived`, async () =>
      (await playing()) || (await fig.evaluate((el, k) => el.dataset.arrived === String(k), k)));
    // A click with no wait: the step may arrive (and Skip go idle) at any moment.
    if (await playing()) await skipper.evaluate((b) => b.click());
  }
  await arrived(fig, k);
}

const arrived = (fig, k) =>
  until(`step ${k} arrives`, () => fig.evaluate((el, k) => el.dataset.arrived === String(k), k), 90000);

/** Walks figure `fig` from step `from` to its last, checking `checks[k]` at step k. */
async function walk(fig, checks, from = 2) {
  const count = await fig.locator('ol.steps > li').count();
  for (let k = from; k <= count; k++) {
    await next(fig, k);
    assert.equal(await fig.locator('.lesson-counter').textContent(), `step ${k} of ${count}`);
    await checks[k]?.(await states(fig));
    // A step that names its claim shows it live: it must read "holds" at the step's end.
    if (await fig.locator('ol.steps > li').nth(k - 1).getAttribute('data-check')) {
      await until(`step ${k}'s claim shows as holding`, () =>
        fig.locator('.lesson-check').evaluate((p) => p.dataset.holds === 'true'), 3000);
      assert.match(await fig.locator('.lesson-check').textContent(), /^✓ holds: /);
    }
  }
  assert.equal(await fig.locator('[data-lesson="next"]').getAttribute('aria-disabled'), 'true',
    'Next ends at the last step');
}

/** A screenshot of the window with the page's first figure at its top, as a reader
 * scrolled to it sees it. */
async function shoot(page, chapter) {
  await mkdir(shots, { recursive: true });
  await page.evaluate(() => {
    document.querySelector('figure.lesson')?.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -60); // below mdBook's bar
  });
  await page.screenshot({ path: join(shots, `${chapter}-${page.viewportSize().width}x800.png`) });
}

test('1, the problem: the all-to-all count is N(N−1), gossip sends about three messages per node', async () => {
  const { page, errors } = await open('problem');
  const fig = await figure(page, 0);
  const counts = (s) => {
    assert.equal(s.all_to_all_per_round, s.nodes * (s.nodes - 1));
    assert.ok(s.messages_last_round >= 2.5 * s.nodes && s.messages_last_round <= 4.5 * s.nodes,
      `${s.messages_last_round} gossip messages at ${s.nodes} nodes`);
  };
  await walk(fig, {
    2: ([s]) => { assert.equal(s.nodes, 10); counts(s); },
    3: ([s]) => { assert.equal(s.nodes, 100); counts(s); },
    4: ([s]) => { assert.equal(s.nodes, 1000); counts(s); },
  });
  const shown = await claim(fig, 'all-to-all');
  assert.equal(shown, (1000 * 999).toLocaleString('en-US'), 'the readout says N(N−1)');
  // The reader's own N: the slider starts the run over at that size.
  await fig.locator('#problem-n').fill('300');
  await fig.locator('#problem-n').dispatchEvent('change');
  await until('the figure runs 300 nodes', async () => (await states(fig))[0].nodes === 300);
  await arrived(fig, 5);
  counts((await states(fig))[0]);
  await shoot(page, 'problem');
  assert.deepEqual(errors, []);
  await page.close();
});

test('2, one random peer: each round every node opens one exchange, about three messages each', async () => {
  const { page, errors } = await open('one-peer');
  const fig = await figure(page, 0);
  // The first step plays in slow motion, not skipped: it arrives by itself.
  await next(fig, 2, { skip: false });
  const [s] = await states(fig);
  assert.equal(s.round, 1);
  assert.ok(s.messages_last_round >= 27 && s.messages_last_round <= 45, `${s.messages_last_round} messages`);
  await walk(fig, {
    3: ([s]) => assert.equal(s.selected, 4),
    4: ([s]) => assert.equal(s.selected, 7),
    5: ([s]) => { assert.equal(s.round, 10); assert.equal(s.selected, 0); },
  }, 3);
  await shoot(page, 'one-peer');
  assert.deepEqual(errors, []);
  await page.close();
});

test('3, one exchange: a Syn\'s digests are marked, an Ack carries deltas and requests, an Ack2 deltas', async () => {
  const { page, errors } = await open('exchange');
  const fig = await figure(page, 0);
  const rows = (kind) => fig.locator(`table[data-message="${kind}"] tbody tr`);
  await walk(fig, {
    2: async ([s]) => {
      assert.equal(s.opened, 'Syn');
      const marks = await rows('Syn').evaluateAll((trs) => trs.map((tr) => tr.dataset.mark));
      assert.ok(marks.length >= 2, 'a digest per node known');
      assert.ok(marks.every((m) => ['ahead', 'behind', 'equal', 'unknown'].includes(m)), marks.join());
      assert.ok(marks.some((m) => m !== 'equal'), 'heartbeats make some digest differ');
    },
    3: async ([s]) => {
      assert.equal(s.opened, 'Ack');
      const parts = await rows('Ack').evaluateAll((trs) => trs.map((tr) => tr.dataset.part));
      assert.ok(parts.includes('delta'), parts.join());
    },
    4: async ([s]) => {
      assert.equal(s.opened, 'Ack2');
      assert.ok(await rows('Ack2').count() >= 1);
    },
  });
  await shoot(page, 'exchange');
  assert.deepEqual(errors, []);
  await page.close();
});

test('4, eventually everyone knows: a prediction first, then the spread in the rounds the figure shows', async () => {
  const { page, errors } = await open('spread');
  const fig = await figure(page, 0);
  // No guess, no run.
  await fig.locator('[data-lesson="next"]').click();
  assert.match(await fig.locator('.lesson-readout').textContent(), /Your guess first/);
  assert.equal(await fig.evaluate((el) => el.dataset.step), '1');
  await fig.locator('.lesson-text input').fill('7');
  await next(fig, 2);
  const [s] = await states(fig);
  assert.equal(s.informed, s.nodes, 'every node knows the update');
  assert.equal(s.fractions.at(-1), 1);
  assert.ok(s.spread_rounds >= 3 && s.spread_rounds <= 12, `${s.spread_rounds} rounds at N = 100`);
  assert.equal(Number(await claim(fig, 'rounds')), s.spread_rounds, 'the figure shows the run\'s rounds');
  assert.match(await fig.locator('.lesson-readout').textContent(), /You guessed 7 rounds/);
  // The chart: a point per round of the run (and its start), against the theory's curve.
  const points = await fig.locator('.lesson-chart .measured').getAttribute('points');
  assert.equal(points.trim().split(' ').length, s.fractions.length + 1);
  assert.ok(await fig.locator('.lesson-chart .theory').count() === 1);

  const side = await figure(page, 1);
  assert.equal(await side.locator('.lesson-mount').count(), 3);
  await walk(side, {
    2: ([push, pull, pushPull]) => {
      for (const x of [push, pull, pushPull]) assert.equal(x.informed, x.nodes);
      assert.ok(pushPull.spread_rounds <= pull.spread_rounds && pull.spread_rounds <= push.spread_rounds,
        `push ${push.spread_rounds}, pull ${pull.spread_rounds}, push-pull ${pushPull.spread_rounds}`);
    },
  });
  await shoot(page, 'spread');
  assert.deepEqual(errors, []);
  await page.close();
});

test('5, a copy of the ring: a key\'s owner and replicas, and a joiner\'s tokens spread until every copy agrees', async () => {
  const { page, errors } = await open('tracks');
  const fig = await figure(page, 0);
  assert.equal((await states(fig))[0].whole_rings, 8);
  await walk(fig, {
    2: async ([s]) => {
      assert.equal(s.lookup.replicas.length, 3);
      assert.equal(s.lookup.owner, s.lookup.replicas[0]);
      assert.equal(new Set(s.lookup.replicas).size, 3, 'replicas on distinct nodes');
      assert.ok(await fig.locator('.gossip-lab .ring-panel').isVisible(), 'the ring panel shows the lookup');
    },
    3: ([s]) => {
      assert.equal(s.nodes, 9);
      assert.ok(s.whole_rings < 9, `${s.whole_rings} whole copies just after the join`);
    },
    5: ([s]) => assert.equal(s.whole_rings, 9, 'every copy agrees'),
  });
  await shoot(page, 'tracks');
  assert.deepEqual(errors, []);
  await page.close();
});

test('6, seed nodes: the two rings stay apart until the seed is set, then every node knows all the others', async () => {
  const { page, errors } = await open('seeds');
  const fig = await figure(page, 0);
  const [first] = await states(fig);
  assert.ok(first.members.every((m) => m === 1), 'each knows only itself');
  let apart;
  await walk(fig, {
    4: async ([s]) => {
      assert.deepEqual(s.members, Array(12).fill(6), 'two rings of six');
      assert.equal(Number(await claim(fig, 'know-all')), 0);
      apart = await fig.evaluate((el) => el.lesson.labs[0].traceHash());
    },
    5: ([s]) => assert.ok(s.members.every((m) => m <= 6), 'still apart when the seed is set'),
    6: async ([s]) => {
      assert.deepEqual(s.members, Array(12).fill(12), 'one cluster');
      assert.equal(Number(await claim(fig, 'know-all')), 12);
    },
  });
  // Back, twice, by button: the figure is exactly as it was at step 4.
  await fig.locator('[data-lesson="back"]').click();
  await arrived(fig, 5);
  await fig.locator('[data-lesson="back"]').click();
  await arrived(fig, 4);
  const [back] = await states(fig);
  assert.deepEqual(back.members, Array(12).fill(6));
  assert.equal(await fig.evaluate((el) => el.lesson.labs[0].traceHash()), apart, 'the same run, to the bit');
  await shoot(page, 'seeds');
  assert.deepEqual(errors, []);
  await page.close();
});

test('7, when a node fails: phi rises, and every node convicts it after about 18 mean gaps', async () => {
  const { page, errors } = await open('failure');
  const fig = await figure(page, 0);
  await walk(fig, {
    2: ([s]) => assert.equal(s.seen[5], 'alive'),
    3: ([s]) => {
      assert.notEqual(s.seen[5], 'dead', 'ten silent seconds do not convict');
      assert.ok(s.phi[5] > 1 && s.phi[5] < 8, `phi ${s.phi[5]}`);
    },
    4: async ([s]) => {
      assert.equal(s.seen[5], 'dead');
      assert.equal(s.detections_s.length, 11, 'every other node convicted it');
      for (const t of s.detections_s) assert.ok(t > 15 && t < 50, `detected after ${t} s`);
      assert.equal(await claim(fig, 'seen'), 'dead');
    },
  });
  await shoot(page, 'failure');
  assert.deepEqual(errors, []);
  await page.close();
});

test('8, beyond: a partition convicts the far half and heals; profiles detect sooner; every message fits the MTU', async () => {
  const { page, errors } = await open('beyond');
  const cut = await figure(page, 0);
  const far = [6, 7, 8, 9, 10, 11];
  await walk(cut, {
    2: ([s]) => assert.equal(s.seen.filter((x) => x === 'alive').length, 11),
    3: ([s]) => {
      assert.deepEqual(far.map((i) => s.seen[i]), Array(6).fill('dead'), 'the far half convicted');
      assert.ok([1, 2, 3, 4, 5].every((i) => s.seen[i] === 'alive'), 'the near half alive');
    },
    5: ([s]) => assert.equal(s.seen.filter((x) => x === 'alive').length, 11, 'healed'),
  });
  const profiles = await figure(page, 1);
  await walk(profiles, {
    2: ([cassandra, chitchat, tuned]) => {
      assert.equal(chitchat.detections_s.length, 11);
      assert.equal(tuned.detections_s.length, 11);
      assert.ok(cassandra.detections_s.length < 11, 'Cassandra waits longer');
    },
    3: (all) => all.forEach((s) => assert.equal(s.detections_s.length, 11)),
  });
  const bytes = await figure(page, 2);
  await walk(bytes, {
    2: ([s]) => assert.ok(s.max_message_bytes <= 1400),
    3: ([s]) => {
      assert.equal(s.nodes, 1000);
      assert.ok(s.max_message_bytes <= 1400 && s.max_message_bytes > 1000, `${s.max_message_bytes} B`);
    },
  });
  await shoot(page, 'beyond');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a keyboard-only reader finishes a figure, and mdBook does not turn the page meanwhile', async () => {
  const { page, errors } = await open('seeds');
  const fig = await figure(page, 0);
  const url = page.url();
  await fig.locator('[data-lesson="next"]').focus();
  const count = await fig.locator('ol.steps > li').count();
  for (let k = 2; k <= count; k++) {
    await page.keyboard.press('ArrowRight');
    await until(`step ${k}`, () => fig.evaluate((el, k) => el.dataset.step === String(k), k));
    await page.keyboard.press('s');
    await arrived(fig, k);
  }
  assert.equal(page.url(), url, 'still on the same chapter');
  await page.keyboard.press('ArrowLeft');
  await arrived(fig, count - 1);
  // What a screen reader hears: the step's text and its number, in live regions.
  const text = fig.locator('.lesson-text');
  assert.equal(await text.getAttribute('aria-live'), 'polite');
  assert.match(await text.textContent(), /Now every node is configured with one seed/);
  assert.equal(await fig.locator('.lesson-counter').getAttribute('aria-live'), 'polite');
  assert.deepEqual(errors, []);
  await page.close();
});

test('every page of the book, and the lab, loads without errors and without sideways scrolling', async () => {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 375, height: 800 }]) {
    for (const chapter of [...LESSON, ...GUIDE]) {
      const { page, errors } = await open(chapter, viewport);
      if (LESSON.includes(chapter)) await figure(page, 0);
      // The introduction embeds a free cluster with the custom element, as a docs page would.
      if (chapter === 'intro') await page.waitForSelector('gossip-lab .gossip-lab canvas');
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= viewport.width, `${chapter} is ${wide} px wide at ${viewport.width}`);
      if (LESSON.includes(chapter) && viewport.width === 375) await shoot(page, chapter);
      assert.deepEqual(errors, [], chapter);
      await page.close();
    }
    const page = await browser.newPage({ viewport });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${baseUrl}?seed=3`);
    await page.waitForSelector('canvas');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= viewport.width, `the lab is ${wide} px wide at ${viewport.width}`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('each figure links to the same run in the full page', async () => {
  const { page, errors } = await open('failure');
  const fig = await figure(page, 0);
  const href = await fig.locator('.lesson-open').getAttribute('href');
  const link = new URL(href);
  assert.equal(link.pathname, '/index.html');
  assert.equal(link.searchParams.get('run'), 'c5t10000');
  assert.equal(link.searchParams.get('nodes'), '12');
  const full = await browser.newPage();
  const fullErrors = [];
  full.on('pageerror', (e) => fullErrors.push(String(e)));
  await full.goto(href);
  await full.waitForSelector('canvas');
  // The page took every setting and the crash as they are: nothing clamped or
  // refused, and its own link keeps them.
  assert.equal(await full.locator('.gossip-lab .error').count(), 0);
  const kept = new URL(full.url()).searchParams;
  assert.equal(kept.get('run'), 'c5t10000');
  assert.equal(kept.get('seed'), '7');
  assert.deepEqual([...errors, ...fullErrors], []);
  await full.close();
  await page.close();
});
