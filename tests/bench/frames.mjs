// Browser benchmark (not a test): frame times of the cluster view with 1,000 tasks on 200
// instances over 3 AZs, played at 10x, in Debian's Chromium; then at ECS's quota scale (issue 19:
// engine/benches/fixtures/quota-5000x5000.json, 5,000 instances and a service of 5,000 tasks,
// opened as a user opens it, by a `?scenario=` link) played at 10x from 0:00 (placing 5,000
// tasks) and from 14:40 (the rolling update at 15:00), with the page's memory (CDP
// Performance.getMetrics JSHeapUsedSize, and the wasm module's linear memory).
//
//   node tests/bench/frames.mjs [seconds-of-play=20]      (QUOTA_ONLY=1: only the quota phases;
//                                                         DIST_DIR=dir: serve another build)
//
// Build dist/ first (trunk build --release --offline). Per phase it prints, and writes to
// target/bench/ui-frames.json:
// - frame interval (`medianFrameMs`, `p95FrameMs`, `maxFrameMs`): the time between two
//   requestAnimationFrame timestamps. It can never be below one vsync (16.67 ms at 60 Hz): a page
//   that keeps up shows 16.6-16.8 ms (timer jitter), a page that misses frames shows multiples.
// - dropped frames (`droppedFrames`): intervals longer than 1.5 vsync (25 ms), i.e. at least one
//   vsync passed without a new frame.
// - work time (`work.medianMs`, `work.p95Ms`, `work.maxMs`): the main thread's time for one frame,
//   from the start of the frame's first requestAnimationFrame callback (the benchmark's, installed
//   before the app's, so it runs first) to a MessageChannel message posted from it, which is
//   delivered once the frame's rendering (the app's callback with the engine step and the view
//   model's sync, the DOM updates they cause, style, layout, paint) is done: the usual
//   "after frame" technique. Unlike the interval, it shows how much of the 16.7 ms budget a frame
//   uses. `work.over16_7` counts the frames whose work took more than one vsync.
// - engine step and view-model sync (`engineMs`, `syncMs`): the app's `performance.measure` spans
//   (app.rs) inside the work time, median, p95 and max; the rest of the work is DOM, style, layout, paint.
// - time from navigation to the first drawn cluster (all 200 instance cards), and at quota scale
//   the time to open the linked scenario, the DOM's size and the page's memory.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serveStatic, launchChromium, DIST, ROOT } from '../e2e/harness.mjs';

const PLAY_SECONDS = Number(process.argv[2] || 20);
const INSTANCES = 200, TASKS = 1000;

/** The same shape as the engine's `fixtures::cluster` (m5.xlarge over three AZs, one service). */
function benchScenario() {
  const azs = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
  return {
    seed: 1,
    cluster: 'bench',
    availabilityZones: azs,
    containerInstances: azs.map((az, i) => ({
      instanceType: 'm5.xlarge', availabilityZone: az,
      count: Math.floor(INSTANCES / 3) + (i < INSTANCES % 3 ? 1 : 0),
    })),
    taskDefinitions: [{
      family: 'web', networkMode: 'bridge',
      containerDefinitions: [{ name: 'web', image: 'public.ecr.aws/example/web:v1', cpu: 128, memory: 256,
        portMappings: [{ containerPort: 8080, hostPort: 0 }] }],
    }],
    services: [{ serviceName: 'web', taskDefinition: 'web', desiredCount: TASKS, launchType: 'EC2' }],
  };
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
};

const server = await serveStatic(process.env.DIST_DIR || DIST);
const { context, userDataDir } = await launchChromium();
const base = `http://127.0.0.1:${server.address().port}/`;
const errors = [];
const ms = (x) => Number(x.toFixed(2));
const VSYNC_MS = 1000 / 60;
/** The rAF intervals and the main thread's work per frame (see the header). */
const stats = (r) => ({
  frames: r.deltas.length,
  medianFrameMs: ms(quantile(r.deltas, 0.5)),
  p95FrameMs: ms(quantile(r.deltas, 0.95)),
  maxFrameMs: ms(Math.max(...r.deltas)),
  droppedFrames: r.deltas.filter((d) => d > 1.5 * VSYNC_MS).length,
  work: {
    frames: r.work.length,
    medianMs: ms(quantile(r.work, 0.5)),
    p95Ms: ms(quantile(r.work, 0.95)),
    maxMs: ms(Math.max(...r.work)),
    over16_7: r.work.filter((w) => w > 16.7).length,
  },
});
const statsText = (s) => `frame interval median ${s.medianFrameMs} ms, p95 ${s.p95FrameMs} ms, max ${s.maxFrameMs} ms (${s.frames} frames, ${s.droppedFrames} dropped: interval > 25 ms); main-thread work per frame median ${s.work.medianMs} ms, p95 ${s.work.p95Ms} ms, max ${s.work.maxMs} ms, ${s.work.over16_7} frames over 16.7 ms`;
/** Installed before the app starts (addInitScript): the first rAF callback of every frame notes
 * its start and posts a message that arrives when the frame's rendering is done. */
const workProbe = () => {
  const work = [];
  window.__frameWork = work;
  const ch = new MessageChannel();
  ch.port1.onmessage = (e) => work.push(performance.now() - e.data);
  const first = () => {
    ch.port2.postMessage(performance.now());
    requestAnimationFrame(first);
  };
  requestAnimationFrame(first);
};
/** Where a frame's script time went (the app's `performance.measure` spans, app.rs): the engine's
 * step and the view model's sync, median and p95 ms per frame. The rest of a frame is the DOM
 * updates, style, layout and paint. */
const spanStats = (xs) => (xs.length ? { median: ms(quantile(xs, 0.5)), p95: ms(quantile(xs, 0.95)), max: ms(Math.max(...xs)) } : null);
const split = (r) => ({ engineMs: spanStats(r.engine), syncMs: spanStats(r.sync) });
const splitText = (s) => s.engineMs ? `; engine step median ${s.engineMs.median} / p95 ${s.engineMs.p95} / max ${s.engineMs.max} ms, view-model sync median ${s.syncMs.median} / p95 ${s.syncMs.p95} / max ${s.syncMs.max} ms` : '';
/** requestAnimationFrame deltas for `seconds`, and what the page shows at the end. */
const measureIn = (page, seconds) => page.evaluate((seconds) => new Promise((resolve) => {
  const stamps = [];
  const end = performance.now() + seconds * 1000;
  const work0 = window.__frameWork.length;
  performance.clearMeasures();
  const spans = (name) => performance.getEntriesByName(name, 'measure').map((m) => m.duration);
  const tick = (t) => {
    stamps.push(t);
    if (t < end) requestAnimationFrame(tick);
    else resolve({
      deltas: stamps.slice(1).map((s, i) => s - stamps[i]),
      // This frame's work is still running: its message comes after this callback.
      work: window.__frameWork.slice(work0),
      engine: spans('engine'),
      sync: spans('sync'),
      clock: document.querySelector('.clock')?.textContent,
      tasks: document.querySelectorAll('.task').length,
      running: document.querySelectorAll('.task[data-status="RUNNING"]').length,
      totals: document.querySelector('.heat-totals')?.textContent,
      nodes: document.getElementsByTagName('*').length,
    });
  };
  requestAnimationFrame(tick);
}), seconds);

let out = {};
if (!process.env.QUOTA_ONLY) {
const page = await context.newPage();
page.on('pageerror', (e) => errors.push(String(e)));
await page.addInitScript(workProbe);
const scenario = JSON.stringify(benchScenario());
await page.addInitScript((text) => {
  window.ecsPlaygroundScenario = text;
  window.ecsPlaygroundPerf = true;
  // Note when the whole cluster is first drawn (ms since navigation start).
  const want = Number(JSON.parse(text).containerInstances.reduce((n, g) => n + g.count, 0));
  const check = () => {
    if (document.querySelectorAll('.instance').length >= want) {
      window.__firstDraw = performance.now();
      return true;
    }
    return false;
  };
  const poll = () => { if (!check()) requestAnimationFrame(poll); };
  requestAnimationFrame(poll);
}, scenario);
await page.goto(base);
await page.waitForFunction(() => window.__firstDraw !== undefined, null, { timeout: 60000 });
const firstDrawMs = await page.evaluate(() => window.__firstDraw);

await page.getByRole('combobox', { name: 'Speed' }).selectOption('10');
await page.getByRole('button', { name: 'Play' }).click();
const measure = (seconds) => measureIn(page, seconds);
// Phase 1: from 0:00, the scheduler places 1,000 tasks and they go PENDING -> RUNNING.
const result = await measure(PLAY_SECONDS);
// Phase 2: all 1,000 running; scale in to 950 (50 chips stop and leave) while playing at 10x.
await page.waitForFunction(() => document.querySelectorAll('.task[data-status="RUNNING"]').length === 1000, null, { timeout: 120000 });
await page.getByRole('spinbutton', { name: 'Desired count' }).fill('950');
await page.getByRole('button', { name: 'Set desired count' }).click();
const steady = await measure(10);
await page.close();

out = {
  scenario: `generated: ${INSTANCES} m5.xlarge instances over 3 AZs, service web of ${TASKS} tasks (bridge, dynamic host port), seed 1`,
  speed: '10x',
  playSeconds: PLAY_SECONDS,
  ...stats(result),
  ...split(result),
  firstDrawMs: Number(firstDrawMs.toFixed(0)),
  steadyPhase: {
    what: '10 s at 10x with 1,000 tasks drawn, scaling in to 950',
    ...stats(steady),
    ...split(steady),
    taskChipsAtEnd: steady.tasks,
  },
  simulatedClockAtEnd: result.clock,
  taskChipsAtEnd: result.tasks,
  runningChipsAtEnd: result.running,
  chromium: '/usr/bin/chromium --headless (software rendering, no GPU)',
  pageErrors: errors,
};
console.log(`scenario: ${out.scenario}, ${out.speed} for ${PLAY_SECONDS} s`);
console.log(`placing 1,000 tasks: ${statsText(out)}${splitText(out)}`);
console.log(`first drawn cluster: ${out.firstDrawMs} ms after navigation; at the end ${out.simulatedClockAtEnd}, ${out.runningChipsAtEnd}/${out.taskChipsAtEnd} chips RUNNING`);
console.log(`steady (1,000 tasks drawn, scale-in to 950): ${statsText(out.steadyPhase)}, ${steady.tasks} chips at the end${splitText(out.steadyPhase)}`);
}

// Quota scale: 5,000 instances, 5,000 tasks, opened by a link as a user opens it.
const pack = (text) => zlib.deflateRawSync(Buffer.from(text), { level: 9 }).toString('base64url').replace(/=+$/, '');
const quotaText = fs.readFileSync(path.join(ROOT, 'engine', 'benches', 'fixtures', 'quota-5000x5000.json'), 'utf8');
async function quotaPhase(what, t, seconds) {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(workProbe);
  await page.addInitScript(() => { window.ecsPlaygroundPerf = true; });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const started = Date.now();
  await page.goto(`${base}?scenario=${pack(quotaText)}&speed=10${t ? `&t=${t}` : ''}`);
  await page.locator('.heat-totals').waitFor({ timeout: 180000 });
  const openMs = Date.now() - started;
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  const r = await measureIn(page, seconds);
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const wasmBytes = await page.evaluate(() => window.wasmBindings.wasm_memory_bytes());
  await page.close();
  return {
    what, from: t || 0, playSeconds: seconds, openMs, ...stats(r), ...split(r),
    simulatedClockAtEnd: r.clock, totalsAtEnd: r.totals, domNodes: r.nodes,
    jsHeapUsedMB: Number((metrics.JSHeapUsedSize / 2 ** 20).toFixed(1)),
    jsHeapTotalMB: Number((metrics.JSHeapTotalSize / 2 ** 20).toFixed(1)),
    wasmMemoryMB: Number((wasmBytes / 2 ** 20).toFixed(1)),
  };
}
const quota = [
  await quotaPhase('from 0:00 at 10x: 5,000 tasks placed and started', 0, PLAY_SECONDS),
  await quotaPhase('from 14:40 at 10x: the rolling update of 5,000 tasks (web:1 -> web:2 at 15:00)', 880, PLAY_SECONDS),
];
out.quota = {
  scenario: 'engine/benches/fixtures/quota-5000x5000.json: 5,000 m5.xlarge over 3 AZs, service web of 5,000 tasks (bridge, dynamic host port), rolling update 100/200 at 15:00',
  speed: '10x', goalP95FrameMs: 16.7, phases: quota,
};
for (const q of quota) {
  console.log(`quota 5,000/5,000 ${q.what}: ${statsText(q)} (in ${q.playSeconds} s; goal p95 < 16.7 ms)${splitText(q)}; opened in ${q.openMs} ms; at the end ${q.simulatedClockAtEnd}, "${q.totalsAtEnd}", ${q.domNodes} DOM nodes; memory: JS heap ${q.jsHeapUsedMB} MB used, wasm ${q.wasmMemoryMB} MB`);
}
await context.close();
server.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
out.pageErrors = errors;
const dir = path.join(ROOT, 'target', 'bench');
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'ui-frames.json'), JSON.stringify(out, null, 2) + '\n');
console.log(`written to target/bench/ui-frames.json`);
if (errors.length) { console.log(`page errors: ${errors.join('; ')}`); process.exit(1); }
