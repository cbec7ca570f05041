// Engine throughput compiled to wasm, inside Debian's Chromium: the native benchmark's scenarios
// (ecs_sim::fixtures), one simulated hour each; then issue 19's first quota row
// (engine/benches/fixtures/quota-400x2000.json) run natively as `ecs-sim run FILE --until 3600 >
// file` (release build: $ECS_SIM, else cargo's target dir) and in wasm (load, simulate, every log
// line serialized into the digest), best of RUNS (default 3) each, and their ratio (goal < 1.5).
// Prints figures and writes target/bench/engine-wasm.json and target/bench/wasm-native-ratio.json.
// Usage: node tests/bench/engine-wasm.mjs   (after `make build`)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
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

// The wasm/native ratio on quota-400x2000.
const RUNS = Number(process.env.RUNS || 3);
const fixture = path.join(ROOT, 'engine', 'benches', 'fixtures', 'quota-400x2000.json');
const text = fs.readFileSync(fixture, 'utf8');
function nativeBinary() {
  if (process.env.ECS_SIM) return process.env.ECS_SIM;
  execFileSync('cargo', ['build', '-q', '-p', 'ecs-sim', '--release'], { cwd: ROOT, stdio: 'inherit' });
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: ROOT, encoding: 'utf8' }));
  return path.join(meta.target_directory, 'release', 'ecs-sim');
}
const bin = nativeBinary();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ratio-'));
const outFile = path.join(tmp, 'run.jsonl');
let nativeBest = Infinity;
for (let i = 0; i < RUNS; i++) {
  const fd = fs.openSync(outFile, 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, ['run', fixture, '--until', '3600'], { stdio: ['ignore', fd, 'inherit'] });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.closeSync(fd);
  if (r.status !== 0) throw new Error(`${bin} run failed (${r.status})`);
  nativeBest = Math.min(nativeBest, s);
}
// The native log without its final snapshot line, hashed as EventLog::digest does (FNV-1a 64).
const lines = fs.readFileSync(outFile, 'utf8').split('\n').filter((l) => l.length);
const logLines = lines.slice(0, -1);
let h = 0xcbf29ce484222325n;
const prime = 0x100000001b3n, mask = (1n << 64n) - 1n;
for (const b of Buffer.from(logLines.join('\n') + '\n', 'utf8')) h = ((h ^ BigInt(b)) * prime) & mask;
const nativeDigest = h.toString(16).padStart(16, '0');
fs.rmSync(tmp, { recursive: true, force: true });
let wasmBest = Infinity, wasm = null;
for (let i = 0; i < RUNS; i++) {
  const r = JSON.parse(await page.evaluate((t) => window.wasmBindings.bench_scenario(t, 3600, () => performance.now()), text));
  if (r.error) throw new Error(`wasm: ${r.error}`);
  if (r.wallSeconds < wasmBest) { wasmBest = r.wallSeconds; wasm = r; }
}
const ratio = {
  scenario: 'quota-400x2000 (400 m5.xlarge, service of 2,000 tasks, rolling update 100/200, 1 simulated hour)',
  runs: RUNS,
  nativeSeconds: Number(nativeBest.toFixed(3)),
  wasmSeconds: Number(wasmBest.toFixed(3)),
  ratio: Number((wasmBest / nativeBest).toFixed(2)),
  goal: 1.5,
  logLines: logLines.length,
  sameLog: wasm.digest === nativeDigest && wasm.logLines === logLines.length,
  native: `${bin} run FILE --until 3600 > file (release)`,
  wasm: 'Chromium (headless), bench_scenario: load, run_until, log digest',
};
console.log(`quota-400x2000: native ${ratio.nativeSeconds} s, wasm ${ratio.wasmSeconds} s, wasm/native ${ratio.ratio}x (goal < 1.5x; best of ${RUNS}; ${ratio.logLines} log lines, same log: ${ratio.sameLog})`);
fs.writeFileSync(path.join(ROOT, 'target', 'bench', 'wasm-native-ratio.json'), JSON.stringify(ratio, null, 2) + '\n');
await context.close();
server.close();
fs.rmSync(userDataDir, { recursive: true, force: true });
