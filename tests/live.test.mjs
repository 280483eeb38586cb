// End-to-end test of live mode: a real 10-node cluster (`gossip-node cluster
// --serve` on a free loopback port), watched and driven by the page in headless
// Chromium, with its simulation beside it. The launcher is the one `cargo build
// -p gossip-node` makes (scripts/test.sh builds it first); GOSSIP_NODE overrides.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { root, serveDist, launchBrowser, until } from './support.mjs';

const NODES = 10;
const binary = process.env.GOSSIP_NODE ?? join(root, 'target', 'debug', 'gossip-node');

let server;
let base;
let browser;
let launcher;

/** Starts the launcher serving on a free port, allowing the test server's origin;
 * resolves with the WebSocket address it prints. */
function startCluster(origin) {
  launcher = spawn(binary, [
    'cluster', '--nodes', String(NODES), '--seeds', '2', '--interval-ms', '200',
    '--serve', '127.0.0.1:0', '--allow-origin', origin,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  launcher.stdout.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    launcher.stderr.on('data', (chunk) => {
      text += chunk;
      const found = text.match(/ws:\/\/127\.0\.0\.1:\d+/);
      if (found) resolve(found[0]);
    });
    launcher.on('exit', (code) => reject(new Error(`the launcher exited (${code}): ${text}`)));
  });
}

/** The launcher's children: its node processes, read from /proc (no procps needed). */
function nodePids() {
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid …: the command may hold spaces, so read after its ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === launcher.pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

before(async () => {
  ({ server, base } = await serveDist('/'));
  browser = await launchBrowser();
});

after(async () => {
  if (launcher && launcher.exitCode === null) launcher.kill('SIGKILL');
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** Which nodes the feed says convicted `node`. */
async function convictors(page, node) {
  const lines = await page.locator('[data-live-feed] li[data-kind="convicted"]').allTextContents();
  const by = new Set();
  for (const line of lines) {
    const m = line.match(/Node (\d+) convicted node (\d+)/);
    if (m && Number(m[2]) === node) by.add(Number(m[1]));
  }
  return by;
}

/** Clicks node `n` on the live canvas (evenly round the ring, node 0 at the top). */
async function clickNode(page, n) {
  const box = await page.locator('.live-real canvas').boundingBox();
  const angle = (2 * Math.PI * n) / NODES - Math.PI / 2;
  const scale = box.width / 520;
  await page.mouse.click(
    box.x + (260 + 208 * Math.cos(angle)) * scale,
    box.y + (260 + 208 * Math.sin(angle)) * scale,
  );
}

test('a real 10-node cluster on the page: drawn, crashed, convicted, restarted, and beside its simulation', async () => {
  const origin = new URL(base).origin;
  const url = await startCluster(origin);
  const page = await browser.newPage({ viewport: { width: 1200, height: 1300 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}index.html?live=${encodeURIComponent(url)}`);
  const live = page.locator('.gossip-lab.live');
  await until('the page connects', async () => (await live.getAttribute('data-live')) === 'open');
  await until('all 10 nodes are drawn', async () => (await live.getAttribute('data-live-nodes')) === String(NODES));
  await until('the selected node sees the 9 others alive', async () => (
    await page.locator('[data-live-view] tr[data-seen="alive"]').count()) === NODES - 1, 20000);
  const dir = join(root, 'target', 'e2e');
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, 'live.png'), fullPage: true });

  // The simulation beside it, before the crash, so that it replays the crash too.
  await page.click('[data-action="simulate"]');
  await page.locator('.live-sim canvas').waitFor();

  await clickNode(page, 3);
  await until('node 3 is selected', async () => (await live.getAttribute('data-live-selected')) === '3');
  const pids = nodePids();
  assert.equal(pids.length, NODES, 'one process per node');
  await page.click('[data-action="crash"]');
  await until('every other node convicts node 3, in the feed', async () => (await convictors(page, 3)).size === NODES - 1, 30000);
  assert.ok(!(await convictors(page, 3)).has(3));
  // The table is written four times a second; the feed at once.
  const convicted = (row) => page.locator(`[data-live-detections] tr[data-${row}]`).getAttribute(`data-${row}`);
  await until('the table counts the real convictions', async () => (await convicted('real')) === String(NODES - 1), 5000);
  await until('the simulation convicts it too', async () => (await convicted('simulated')) === String(NODES - 1), 30000);
  // Seen from a live node, node 3 is dead: red in both figures.
  await clickNode(page, 0);
  await until('node 0 sees node 3 dead', async () => (
    await page.locator('[data-live-view] tr[data-endpoint="3"][data-seen="dead"]').count()) === 1, 5000);
  await page.screenshot({ path: join(dir, 'live-beside-simulation.png'), fullPage: true });
  const detections = await page.locator('[data-live-detections]').textContent();
  console.log(`# detections, real and simulated: ${detections}`);

  const generations = async () => (await page.locator('[data-live-feed] li[data-kind="listening"]').allTextContents())
    .map((t) => t.match(/Node 3 is up, generation (\d+)/)).filter(Boolean).map((m) => Number(m[1]));
  await clickNode(page, 3);
  await page.click('[data-action="restart"]');
  await until('node 3 is up again', async () => (await generations()).length === 1, 15000);
  const [generation] = await generations();
  await until('the others take node 3 back in its newer generation', async () => {
    const lines = await page.locator('[data-live-feed] li[data-kind="restarted"]').allTextContents();
    const by = new Set(lines.map((t) => t.match(/Node (\d+) learned node 3 restarted, generation (\d+)/))
      .filter((m) => m && Number(m[2]) === generation).map((m) => m[1]));
    return by.size === NODES - 1;
  }, 20000);
  const before = await page.locator('[data-live-view] tr[data-endpoint="3"]').count();
  assert.equal(before, 0, 'node 3 does not list itself');
  assert.deepEqual(errors, []);

  // The same view through mount() and <gossip-lab>, on a docs page of the same origin.
  const docs = await browser.newPage();
  const docsErrors = [];
  docs.on('pageerror', (e) => docsErrors.push(String(e)));
  await docs.goto(`${base}embed.html`);
  await docs.locator('gossip-lab canvas').first().waitFor();
  const refused = await docs.evaluate(async (url) => {
    const { mount } = await import('./gossip-web.js');
    const box = document.createElement('div');
    box.id = 'mounted-live';
    document.body.append(box);
    window.liveHandle = mount(box, { live: url });
    const element = document.createElement('gossip-lab');
    element.id = 'element-live';
    element.setAttribute('live', url);
    document.body.append(element);
    try {
      mount(document.createElement('div'), { live: 'http://127.0.0.1:1' });
      return null;
    } catch (e) {
      return String(e.message ?? e);
    }
  }, url);
  assert.match(refused, /option `live`.*not a WebSocket address/);
  for (const id of ['mounted-live', 'element-live']) {
    await until(`#${id} shows the 10 real nodes`, async () => (
      await docs.locator(`#${id} .live, #${id}.live`).getAttribute('data-live-nodes').catch(() => null)) === String(NODES));
  }
  await docs.evaluate(() => window.liveHandle.destroy());
  await until('destroy() empties the element', async () => (
    await docs.locator('#mounted-live').evaluate((e) => e.childElementCount)) === 0);
  assert.deepEqual(docsErrors, []);
  await docs.close();

  // Stopping the launcher stops every node it started.
  const all = nodePids();
  launcher.kill('SIGINT');
  await until('the launcher exits', async () => launcher.exitCode !== null, 20000);
  assert.equal(launcher.exitCode, 0);
  await until('no node is left running', async () => [...pids, ...all].every((pid) => !running(pid)), 5000);
  await until('the page says the cluster is gone', async () => (await live.getAttribute('data-live')) === 'closed');
  await page.close();
});

test('a bad live address is shown on the page, which runs the simulator instead', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}index.html?live=http://127.0.0.1:7070`);
  await page.locator('canvas').first().waitFor();
  const notice = await page.locator('.error').first().textContent();
  assert.match(notice, /live.*not a WebSocket address/);
  assert.equal(await page.locator('.live').count(), 0);
  await page.close();
});
