// The foundation's end-to-end checks: the page loads the default scenario, plays, shows tasks,
// and the engine compiled to wasm produces the same event log as the native CLI.
import { execFileSync } from 'node:child_process';
import { test, assert, ROOT } from './harness.mjs';

test('play shows running tasks', async ({ page, baseUrl, shot }) => {
  await page.goto(baseUrl);
  const play = page.getByRole('button', { name: 'Play' });
  await play.waitFor();
  // Six instances over three AZs are drawn before anything runs.
  const instances = page.getByRole('listitem', { name: /^Container instance / });
  await instances.first().waitFor();
  assert((await instances.count()) === 6, `expected 6 instances, saw ${await instances.count()}`);
  await play.click();
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  const running = page.locator('[data-status="RUNNING"]');
  await running.first().waitFor({ timeout: 15000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-status="RUNNING"]').length >= 6, null, { timeout: 15000 });
  await shot('playground.png');
});

test('keyboard: space plays and pauses', async ({ page, baseUrl }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await page.locator('body').press('Space');
  await page.getByRole('button', { name: 'Pause' }).waitFor();
  await page.locator('body').press('Space');
  await page.getByRole('button', { name: 'Play' }).waitFor();
});

/** FNV-1a 64 over a string's UTF-8 bytes, as the engine's EventLog::digest computes it. */
function fnv1a64(text) {
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

test('wasm engine log is byte-identical to the native engine', async ({ page, baseUrl }) => {
  // `cargo run` rebuilds the CLI if the engine changed since the last build (a stale binary would
  // compare the browser against an older engine).
  const args = ['run', `${ROOT}/scenarios/default.json`, '--until', '600'];
  const out = process.env.ECS_SIM_BIN
    ? execFileSync(process.env.ECS_SIM_BIN, args, { encoding: 'utf8', maxBuffer: 1 << 28 })
    : execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'ecs-sim', '--', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  const lines = out.split('\n').filter(Boolean);
  lines.pop(); // the final Snapshot line is not part of the event log
  const native = fnv1a64(lines.map((l) => l + '\n').join(''));
  await page.goto(baseUrl);
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.default_scenario_log_digest);
  const wasm = await page.evaluate(() => window.wasmBindings.default_scenario_log_digest(600));
  assert(wasm === native, `wasm digest ${wasm} != native digest ${native}`);
});
