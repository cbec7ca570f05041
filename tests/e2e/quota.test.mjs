// Issue 19: ECS's quota scale in the browser. The 5,000-instance / 5,000-task scenario
// (engine/benches/fixtures/quota-5000x5000.json) opened by a `?scenario=` link, as a user opens
// it, draws the aggregated picture (per AZ and instance group: instances, free CPU and memory,
// tasks by state) with the right totals in text and accessible names, draws no per-task chips,
// and keeps playing without the page dying.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { test, assert, ROOT } from './harness.mjs';
import { now } from './time.mjs';

const pack = (text) => zlib.deflateRawSync(Buffer.from(text), { level: 9 }).toString('base64url').replace(/=+$/, '');
const TEXT = fs.readFileSync(path.join(ROOT, 'engine', 'benches', 'fixtures', 'quota-5000x5000.json'), 'utf8');
const num = (s) => Number(s.replace(/,/g, ''));
// m5.xlarge: 4 vCPU = 4,096 CPU units registered (ECS reserves none by default); the task: 128 units.
const M5_XLARGE_CPU = 4096, TASK_CPU = 128;

test('quota scale: 5,000 instances and 5,000 tasks open as an aggregated picture with the right totals, and play', async ({ page, baseUrl, shot }) => {
  await page.goto(`${baseUrl}?scenario=${pack(TEXT)}&t=120`);
  const map = page.getByRole('group', { name: /aggregated per Availability Zone and instance group \(container instances: 5,000, tasks: 5,000\)/ });
  await map.waitFor({ timeout: 240000 });
  await page.waitForFunction(() => document.querySelector('.clock')?.textContent === '0:02:00', null, { timeout: 60000 });
  assert(await page.locator('.heat-totals').textContent() === 'Container instances: 5,000 · tasks: 5,000', 'the totals line says 5,000 and 5,000');
  assert(await page.locator('.task, .instance').count() === 0, 'no chip per task and no box per instance at this scale');

  // Per AZ: one instance group of m5.xlarge (the scenario: 1,667 + 1,667 + 1,666), its tasks by
  // state, and its CPU bar: used = 128 units per task on it, registered = 4,096 per instance.
  const expected = { 'us-east-1a': 1667, 'us-east-1b': 1667, 'us-east-1c': 1666 };
  let instances = 0, tasks = 0;
  for (const [az, count] of Object.entries(expected)) {
    const region = page.getByRole('region', { name: `Availability Zone ${az}` });
    const group = region.getByRole('group', { name: `m5.xlarge instances in ${az}: ${count.toLocaleString('en')}; DRAINING: 0` });
    await group.waitFor();
    instances += count;
    const taskName = await group.getByRole('img', { name: /^Tasks on these instances/ }).getAttribute('aria-label');
    const [, running, pending, stopping] = taskName.match(/RUNNING ([\d,]+), PENDING ([\d,]+), STOPPING ([\d,]+)/).map((x, i) => (i ? num(x) : x));
    const onGroup = running + pending + stopping;
    tasks += onGroup;
    const cpu = await group.getByRole('img', { name: /^CPU: / }).getAttribute('aria-label');
    const [, used, total] = cpu.match(/\(([\d,]+) of ([\d,]+) used\)/);
    assert(num(total) === count * M5_XLARGE_CPU, `${az}: registered CPU ${total} = ${count} x 4,096`);
    assert(num(used) === onGroup * TASK_CPU, `${az}: used CPU ${used} = ${onGroup} tasks x 128`);
    const bands = cpu.match(/instances per share free: (.*)$/)[1];
    const inBands = [...bands.matchAll(/ ([\d,]+)(,|$)/g)].reduce((n, m) => n + num(m[1]), 0);
    assert(inBands === count, `${az}: every instance is in one band of free CPU (${bands})`);
    assert(await group.getByRole('img', { name: /^Memory: / }).count() === 1, `${az}: a memory bar`);
  }
  assert(instances === 5000, `5,000 instances over the AZs (${instances})`);
  assert(tasks === 5000, `5,000 tasks over the AZs' groups (${tasks})`);
  // The legend names every colour band in words.
  const legend = page.getByRole('list', { name: /colour is the share of CPU or memory free/ });
  for (const band of ['<20%', '20–40%', '40–60%', '60–80%', '≥80%']) {
    assert(await legend.getByRole('listitem').filter({ hasText: band }).count() === 1, `legend band ${band}`);
  }
  await shot('quota-aggregated-1280x720.png');

  // Playing advances simulated time and the page stays alive.
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('10');
  const before = await now(page);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction((b) => {
    const [h, m, s] = (document.querySelector('.clock')?.textContent || '0:0:0').split(':').map(Number);
    return h * 3600 + m * 60 + s >= b + 20;
  }, before, { timeout: 60000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  assert(await map.count() === 1, 'the aggregated picture is still drawn after playing');
  assert(await page.locator('.heat-totals').textContent() === 'Container instances: 5,000 · tasks: 5,000', 'still 5,000 and 5,000');
}, { timeout: 420000 });
