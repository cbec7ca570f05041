// Engine throughput compiled to wasm, inside Debian's Chromium: the native benchmark's scenarios
// (ecs_sim::fixtures), one simulated hour each. Prints figures and writes target/bench/engine-wasm.json.
// Usage: node tests/bench/engine-wasm.mjs   (after `make build`)
import fs from 'node:fs';
import path from 'node:path';
import { serveStatic, launchChromium, DIST, ROOT } from '../e2e/harness.mjs';

const server = await serveStatic(DIST);
const { context, userDataDir } = await launchChromium();
const page = await context.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.bench_engine, null, { timeout: 30000 });
const results = JSON.parse(await page.evaluate(() => window.wasmBindings.bench_engine(() => performance.now())));
for (const r of results) {
  if (r.error) { console.log(`${r.scenario}: ERROR ${r.error}`); continue; }
  console.log(`${r.scenario}\n  wasm: 1 simulated hour in ${r.wallSecondsPerSimulatedHour.toFixed(3)} s wall (${Math.round(r.simulatedSecondsPerWallSecond)} simulated s per wall s; ${r.events} events)`);
}
fs.mkdirSync(path.join(ROOT, 'target', 'bench'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'target', 'bench', 'engine-wasm.json'), JSON.stringify({ engine: 'wasm (Chromium)', results }, null, 2));
await context.close();
server.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
