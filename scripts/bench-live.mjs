// One comparison of detection times, a real cluster against its simulation, as
// the page shows it in live mode: starts `gossip-node cluster --serve` (the release
// build) with the default protocol (Cassandra's, one-second rounds), opens the page
// on it in headless Chromium, presses Simulate beside, lets the detectors learn for
// a while, crashes a node from the page and prints the page's table once every
// other node, real and simulated, has convicted it.
//
//   node scripts/bench-live.mjs [nodes] [warm-up seconds]   (after trunk build --release
//                                                             and cargo build --release -p gossip-node)
//
// A benchmark, not a test: it asserts nothing, and its figures go into BENCHMARKS.md.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { serveDist, launchBrowser, root, until } from '../tests/support.mjs';

const [nodes = 10, warmup = 60] = process.argv.slice(2).map(Number);
const { server, base } = await serveDist('/');
const launcher = spawn(join(root, 'target', 'release', 'gossip-node'), [
  'cluster', '--nodes', String(nodes), '--seeds', '2', '--serve', '127.0.0.1:0',
  '--allow-origin', new URL(base).origin,
], { stdio: ['ignore', 'inherit', 'pipe'] });
const url = await new Promise((resolve) => {
  let text = '';
  launcher.stderr.on('data', (chunk) => {
    text += chunk;
    const found = text.match(/ws:\/\/127\.0\.0\.1:\d+/);
    if (found) resolve(found[0]);
  });
});
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1300 } });
  await page.goto(`${base}index.html?live=${encodeURIComponent(url)}`);
  await until('connected', async () => (await page.locator('.live').getAttribute('data-live')) === 'open');
  await page.click('[data-action="simulate"]');
  await new Promise((resolve) => setTimeout(resolve, warmup * 1000));
  await page.click('[data-action="crash"]');
  const count = (row) => page.locator(`[data-live-detections] tr[data-${row}]`).getAttribute(`data-${row}`);
  await until('all convicted it', async () => (await count('real')) === String(nodes - 1)
    && (await count('simulated')) === String(nodes - 1), 120000);
  const rows = await page.locator('[data-live-detections] tr').allInnerTexts();
  console.log(await page.locator('[data-live-detections] caption').innerText());
  for (const row of rows) console.log(row.replace(/\t/g, ' | '));
} finally {
  launcher.kill('SIGINT');
  await browser.close();
  server.close();
}
