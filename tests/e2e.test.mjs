// End-to-end tests of the built page: serves dist/ (built by `trunk build --release`)
// on 127.0.0.1 and drives Debian's headless Chromium with playwright-core.
// Run by scripts/test.sh, or alone with `node --test tests/` after a release build.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { join, extname, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

let server;
let baseUrl;
let browser;

before(async () => {
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(dist, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run',
    ],
    // launch() gives every run a fresh, throw-away profile of its own.
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** Opens the page, counting requestAnimationFrame calls and collecting page errors. */
async function open(query) {
  const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.__rafCalls = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => { window.__rafCalls += 1; return raf(cb); };
  });
  await page.goto(`${baseUrl}/${query}`);
  await page.waitForSelector('canvas');
  return { page, errors };
}

const canvasImage = (page) => page.evaluate(() => document.querySelector('canvas').toDataURL());
const clockText = (page) => page.textContent('[data-readout="clock"]');
const rafCalls = (page) => page.evaluate(() => window.__rafCalls);

test('the page animates while playing and freezes when paused', async () => {
  const { page, errors } = await open('?seed=42');
  assert.equal(await page.textContent('[data-readout="seed"]'), '42');

  await page.waitForTimeout(1000);
  const first = await canvasImage(page);
  await page.waitForTimeout(500);
  const second = await canvasImage(page);
  assert.notEqual(first, second, 'the canvas should change while playing');

  await mkdir(join(root, 'target', 'e2e'), { recursive: true });
  await page.screenshot({ path: join(root, 'target', 'e2e', 'gossip-lab.png') });

  await page.click('[data-action="play-pause"]');
  assert.equal(await page.textContent('[data-action="play-pause"]'), 'Play');
  await page.waitForTimeout(200);
  const paused = await canvasImage(page);
  const pausedClock = await clockText(page);
  const pausedFrames = await rafCalls(page);
  await page.waitForTimeout(800);
  assert.equal(await canvasImage(page), paused, 'the canvas should not change while paused');
  assert.equal(await clockText(page), pausedClock, 'the clock should stop while paused');
  assert.equal(await rafCalls(page), pausedFrames, 'no frames should be requested while paused');

  await page.keyboard.press('Space');
  await page.waitForTimeout(500);
  assert.notEqual(await canvasImage(page), paused, 'space should resume the animation');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a bad ?seed= is reported, and a random seed is used instead', async () => {
  const { page, errors } = await open('?seed=banana');
  const alert = await page.textContent('[role="alert"]');
  assert.match(alert, /\?seed=banana is not a whole number/);
  const seed = await page.textContent('[data-readout="seed"]');
  assert.match(seed, /^\d+$/);
  assert.equal(await page.getAttribute('[data-readout="seed"]', 'href'), `?seed=${seed}`,
    'the seed links to a URL that reproduces the run');
  assert.deepEqual(errors, []);
  await page.close();
});
