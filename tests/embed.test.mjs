// End-to-end tests of embedding: the docs example page (dist/embed.html, from
// docs/embed.html) with its three instances — an iframe, the JS API and the custom
// element — served under a sub-path, as a docs site would host the build.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { root, serveDist, launchBrowser, countFrames, twoFrames, until } from './support.mjs';

let server;
let base;
let browser;

before(async () => {
  ({ server, base } = await serveDist('/docs/demo/'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function openDocs() {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await countFrames(page);
  const started = Date.now();
  await page.goto(`${base}embed.html`);
  await page.waitForSelector('#push-pull canvas');
  await page.waitForSelector('gossip-lab canvas');
  const iframe = page.frameLocator('#push');
  await iframe.locator('canvas').waitFor();
  return { page, errors, iframe, firstFrameMs: Date.now() - started };
}

const clock = (locator) => locator.locator('[data-readout="clock"]').textContent();

test('the three instances run independently: pausing one leaves the others running', async () => {
  const { page, errors, iframe, firstFrameMs } = await openDocs();
  console.log(`docs page: all three instances drawn ${firstFrameMs} ms after navigation`);
  const api = page.locator('#push-pull');
  const element = page.locator('gossip-lab');
  await until('the API instance ticks', async () => (await clock(api)).length > 0);
  await page.evaluate(() => window.pushPull.pause());
  await twoFrames(page);
  const [a, b, c] = [await clock(api), await clock(element), await clock(iframe)];
  await until('the custom element runs on', async () => (await clock(element)) !== b);
  await until('the iframe runs on', async () => (await clock(iframe)) !== c);
  assert.equal(await clock(api), a, 'the paused instance stands still meanwhile');
  await page.evaluate(() => window.pushPull.play());
  await until('play resumes it', async () => (await clock(api)) !== a);
  await mkdir(join(root, 'target', 'e2e'), { recursive: true });
  await page.screenshot({ path: join(root, 'target', 'e2e', 'docs-embed.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('events reach the page', async () => {
  const { page, errors } = await openDocs();
  await page.waitForFunction(() => Number(document.getElementById('rounds').textContent) >= 2);
  await page.waitForSelector('#spread:has-text("reached everyone")', { timeout: 30000 });
  const seen = await page.evaluate(() => new Promise((resolve) => {
    const lab = document.querySelector('gossip-lab').handle;
    lab.on('round', (e) => resolve(e.type));
  }));
  assert.equal(seen, 'round', 'the custom element hands out its handle too');
  // A changed attribute restarts the element's lab: the crash scenario has 30 nodes.
  await page.evaluate(() => document.querySelector('gossip-lab').setAttribute('scenario', 'crash'));
  await page.waitForSelector('gossip-lab [data-readout="node-count"]:has-text("30 nodes")');
  await page.waitForSelector('gossip-lab .caption:has-text("A node crashes")');
  assert.deepEqual(errors, []);
  await page.close();
});

test('destroy() stops the frames and frees the element', async () => {
  const { page, errors } = await openDocs();
  await page.evaluate(() => {
    window.pushPull.destroy();
    window.pushPull.destroy(); // twice is harmless
    window.pushPull.play(); // and later calls do nothing
    document.querySelector('gossip-lab').remove();
    document.getElementById('push').remove();
  });
  assert.equal(await page.locator('#push-pull *').count(), 0, 'the element is empty');
  await twoFrames(page);
  const frames = await page.evaluate(() => window.__rafCalls);
  await page.waitForTimeout(700);
  assert.equal(await page.evaluate(() => window.__rafCalls), frames, 'no more frames');
  assert.deepEqual(errors, []);
  await page.close();
});

test('bad options are refused with an error that names the field', async () => {
  const { page, errors } = await openDocs();
  assert.match(await page.textContent('#error'), /option `nodes`: invalid type: string "many", expected u64/);
  const messages = await page.evaluate(async () => {
    const { mount } = await import('./gossip-web.js');
    const tryMount = (options) => {
      try { mount(document.createElement('div'), options).destroy(); return 'mounted'; }
      catch (e) { return e.message; }
    };
    const el = document.createElement('gossip-lab');
    el.setAttribute('fanout', '0');
    document.body.append(el);
    return [
      tryMount({ nodez: 3 }),
      tryMount({ loss: 150 }),
      tryMount({ mode: 'shout' }),
      tryMount({ nodes: 12, seed: 1, autoplay: false }),
      el.textContent,
      tryMount({ nodes: 12, run: 'c40t1000' }),
      tryMount({ nodes: 12, run: 7 }),
    ];
  });
  assert.match(messages[0], /unknown option `nodez`; the options are profile, nodes, seeds/);
  assert.match(messages[1], /option `loss` = 150: above 100/);
  assert.match(messages[2], /option `mode` = shout: not one of push, pull, push-pull/);
  assert.equal(messages[3], 'mounted');
  assert.match(messages[4], /option `fanout` = 0: below 1/);
  assert.match(messages[5], /option `run` = c40t1000: .*40/);
  assert.match(messages[6], /option `run` must be a run code/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a figure driven by the API: load a scenario, step a round, and read its state', async () => {
  const { page, errors } = await openDocs();
  const result = await page.evaluate(async () => {
    const { mount } = await import('./gossip-web.js');
    const el = document.createElement('div');
    el.style.height = '300px';
    document.body.append(el);
    const lab = mount(el, { controls: 'none', autoplay: false, seed: 4 });
    const settle = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    let bad;
    try { lab.load('{"setup": {"nodes": 6}}\n{"at": 1, "crash": "x"}'); } catch (e) { bad = e.message; }
    lab.load('{"setup": {"nodes": 6, "seed": 3}}\n{"at": 2, "crash": 4}\n{"at": 30, "caption": "The end."}');
    await settle();
    const loaded = lab.state();
    lab.step();
    await settle();
    const stepped = lab.state();
    const controls = [el.querySelector('[data-action="play-pause"]'), el.querySelector('.timeline')];
    lab.destroy();
    return { bad, loaded, stepped, controls: controls.map((c) => c === null) };
  });
  assert.match(result.bad, /line 2, field `crash`/);
  assert.equal(result.loaded.nodes, 6);
  assert.equal(result.loaded.time_s, 0);
  assert.equal(result.loaded.playing, false, 'a loaded scenario waits at its start');
  assert.equal(result.stepped.round, 1);
  assert.equal(result.stepped.time_s, 1);
  assert.deepEqual(result.controls, [true, true], 'controls none: the canvas alone');
  assert.deepEqual(errors, []);
  await page.close();
});

test('profiles reach mount() and the custom element', async () => {
  const { page, errors } = await openDocs();
  await page.evaluate(async () => {
    const { mount } = await import('./gossip-web.js');
    const div = document.createElement('div');
    div.id = 'profiled';
    document.body.append(div);
    window.profiled = mount(div, { profile: 'chitchat', embed: false, autoplay: false, nodes: 12 });
    const el = document.createElement('gossip-lab');
    el.setAttribute('profile', 'tuned');
    el.setAttribute('embed', '0');
    el.setAttribute('autoplay', '0');
    el.id = 'tuned';
    document.body.append(el);
  });
  const value = (selector) => page.inputValue(selector);
  assert.equal(await value('#profiled [data-control="profile"]'), 'chitchat');
  assert.equal(await value('#profiled [data-control="fanout"]'), '3');
  assert.equal(await value('#tuned [data-control="profile"]'), 'tuned');
  assert.equal(await value('#tuned [data-control="detector"]'), 'normal');
  // reset() and a changed attribute take a new profile too.
  await page.evaluate(() => window.profiled.reset({ profile: 'cassandra', embed: false, autoplay: false }));
  await page.waitForFunction(() => document.querySelector('#profiled [data-control="fanout"]').value === '1');
  await page.evaluate(() => document.getElementById('tuned').setAttribute('profile', 'chitchat'));
  await page.waitForFunction(() => document.querySelector('#tuned [data-control="profile"]').value === 'chitchat');
  assert.deepEqual(errors, []);
  await page.close();
});

test('keys stay scoped to an embedded instance; in its own frame one press is one action', async () => {
  const { page, errors } = await openDocs();
  const api = page.locator('#push-pull');
  const playing = () => api.locator('[data-action="play-pause"]').textContent();
  assert.equal(await playing(), 'Pause');
  await page.keyboard.press('Space');
  assert.equal(await playing(), 'Pause', 'a key on the docs page is not the instance\'s');
  await api.locator('.gossip-lab').focus();
  await page.keyboard.press('Space');
  assert.equal(await playing(), 'Play', 'the focused instance takes its key');
  assert.deepEqual(errors, []);
  await page.close();

  const frame = await browser.newPage({ viewport: { width: 500, height: 400 } });
  await frame.goto(`${base}index.html?embed=1&nodes=20&seed=3`);
  await frame.waitForSelector('canvas');
  await frame.keyboard.press('Space');
  assert.equal(await frame.textContent('[data-action="play-pause"]'), 'Play', 'paused once, not toggled twice');
  await frame.locator('.gossip-lab').focus();
  await frame.keyboard.press('Space');
  assert.equal(await frame.textContent('[data-action="play-pause"]'), 'Pause');
  await frame.close();
});

test('the app and embed mode load from the sub-path build', async () => {
  const page = await browser.newPage({ viewport: { width: 500, height: 400 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}index.html?embed=1&nodes=25&seed=3`);
  await page.waitForSelector('canvas');
  assert.equal(await page.locator('h1').count(), 0, 'no page chrome in embed mode');
  assert.equal(await page.textContent('[data-readout="node-count"]'), '25 nodes');
  const box = await page.locator('canvas').boundingBox();
  assert.ok(box.height <= 400 && box.width <= 500, `the canvas fits the frame: ${JSON.stringify(box)}`);
  assert.ok(box.height > 150, 'and fills it');
  await page.goto(`${base}?seed=4`);
  await page.waitForSelector('h1');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an embedded instance has a timeline, and the API seeks, saves and hashes its run', async () => {
  const { page, errors } = await openDocs();
  const api = page.locator('#push-pull');
  await api.locator('.timeline [data-control="timeline"]').waitFor();
  const times = await page.evaluate(() => new Promise((resolve) => {
    const seen = [];
    window.pushPull.on('round', (e) => {
      seen.push(e.time_s);
      if (seen.length === 6) resolve(seen);
    });
  }));
  assert.ok(times.every((t, i) => i === 0 || t > times[i - 1]), `the round event carries the time: ${times}`);
  await page.evaluate(() => window.pushPull.pause());
  await twoFrames(page);
  const now = await page.evaluate(() => {
    const last = window.pushPull.save().trim().split('\n').pop();
    return JSON.parse(last).at;
  });
  const hash = await page.evaluate(() => window.pushPull.traceHash());
  assert.match(hash, /^0x[0-9a-f]{16}$/);
  // Back to one second in, then to where it was: the same run, hash for hash.
  await page.evaluate(() => window.pushPull.seek(1));
  await until('the API instance is back at 1 s', async () =>
    (await api.locator('[data-readout="timeline"]').textContent()).startsWith('1.0 s of'));
  assert.notEqual(await page.evaluate(() => window.pushPull.traceHash()), hash);
  await page.evaluate((t) => window.pushPull.seek(t), now);
  await until('the API instance is back where it was', async () =>
    (await page.evaluate(() => window.pushPull.traceHash())) === hash);
  assert.deepEqual(errors, []);
  await page.close();
});
