// Where a frame's time goes (not a test): plays the frames.mjs detailed scenario (1,000 tasks on
// 200 instances) at 10x, records a Chromium trace (devtools.timeline) for a few seconds and
// prints the main thread's time per kind of work (script, style, layout, paint, ...), with the
// app's own `performance.measure` spans (engine / sync) when the page sets them.
//
//   node tests/bench/profile.mjs [seconds=6] [skip-seconds=4]
// STEADY=1: first play at 600x until all 1,000 tasks run, then trace at 10x (with SCALE_IN=950:
// while the service scales in to 950, as frames.mjs's steady phase does: 50 chips stop and leave). CSS='...': a style
// sheet added before tracing (to try what a change of the page's CSS would save).
// Times are the main thread's CPU time (trace `tdur`), so a busy machine inflates them less
// than wall time. QUOTA=<seconds>: instead, open engine/benches/fixtures/quota-5000x5000.json by a
// link at that simulated second and trace it playing at 10x (the aggregated picture).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serveStatic, launchChromium, DIST, ROOT } from '../e2e/harness.mjs';

const SECONDS = Number(process.argv[2] || 6), SKIP = Number(process.argv[3] || 4);
const INSTANCES = 200, TASKS = 1000;
const azs = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const scenario = {
  seed: 1, cluster: 'bench', availabilityZones: azs,
  containerInstances: azs.map((az, i) => ({ instanceType: 'm5.xlarge', availabilityZone: az,
    count: Math.floor(INSTANCES / 3) + (i < INSTANCES % 3 ? 1 : 0) })),
  taskDefinitions: [{ family: 'web', networkMode: 'bridge', containerDefinitions: [{ name: 'web',
    image: 'public.ecr.aws/example/web:v1', cpu: 128, memory: 256, portMappings: [{ containerPort: 8080, hostPort: 0 }] }] }],
  services: [{ serviceName: 'web', taskDefinition: 'web', desiredCount: TASKS, launchType: 'EC2' }],
};
const server = await serveStatic(DIST);
const { context, userDataDir } = await launchChromium();
const page = await context.newPage();
await page.addInitScript(() => { window.ecsPlaygroundPerf = true; });
const base = `http://127.0.0.1:${server.address().port}/`;
if (process.env.QUOTA !== undefined) {
  const text = fs.readFileSync(path.join(ROOT, 'engine', 'benches', 'fixtures', 'quota-5000x5000.json'), 'utf8');
  const packed = zlib.deflateRawSync(Buffer.from(text), { level: 9 }).toString('base64url').replace(/=+$/, '');
  await page.goto(`${base}?scenario=${packed}&speed=10&t=${process.env.QUOTA}`);
  await page.locator('.heat-totals').waitFor({ timeout: 180000 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
} else {
await page.addInitScript((text) => { window.ecsPlaygroundScenario = text; }, JSON.stringify(scenario));
await page.goto(base);
await page.locator('.instance').nth(INSTANCES - 1).waitFor({ timeout: 60000 });
}
if (process.env.QUOTA !== undefined) {
  // playing already
} else if (process.env.STEADY) {
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('600');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.task[data-status="RUNNING"]').length === n, TASKS, { timeout: 300000 });
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('10');
  if (process.env.SCALE_IN) {
    await page.getByRole('spinbutton', { name: 'Desired count' }).fill(process.env.SCALE_IN);
    await page.getByRole('button', { name: 'Set desired count' }).click();
  }
} else {
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('10');
  await page.getByRole('button', { name: 'Play' }).click();
}
if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
await page.waitForTimeout(SKIP * 1000);
const cdp = await context.newCDPSession(page);
const events = [];
cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.start', { categories: 'devtools.timeline,blink.user_timing,v8.execute,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
await page.waitForTimeout(SECONDS * 1000);
await cdp.send('Tracing.end');
await done;
const clock = await page.locator('.clock').textContent();
await context.close(); server.close(); fs.rmSync(userDataDir, { recursive: true, force: true });

// The renderer main thread: the thread with the most RunTask time.
const byThread = new Map();
for (const e of events) if (e.ph === 'X' && e.name === 'RunTask') byThread.set(`${e.pid}:${e.tid}`, (byThread.get(`${e.pid}:${e.tid}`) || 0) + e.dur);
const names = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
const main = [...byThread.entries()].filter(([k]) => names.get(k) === 'CrRendererMain').sort((a, b) => b[1] - a[1])[0]?.[0];
const mine = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X');
const sum = new Map();
for (const e of mine) sum.set(e.name, (sum.get(e.name) || 0) + (e.tdur ?? e.dur) / 1000);
const frames = events.filter((e) => `${e.pid}:${e.tid}` === main && e.name === 'FireAnimationFrame').length;
console.log(`traced ${SECONDS} s at 10x (clock ${clock}), ${frames} animation frames; main-thread CPU ms by event (inclusive):`);
for (const [n, ms] of [...sum.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${n.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms  (${(ms / frames).toFixed(1)} per frame)`);
// User timing spans (performance.measure): async begin/end pairs.
const spans = new Map(), open = new Map();
for (const e of events) {
  if (!String(e.cat).includes('blink.user_timing')) continue;
  if (e.ph === 'b') open.set(`${e.name}:${e.id2?.local || e.id}`, e.ts);
  if (e.ph === 'e') { const k = `${e.name}:${e.id2?.local || e.id}`; if (open.has(k)) { const a = spans.get(e.name) || []; a.push((e.ts - open.get(k)) / 1000); spans.set(e.name, a); } }
}
for (const [n, a] of spans) {
  a.sort((x, y) => x - y);
  console.log(`  measure ${n}: n ${a.length}, median ${a[Math.floor(a.length / 2)].toFixed(2)} ms, p95 ${a[Math.floor(a.length * 0.95)].toFixed(2)} ms, total ${a.reduce((s, x) => s + x, 0).toFixed(0)} ms`);
}
const out = path.join(ROOT, 'target', 'bench');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'trace.json'), JSON.stringify({ traceEvents: events }));
