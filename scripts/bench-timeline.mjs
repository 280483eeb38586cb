// Timeline benchmark: how long a jump into the past takes, and how much
// memory the run takes with its checkpoints. Serves dist/ and drives headless
// Chromium through the page at each cluster size:
//
//   node scripts/bench-timeline.mjs [minutes] [nodes...]     (after trunk build --release)
//
// The page plays a run of `minutes` (10 by default) at speed 100, then pauses and
// jumps with the timeline's slider to moments spread over the run, each timed from
// the slider's input event to the frame that shows the moment (a jump re-simulates
// in 40 ms slices, a frame each, showing "rewinding… N %" meanwhile). The
// memory is the wasm module's linear memory: the simulator, its checkpoints, and the
// allocator's free space. A benchmark, not a test: it asserts nothing, and its
// figures go into BENCHMARKS.md.
import { serveDist, launchBrowser } from '../tests/support.mjs';

const [minutes = 10, ...sizes] = process.argv.slice(2).map(Number);
const nodes = sizes.length ? sizes : [100, 1000];

const { server, base } = await serveDist('/');
const browser = await launchBrowser();
const readout = async (page) => {
  const [, now, present] = (await page.textContent('[data-readout="timeline"]')).match(/([\d.]+) s of ([\d.]+) s/);
  return { now: Number(now), present: Number(present) };
};
for (const n of nodes) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.addInitScript(() =>
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; }));
  await page.goto(`${base}?seed=1&nodes=${n}&speed=100`, { timeout: 60000 });
  const started = Date.now();
  await page.waitForFunction((end) => {
    const text = document.querySelector('[data-readout="timeline"]')?.textContent ?? '';
    return Number((text.match(/of ([\d.]+) s/) ?? [])[1]) >= end;
  }, minutes * 60, { timeout: 0, polling: 500 });
  await page.click('[data-action="play-pause"]');
  const played = (Date.now() - started) / 1000;
  const { present } = await readout(page);
  const memory = await page.evaluate(() => window.__wasm.memory.buffer.byteLength);
  const targets = [0.98, 0.5, 0.13, 0.77, 0.31, 0.02, 0.9, 0.64].map((f) => Math.round(f * present) * 1000);
  const jumps = [];
  for (const ms of targets) {
    const took = await page.evaluate((value) => new Promise((resolve) => {
      const input = document.querySelector('[data-control="timeline"]');
      const start = performance.now();
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const check = () => {
        const text = document.querySelector('[data-readout="timeline"]')?.textContent ?? '';
        const shown = Math.round(Number((text.match(/([\d.]+) s of/) ?? [])[1]) * 1000);
        if (shown === value) {
          resolve(performance.now() - start);
        } else {
          requestAnimationFrame(check);
        }
      };
      requestAnimationFrame(check);
    }), ms);
    jumps.push(took);
  }
  jumps.sort((a, b) => a - b);
  console.log(`${n} nodes: a ${present.toFixed(0)} s run played in ${played.toFixed(0)} s; wasm memory ` +
    `${(memory / 2 ** 20).toFixed(0)} MiB; ${jumps.length} jumps: median ${jumps[jumps.length >> 1].toFixed(0)} ms, ` +
    `max ${jumps[jumps.length - 1].toFixed(0)} ms`);
  await page.close();
}
await browser.close();
server.close();
