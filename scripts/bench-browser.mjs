// In-browser frame-time benchmark: serves dist/ and drives headless
// Chromium (tests/support.mjs: Debian's chromium, playwright-core) through the page
// at each cluster size, playing at speed 1, and prints a table.
//
//   node scripts/bench-browser.mjs [seconds] [nodes...]     (after trunk build --release)
//
// BENCH_QUERY adds URL settings to the frame-time runs: BENCH_QUERY='&latency=250'
// doubles the messages in flight.
//
// For each size: the time of the page's own animation-frame callback (the
// simulation step plus the drawing: "step + draw"), the interval between frames, the
// frame rate, what the page says it drew, and the time from the start of navigation
// to the end of the first animated frame. A benchmark, not a test: it asserts
// nothing, and its figures go into BENCHMARKS.md.
//
// Then the simulation alone, wasm against native. The page plays at speed 100, so a
// frame simulates 10 s and drawing is a negligible share of its time; the page's
// default configuration is gossip-sim's, so the same run is timed natively (the
// release build, rounds 10 to 10 + k, the set-up subtracted).
import { execFileSync } from 'node:child_process';
import { serveDist, launchBrowser, root } from '../tests/support.mjs';

const [seconds = 5, ...sizes] = process.argv.slice(2).map(Number);
const nodes = sizes.length ? sizes : [100, 1000, 10000];

// Wraps requestAnimationFrame before the page loads, to time each callback.
function timeFrames() {
  window.__frames = [];
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) =>
    raf((at) => {
      const start = performance.now();
      callback(at);
      // The app's callback hands the frame to Yew, whose scheduler runs it in a
      // microtask queued meanwhile: this one runs after it.
      queueMicrotask(() => window.__frames.push({ at, start, end: performance.now() }));
    });
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
};

const { server, base } = await serveDist('/');
const browser = await launchBrowser();
const rows = [];
for (const n of nodes) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e).split('\n')[0]));
  await page.addInitScript(timeFrames);
  try {
    await page.goto(`${base}?seed=1&nodes=${n}&speed=1${process.env.BENCH_QUERY ?? ''}`, {
      timeout: 60000,
    });
    await page.waitForFunction(() => window.__frames.length > 0, null, { timeout: 60000 });
    const firstFrame = await page.evaluate(() => window.__frames[0].end);
    await page.waitForTimeout(1500);
    const from = await page.evaluate(() => window.__frames.length);
    await page.waitForTimeout(seconds * 1000);
    const frames = (await page.evaluate(() => window.__frames)).slice(from);
    const work = frames.map((f) => f.end - f.start);
    const intervals = frames.slice(1).map((f, i) => f.at - frames[i].at);
    const span = (frames.at(-1).at - frames[0].at) / 1000;
    rows.push({
      nodes: await page.textContent('[data-readout="node-count"]'),
      drawn: (await page.textContent('[data-readout="drawn"]')) ?? '',
      stepMedian: quantile(work, 0.5),
      stepP95: quantile(work, 0.95),
      frameMedian: quantile(intervals, 0.5),
      frameP95: quantile(intervals, 0.95),
      fps: (frames.length - 1) / span,
      firstFrame,
    });
  } catch (e) {
    rows.push({ nodes: n, failed: errors[0] ?? String(e).split('\n')[0] });
  }
  await page.close();
}
const ms = (v) => v.toFixed(1);
console.log(`| nodes | drawn | step + draw median / p95 (ms) | frame median / p95 (ms) | fps | first frame (ms) |`);
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(r.failed
    ? `| ${r.nodes} | failed: ${r.failed} | | | | |`
    : `| ${r.nodes} | ${r.drawn} | ${ms(r.stepMedian)} / ${ms(r.stepP95)} | ${ms(r.frameMedian)} / ${ms(r.frameP95)} | ${r.fps.toFixed(1)} | ${Math.round(r.firstFrame)} |`);
}

// Wasm: simulated seconds per wall-clock second at speed 100, read between frames.
async function wasmMsPerRound(n) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(`${base}?seed=1&nodes=${n}&speed=100`, { timeout: 60000 });
  const sample = () => page.evaluate(() => {
    const text = document.querySelector('[data-readout="clock"]')?.textContent ?? '';
    return { wall: performance.now(), sim: Number(text.match(/t = ([\d.]+) s/)?.[1] ?? NaN) };
  });
  let first = await sample();
  while (!(first.sim >= 10)) first = await sample();
  let last = first;
  while (last.wall - first.wall < seconds * 1000 || last.sim - first.sim < 5) last = await sample();
  await page.close();
  return (last.wall - first.wall) / (last.sim - first.sim);
}

// Native: the same run in gossip-sim, timed for 10 rounds and for 10 + k.
function nativeMsPerRound(n) {
  const binary = `${root}target/release/gossip-sim`;
  const run = (rounds) => {
    const start = process.hrtime.bigint();
    execFileSync(binary, ['--nodes', String(n), '--seed', '1', '--rounds', String(rounds)]);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const k = n >= 1000 ? 20 : 100;
  return (run(10 + k) - run(10)) / k;
}

execFileSync('cargo', ['build', '--release', '-q', '-p', 'gossip-sim'], { cwd: root, stdio: 'inherit' });
console.log('\n| nodes | wasm, ms per simulated round | native, ms per round | wasm / native |');
console.log('|---|---|---|---|');
for (const n of nodes.filter((n) => n <= 5000)) {
  const wasm = await wasmMsPerRound(n);
  const native = nativeMsPerRound(n);
  console.log(`| ${n} | ${ms(wasm)} | ${ms(native)} | ${(wasm / native).toFixed(2)} |`);
}
await browser.close();
server.close();
