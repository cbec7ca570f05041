// Issue 23, "Watch a local simulator": the page follows an `ecs-sim serve` on a loopback port
// while API calls (raw JSON 1.1 POSTs with X-Amz-Target, as the AWS CLI sends them) change it.
// The server binary: $ECS_SIM, else $CARGO_TARGET_DIR/release/ecs-sim, else target/release/ecs-sim
// (`cargo build --release -p ecs-sim -p ecs-sim-server`).
import { test, assert, ROOT } from './harness.mjs';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ECS = 'AmazonEC2ContainerServiceV20141113';
const trace = (n, what) => { if (process.env.E2E_TRACE) console.log(`  watch step ${n}: ${what}`); };

function serverBinary() {
  const candidates = [
    process.env.ECS_SIM,
    process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, 'release', 'ecs-sim'),
    path.join(ROOT, 'target', 'release', 'ecs-sim'),
  ].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p) && fs.existsSync(path.join(path.dirname(p), 'ecs-sim-serve')));
  if (!found) throw new Error(`ecs-sim and ecs-sim-serve not found in ${candidates.join(', ')}: cargo build --release -p ecs-sim -p ecs-sim-server (or set ECS_SIM)`);
  return found;
}

/** Every server this file started, stopped on exit whatever happens to the test. */
const started = new Set();
process.on('exit', () => { for (const p of started) { try { p.kill('SIGKILL'); } catch { /* gone */ } } });

/** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. A process killed by a
 * signal has exitCode null and signalCode set: checking exitCode alone waited forever for an exit
 * that had already happened (the hang of the first runs). */
function stopProcess(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) { started.delete(proc); resolve(); return; }
    const force = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => { clearTimeout(force); started.delete(proc); resolve(); });
    proc.kill();
  });
}

/** Start `ecs-sim serve --port 0 ...`; resolves with its address once it says where it listens. */
function startServer(args) {
  const proc = spawn(serverBinary(), ['serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(proc);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`ecs-sim serve did not say "listening on" within 15 s: ${out}`)); }, 15000);
    const onData = (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          address: m[1],
          stop: () => stopProcess(proc),
        });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`ecs-sim serve exited (${code}): ${out}`)); });
  });
}

/** A JSON 1.1 call as botocore sends it. */
async function call(address, target, body) {
  const r = await fetch(`${address}/`, {
    method: 'POST',
    signal: AbortSignal.timeout(10000),
    headers: { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(body),
  });
  const v = await r.json();
  if (r.status !== 200) throw new Error(`${target}: HTTP ${r.status} ${JSON.stringify(v)}`);
  return v;
}

/** A loopback port nobody listens on (bound, then released). */
function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

const statusLine = (page) => page.locator('#watch-status');
async function waitStatus(page, state, text) {
  await page.waitForFunction(([state, text]) => {
    const el = document.querySelector('#watch-status');
    return el && el.dataset.state === state && (!text || el.textContent.includes(text));
  }, [state, text], { timeout: 15000 }).catch(async () => {
    throw new Error(`status should be ${state}${text ? ` with "${text}"` : ''}, is ${await statusLine(page).getAttribute('data-state')}: ${await statusLine(page).textContent()}`);
  });
}
const running = (page) => page.locator('[data-count="running"]').first().textContent().then(Number);

test('watch a local simulator: the page follows ecs-sim serve as API calls change it', async ({ page, baseUrl, shot }) => {
  const origin = baseUrl.replace(/\/$/, '');
  const server = await startServer(['--speed', '5', '--allow-origin', origin]);
  const closed = await startServer([]); // the same server without --allow-origin for this page
  try {
    trace(1, 'await page.goto(baseUrl);');
    await page.goto(baseUrl);
    trace(2, "await page.locator('.instance').first().waitFor({ timeout: 1");
    await page.locator('.instance').first().waitFor({ timeout: 10000 });
    const panel = page.getByRole('region', { name: 'Watch a local simulator' });
    const address = panel.getByRole('textbox', { name: 'Address' });
    assert((await statusLine(page).getAttribute('role')) === 'status', 'the connection state is a live status');
    assert(/Not watching/.test(await statusLine(page).textContent()), 'off by default');
    assert(await panel.getByText(`ecs-sim serve --allow-origin ${origin}`).isVisible(), 'the panel shows the command that allows this page');

    // Refused by the page: another host, or no port.
    trace(3, "await address.fill('http://192.168.1.10:4566');");
    await address.fill('http://192.168.1.10:4566');
    trace(4, "await panel.getByRole('button', { name: 'Watch' }).click();");
    await panel.getByRole('button', { name: 'Watch' }).click();
    trace(5, "await waitStatus(page, 'refused', 'only a simulator on this ");
    await waitStatus(page, 'refused', 'only a simulator on this computer');
    assert((await address.getAttribute('aria-invalid')) === 'true', 'the field is marked invalid');
    trace(6, "await address.fill('http://localhost');");
    await address.fill('http://localhost');
    trace(7, "await panel.getByRole('button', { name: 'Watch' }).click();");
    await panel.getByRole('button', { name: 'Watch' }).click();
    trace(8, "await waitStatus(page, 'refused', 'give the port');");
    await waitStatus(page, 'refused', 'give the port');

    // Nothing listening there: unreachable. A server that does not allow this page: refused.
    trace(9, 'await address.fill(`http://127.0.0.1:${await freePort()}`);');
    await address.fill(`http://127.0.0.1:${await freePort()}`);
    trace(10, "await panel.getByRole('button', { name: 'Watch' }).click();");
    await panel.getByRole('button', { name: 'Watch' }).click();
    trace(11, "await waitStatus(page, 'unreachable', 'is ecs-sim serve runn");
    await waitStatus(page, 'unreachable', 'is ecs-sim serve running');
    trace(12, "await panel.getByRole('button', { name: 'Stop watching' }).c");
    await panel.getByRole('button', { name: 'Stop watching' }).click();
    trace(13, 'await address.fill(closed.address);');
    await address.fill(closed.address);
    trace(14, "await panel.getByRole('button', { name: 'Watch' }).click();");
    await panel.getByRole('button', { name: 'Watch' }).click();
    trace(15, "await waitStatus(page, 'refused', `--allow-origin ${origin}`");
    await waitStatus(page, 'refused', `--allow-origin ${origin}`);
    trace(16, "await panel.getByRole('button', { name: 'Stop watching' }).c");
    await panel.getByRole('button', { name: 'Stop watching' }).click();

    // Connected: the page now shows the server's cluster (three m5.large, no service yet).
    trace(17, 'await address.fill(server.address);');
    await address.fill(server.address);
    trace(18, "await panel.getByRole('button', { name: 'Watch' }).click();");
    await panel.getByRole('button', { name: 'Watch' }).click();
    trace(19, "await waitStatus(page, 'connected', `Connected to ${server.a");
    await waitStatus(page, 'connected', `Connected to ${server.address}`);
    trace(20, "await page.waitForFunction(() => document.querySelectorAll('");
    await page.waitForFunction(() => document.querySelectorAll('.instance').length === 3, null, { timeout: 10000 });
    assert(await page.getByText(`Live: ${server.address}`).isVisible(), 'the top bar says whose cluster this is');
    assert(await page.getByRole('button', { name: 'Play' }).isDisabled(), 'the page\'s own clock rests while watching');

    // The AWS API calls a terminal would make: a task definition, a service of 2, then 4.
    await call(server.address, `${ECS}.RegisterTaskDefinition`, {
      family: 'web', networkMode: 'bridge', requiresCompatibilities: ['EC2'],
      containerDefinitions: [{ name: 'web', image: 'nginx:1.27', cpu: 256, memory: 512, essential: true,
        portMappings: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }] }],
    });
    trace(21, 'await call(server.address, `${ECS}.CreateService`, { cluster');
    await call(server.address, `${ECS}.CreateService`, { cluster: 'default', serviceName: 'web', taskDefinition: 'web', desiredCount: 2, launchType: 'EC2' });
    trace(22, 'await page.locator(\'[data-count="running"]\').first().waitFor');
    await page.locator('[data-count="running"]').first().waitFor({ timeout: 10000 });
    trace(23, "await call(server.address, 'EcsPlayground.AdvanceClock', { s");
    await call(server.address, 'EcsPlayground.AdvanceClock', { seconds: 120 });
    trace(24, "await page.waitForFunction(() => document.querySelector('[da");
    await page.waitForFunction(() => document.querySelector('[data-count="running"]')?.textContent === '2', null, { timeout: 10000 });
    trace(25, 'await call(server.address, `${ECS}.UpdateService`, { cluster');
    // With the AWS CLI v1 that scripts/setup.sh installs in target/pyenv, the scale-out is a real
    // `aws ecs update-service`; without it, the same call in the AWS wire shape.
    const aws = path.join(ROOT, 'target', 'pyenv', 'bin', 'aws');
    if (fs.existsSync(aws)) {
      const out = execFileSync(aws, ['--endpoint-url', server.address, '--output', 'json', 'ecs', 'update-service',
        '--cluster', 'default', '--service', 'web', '--desired-count', '4'], {
        timeout: 60000, encoding: 'utf8',
        env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' },
      });
      assert(JSON.parse(out).service.desiredCount === 4, `aws ecs update-service: ${out}`);
      console.log('  (scaled with the AWS CLI: aws ecs update-service --desired-count 4)');
    } else {
      await call(server.address, `${ECS}.UpdateService`, { cluster: 'default', service: 'web', desiredCount: 4 });
    }
    trace(26, "await page.waitForFunction(() => document.querySelector('[da");
    await page.waitForFunction(() => document.querySelector('[data-count="desired"]')?.textContent === '4', null, { timeout: 10000 });
    trace(27, "await call(server.address, 'EcsPlayground.AdvanceClock', { s");
    await call(server.address, 'EcsPlayground.AdvanceClock', { seconds: 120 });
    trace(28, "await page.waitForFunction(() => document.querySelector('[da");
    await page.waitForFunction(() => document.querySelector('[data-count="running"]')?.textContent === '4', null, { timeout: 10000 });
    const tasks = await call(server.address, `${ECS}.ListTasks`, { cluster: 'default', serviceName: 'web', desiredStatus: 'RUNNING' });
    assert(tasks.taskArns.length === 4, `the server runs 4 tasks: ${JSON.stringify(tasks)}`);
    trace(29, "await shot('watch-connected.png');");
    await shot('watch-connected.png');

    // Paused, the page shows the server's moment exactly: the same cluster, field for field.
    const clock = await call(server.address, 'EcsPlayground.Pause', {});
    trace(30, "await waitStatus(page, 'connected', 'paused');");
    await waitStatus(page, 'connected', 'paused');
    await page.waitForFunction((ms) => JSON.parse(window.wasmBindings.playground_snapshot()).simulatedMs === ms,
      Math.round(clock.simulatedSeconds * 1000), { timeout: 10000 });
    const mine = JSON.parse(await page.evaluate(() => window.wasmBindings.playground_snapshot()));
    const theirs = await call(server.address, 'EcsPlayground.DescribeState', {});
    delete mine.simulatedMs;
    delete theirs.clock;
    assert(JSON.stringify(mine) === JSON.stringify(theirs), 'the page\'s cluster is the server\'s, field for field');
    assert(await running(page) === 4, 'four running');

    // Read-only meanwhile: the page's own controls say to use the API.
    trace(31, "await page.getByRole('button', { name: 'Set desired count' }");
    await page.getByRole('button', { name: 'Set desired count' }).click();
    trace(32, 'await page.waitForFunction(() => /change it with API calls/.');
    await page.waitForFunction(() => /change it with API calls/.test(document.querySelector('p.notice')?.textContent || ''), null, { timeout: 5000 });

    // The server goes away: unreachable, said once, and the picture stays.
    trace(33, 'await server.stop();');
    await server.stop();
    trace(34, "await waitStatus(page, 'unreachable');");
    await waitStatus(page, 'unreachable');
    assert(await running(page) === 4, 'the last picture stays');
    // Stop watching: the page's own simulation again, from that state.
    trace(35, "await panel.getByRole('button', { name: 'Stop watching' }).c");
    await panel.getByRole('button', { name: 'Stop watching' }).click();
    trace(36, "await waitStatus(page, 'off');");
    await waitStatus(page, 'off');
    assert(await page.getByRole('button', { name: 'Play' }).isEnabled(), 'the page plays on its own again');
    assert(!(await page.getByText(`Live: ${server.address}`).isVisible()), 'no live badge once stopped');
  } finally {
    trace(37, 'await server.stop();');
    await server.stop();
    trace(38, 'await closed.stop();');
    await closed.stop();
  }
});
