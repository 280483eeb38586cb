// What the end-to-end tests share: a static server for dist/ (optionally under a
// sub-path, as a docs site would host it) and Debian's headless Chromium, driven by
// playwright-core. Nothing is downloaded.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, extname, normalize } from 'node:path';
import { chromium } from 'playwright-core';

export const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.woff2': 'font/woff2',
};

/** Serves dist/ under `prefix` (for example '/docs/demo/') on 127.0.0.1; returns
 * the server and the base URL, ending with the prefix. */
export async function serveDist(prefix = '/') {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end('not found');
      return;
    }
    const rest = normalize(`/${path.slice(prefix.length)}`);
    // A directory's page is its index.html, as any static host serves it (/book/).
    const file = join(dist, rest.endsWith('/') ? `${rest}index.html` : rest);
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
  return { server, base: `http://127.0.0.1:${server.address().port}${prefix}` };
}

/** Debian's Chromium, headless, with a fresh throw-away profile. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Counts requestAnimationFrame calls in every frame of the page (window.__rafCalls);
 * the browser's own, uncounted, stays as window.__raf. */
export function countFrames(page) {
  return page.addInitScript(() => {
    window.__rafCalls = 0;
    const raf = window.requestAnimationFrame.bind(window);
    window.__raf = raf;
    window.requestAnimationFrame = (cb) => { window.__rafCalls += 1; return raf(cb); };
  });
}

/** Resolves once two frames have been painted: a frame the page requested before now
 * has run by then. */
export function twoFrames(page) {
  return page.evaluate(() => new Promise((resolve) => window.__raf(() => window.__raf(resolve))));
}

/** Waits until `check()` resolves truthy, polling every 20 ms, for at most `ms`. */
export async function until(what, check, ms = 15000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting until ${what}`);
}
