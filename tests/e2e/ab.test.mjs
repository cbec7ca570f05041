// Issue 20: A/B runs side by side. An A/B lesson (a `variant` section) plays both runs from the
// picker on one clock: two pictures, each a region named by its run and difference, the figures
// strip (a table whose cells are named "<figure>, run <A|B>: <value>") and, at the end, the
// engine's summary paragraph in the page's language. "Compare with..." builds run B on any
// scenario, and the share link carries both runs. Figures are the engine's (ecs_sim::ab).
import fs from 'node:fs';
import path from 'node:path';
import { test, assert, ROOT } from './harness.mjs';
import { seekTo } from './time.mjs';

const DOC = JSON.parse(fs.readFileSync(path.join(ROOT, 'lessons', 'ab-binpack-vs-spread.json'), 'utf8'));
const L = DOC.lesson;
const EN = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', 'en.json'), 'utf8'));
const KO = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', 'ko.json'), 'utf8'));
const fill = (tpl, vars) => tpl.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k) => vars[k]);

async function open(page, url, play = 'Play') {
  await page.goto(url);
  await page.getByRole('button', { name: play, exact: true }).waitFor();
}

/** The figure `name` of run `run` as the strip shows it (found by the cell's accessible name). */
async function figure(page, name, run) {
  const strip = page.getByRole('table', { name: EN.ab.figures, exact: true });
  const cell = strip.getByRole('cell', { name: new RegExp(`^${name}, run ${run}: `) });
  assert(await cell.count() === 1, `one cell ${name} for run ${run}: ${await cell.count()}`);
  const label = await cell.getAttribute('aria-label');
  const text = (await cell.textContent()).trim();
  assert(label.endsWith(`: ${text}`), `the cell's name ends with what it shows: ${label} / ${text}`);
  return text;
}

/** RUNNING task chips drawn in a run's picture. */
const running = (region) => region.locator('.task[data-status="RUNNING"]').count();

test('ab: the binpack vs spread lesson plays both runs from the picker, with the figures strip and the summary', async ({ page, baseUrl, shot }) => {
  await open(page, `${baseUrl}?lang=en`);
  await page.getByRole('combobox', { name: 'Lesson' }).selectOption(L.id);
  await page.locator(`.lesson[data-lesson="${L.id}"]`).waitFor();
  const a = page.getByRole('region', { name: fill(EN.ab.run_a, { label: DOC.variant.baseLabel.en }), exact: true });
  const b = page.getByRole('region', { name: fill(EN.ab.run_b, { label: DOC.variant.label.en }), exact: true });
  await a.waitFor();
  await b.waitFor();
  assert((await a.getAttribute('aria-label')).startsWith('Run A: binpack'), 'run A is binpack');
  assert((await b.getAttribute('aria-label')).startsWith('Run B: spread'), 'run B is spread');
  // Side by side: B to the right of A, both inside the 1280x720 window with the strip below.
  const [ra, rb] = [await a.boundingBox(), await b.boundingBox()];
  const strip = await page.getByRole('table', { name: EN.ab.figures, exact: true }).boundingBox();
  assert(ra.x + ra.width <= rb.x + 1 && Math.abs(ra.y - rb.y) < 2, `side by side: ${JSON.stringify([ra, rb])}`);
  assert(ra.width > 400 && rb.width > 400 && ra.height > 200, `pictures large enough: ${JSON.stringify([ra, rb])}`);
  assert(strip.y >= ra.y + ra.height - 1 && strip.y + strip.height <= 720, `strip under the pictures, on screen: ${JSON.stringify(strip)}`);

  // 1:30, the first marked moment: binpack uses 1 instance, spread 4 (the lesson's claims).
  await seekTo(page, L.pauses[0].at);
  assert(await running(a) === 4 && await running(b) === 4, 'both runs draw 4 RUNNING tasks');
  const inUseA = Number(await figure(page, EN.ab.instances_in_use, 'A'));
  const inUseB = Number(await figure(page, EN.ab.instances_in_use, 'B'));
  assert(inUseA === 1 && inUseB === 4 && inUseA < inUseB, `instances in use: binpack ${inUseA} < spread ${inUseB}`);
  assert(await figure(page, EN.ab.tasks_per_az, 'A') === '1a 4 · 1b 0', 'binpack: all in us-east-1a');
  assert(await figure(page, EN.ab.tasks_per_az, 'B') === '1a 2 · 1b 2', 'spread: 2 per zone');
  assert((await figure(page, EN.ab.cost, 'A')).startsWith('$'), 'cost so far');
  const summary = page.getByRole('region', { name: EN.ab.summary, exact: true });
  assert((await summary.textContent()).includes(fill(EN.ab.summary_after, { time: '0:06:00' })), 'the summary waits for the end');

  // One clock: the fault at 3:00 hits both pictures.
  await seekTo(page, L.pauses[1].at);
  assert(await running(a) === 0, 'binpack: no task RUNNING after us-east-1a fails');
  assert(await running(b) === 2, 'spread: the 2 tasks in us-east-1b keep RUNNING');
  assert(await figure(page, EN.ab.tasks_per_az, 'B') === '1a 0 · 1b 2', 'spread after the fault');
  // Scrubbing back re-simulates both: the strip is as it was.
  await seekTo(page, L.pauses[0].at);
  assert(await figure(page, EN.ab.instances_in_use, 'A') === '1' && await figure(page, EN.ab.instances_in_use, 'B') === '4', 'back at 1:30');

  // Play drives both; at the end the summary is the engine's paragraph.
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('60');
  await seekTo(page, L.durationSeconds - 2);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => document.querySelector('.ab-summary p:not(.ab-summary-later)'), null, { timeout: 20000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  const text = await summary.textContent();
  assert(text.startsWith(`Run A (${DOC.variant.baseLabel.en}) has 4 tasks RUNNING on`), `summary: ${text}`);
  assert(text.includes(`run B (${DOC.variant.label.en}) has 4 tasks RUNNING on`), `summary names run B: ${text}`);
  assert(text.includes('RUNNING tasks per Availability Zone: A us-east-1a 0, us-east-1b 4; B us-east-1a 0, us-east-1b 4.'), `per AZ: ${text}`);
  await shot('ab-end.png');
});

test('ab: presentation mode at 1280x720 and a share link that reopens both runs in Korean', async ({ page, baseUrl, shot }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, `${baseUrl}?lesson=${L.id}&t=${L.pauses[1].at}&present=1&lang=en`);
  const a = page.getByRole('region', { name: /^Run A: binpack/ });
  const b = page.getByRole('region', { name: /^Run B: spread/ });
  await b.waitFor();
  await page.waitForFunction(() => document.querySelector('.clock')?.textContent === '0:03:02');
  const fits = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
  assert(fits.w <= 1280 && fits.h <= 720, `no scroll in presentation mode: ${JSON.stringify(fits)}`);
  for (const r of [a, b]) {
    const box = await r.boundingBox();
    assert(box.x >= 0 && box.y >= 0 && box.x + box.width <= 1280 && box.y + box.height <= 720, `on screen: ${JSON.stringify(box)}`);
  }
  const strip = await page.getByRole('table', { name: EN.ab.figures, exact: true }).boundingBox();
  assert(strip.y + strip.height <= 720, `strip on screen: ${JSON.stringify(strip)}`);
  await shot('ab-present-1280x720.png');

  // The link carries the lesson (and with it the variant): it reopens both runs, here in Korean.
  const link = `${baseUrl}${await page.evaluate(() => location.search)}`.replace('lang=en', 'lang=ko');
  const again = await page.context().newPage();
  await open(again, link, KO.controls.play);
  const koA = again.getByRole('region', { name: fill(KO.ab.run_a, { label: DOC.variant.baseLabel.ko }), exact: true });
  const koB = again.getByRole('region', { name: fill(KO.ab.run_b, { label: DOC.variant.label.ko }), exact: true });
  await koA.waitFor();
  await koB.waitFor();
  await again.waitForFunction(() => document.querySelector('.clock')?.textContent === '0:03:02');
  assert(await running(koA) === 0 && await running(koB) === 2, 'the same moment in both runs');
  const cell = again.getByRole('table', { name: KO.ab.figures, exact: true })
    .getByRole('cell', { name: fill(KO.ab.cell, { figure: KO.ab.instances_in_use, run: 'B', value: '' }).trimEnd(), exact: false });
  assert(await cell.count() === 1, 'Korean cell names');
  await again.close();
});

test('ab: Compare with... builds run B on any scenario, the link carries it, One run ends it', async ({ page, baseUrl }) => {
  await open(page, `${baseUrl}?seed=3&lang=en`);
  await page.getByRole('region', { name: 'Cluster', exact: true }).waitFor();
  const pick = page.getByRole('combobox', { name: EN.ab.compare_with, exact: true });
  await pick.selectOption('deploymentConfiguration');
  // The default scenario has no deploymentConfiguration (100/200): run B gets 50/100.
  const a = page.getByRole('region', { name: 'Run A: minimumHealthyPercent 100 / maximumPercent 200', exact: true });
  const b = page.getByRole('region', { name: 'Run B: minimumHealthyPercent 50 / maximumPercent 100', exact: true });
  await a.waitFor();
  await b.waitFor();
  await seekTo(page, 200);
  // The scenario's own UpdateService (desiredCount 9 at 2:00) runs in both.
  assert(await running(a) === 9 && await running(b) === 9, `9 tasks in each run: ${await running(a)} / ${await running(b)}`);
  const search = await page.evaluate(() => location.search);
  assert(search.includes('scenario='), `the link carries the scenario with its variant: ${search}`);
  const again = await page.context().newPage();
  await open(again, `${baseUrl}${search}`);
  await again.getByRole('region', { name: 'Run B: minimumHealthyPercent 50 / maximumPercent 100', exact: true }).waitFor();
  await again.close();
  // A/B: the controls column is the drawer (the pictures take the width).
  await page.getByRole('button', { name: 'Controls', exact: true }).click();
  // Placement strategy: the default scenario's service has none, so run B binpacks.
  await pick.selectOption('placementStrategy');
  await page.getByRole('region', { name: 'Run B: placementStrategy binpack(memory)', exact: true }).waitFor();
  // Launch type: the default scenario's service runs on EC2, run B on Fargate without instances.
  await pick.selectOption('launchType');
  const fa = page.getByRole('region', { name: 'Run A: launchType EC2', exact: true });
  const fb = page.getByRole('region', { name: 'Run B: launchType FARGATE', exact: true });
  await fb.waitFor();
  await seekTo(page, 200);
  assert(await running(fa) === 9 && await running(fb) === 9, `9 tasks in each run: ${await running(fa)} / ${await running(fb)}`);
  assert(await fb.locator('.instance').count() === 0, 'no container instances in the Fargate run');
  assert(await figure(page, EN.ab.cost, 'A') !== await figure(page, EN.ab.cost, 'B'), 'the bills differ');
  // Only the picks that apply: the default scenario has no scaling policy and runs on EC2.
  assert(await pick.locator('option[value="scalingPolicy"]').count() === 0, 'no scaling policy pick');
  assert(await pick.locator('option[value="capacityProviderStrategy"]').count() === 0, 'no capacity provider pick');
  assert(await pick.locator('option[value="instanceType"]').textContent() === EN.ab.pick_instance_type, 'instance type label');
  // Instance type: m5.large in A, one size up in B; the same tasks, twice the instance price.
  await pick.selectOption('instanceType');
  const ia = page.getByRole('region', { name: 'Run A: instanceType m5.large', exact: true });
  const ib = page.getByRole('region', { name: 'Run B: instanceType m5.xlarge', exact: true });
  await ib.waitFor();
  await seekTo(page, 200);
  assert(await running(ia) === 9 && await running(ib) === 9, `9 tasks in each run: ${await running(ia)} / ${await running(ib)}`);
  const cost = async (run) => Number((await figure(page, EN.ab.cost, run)).replace('$', ''));
  assert(await cost('B') > await cost('A'), `m5.xlarge costs more: ${await cost('A')} / ${await cost('B')}`);
  await pick.selectOption('');
  await page.getByRole('region', { name: 'Cluster', exact: true }).waitFor();
  assert(await page.getByRole('table', { name: EN.ab.figures }).count() === 0, 'one run: no strip');
});
