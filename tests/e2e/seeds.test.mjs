// Issue 9: ECR, IAM roles, cost and compare panels, driven by the lessons in lessons/ loaded
// through the app's wasm export `playground_load_scenario`. Controls are found by role and name.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { test, assert, ROOT, DIST, serveStatic } from './harness.mjs';
import { seekTo } from './time.mjs';

const lessonText = (name) => fs.readFileSync(path.join(ROOT, 'lessons', `${name}.json`), 'utf8');
async function open(page, baseUrl, lesson) {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  const err = await page.evaluate((t) => window.wasmBindings.playground_load_scenario(t), lessonText(lesson));
  assert(err === '', `lesson ${lesson} did not load: ${err}`);
}

test('cost meter: the running bill grows with simulated time and shows the price table date', async ({ page, baseUrl, shot }) => {
  await open(page, baseUrl, 'cost-fargate-vs-ec2');
  await page.getByRole('tab', { name: 'Cost' }).click();
  await seekTo(page, 120);
  const total = async () => Number((await page.locator('[data-cost="total"]').textContent()).replace('$', ''));
  const early = await total();
  await seekTo(page, 600);
  const later = await total();
  assert(early > 0 && later > early, `cost should grow: ${early} -> ${later}`);
  // Two m5.large for 600 s at $0.096/h = $0.0320 (EC2 bills the instances, full or empty).
  const ec2 = await page.locator('[data-cost="ec2"]').textContent();
  assert(ec2 === '$0.0320', `EC2 line ${ec2}`);
  const date = await page.locator('.price-date').textContent();
  assert(date.includes('2026-11-01'), `price date shown: ${date}`);
  for (const o of ['FARGATE', 'FARGATE_SPOT', 'EC2_BINPACK', 'EC2_SPREAD']) {
    assert(await page.locator(`tr[data-option="${o}"]`).count() === 1, `comparison row ${o}`);
  }
  await shot('seeds-cost.png');
});

test('IAM graph: the failing execution role and the denied task-role call are highlighted', async ({ page, baseUrl, shot }) => {
  await open(page, baseUrl, 'task-role-vs-execution-role');
  await seekTo(page, 120);
  await page.getByRole('tab', { name: 'IAM' }).click();
  const api = page.getByRole('article', { name: 'Roles of api:1' });
  assert(await api.evaluate((e) => e.classList.contains('failing')), 'api:1 is marked failing');
  const apiText = await api.textContent();
  assert(apiText.includes('ResourceInitializationError') && apiText.includes('bareExecutionRole'), apiText);
  const web = page.getByRole('article', { name: 'Roles of web:1' });
  const denied = await web.locator('li[data-allowed="false"]').allTextContents();
  assert(denied.some((t) => t.includes('s3:PutObject') && t.includes('webTaskRole')), `denied edges: ${denied}`);
  const allowed = await web.locator('li[data-allowed="true"]').allTextContents();
  assert(allowed.some((t) => t.includes('s3:GetObject')), `allowed edges: ${allowed}`);
  await shot('seeds-iam.png');
});

test('ECR panel lists the images the lifecycle policy would expire', async ({ page, baseUrl, shot }) => {
  await open(page, baseUrl, 'ecr-lifecycle-missing-tag');
  await page.getByRole('tab', { name: 'ECR' }).click();
  const rows = page.locator('.ecr-images tbody tr');
  assert(await rows.count() === 5, 'five images');
  const expiring = await page.locator('tr[data-would-expire="true"]').evaluateAll((rs) => rs.map((r) => r.dataset.tags).sort());
  assert(JSON.stringify(expiring) === JSON.stringify(['<untagged>', 'v1']), `would expire: ${expiring}`);
  const v2 = await page.locator('tr[data-tags="v2"]').textContent();
  assert(v2.includes('HIGH 2'), `scan findings shown: ${v2}`);
  await shot('seeds-ecr.png');
});

test('compare panel: maxSurge and maxUnavailable follow the service deployment configuration', async ({ page, baseUrl, shot }) => {
  await open(page, baseUrl, 'compare-lambda-ecs-eks');
  await page.getByRole('tab', { name: 'Compare' }).click();
  const dd = (k) => page.locator(`[data-k8s="${k}"]`).textContent();
  assert(await dd('maximumPercent') === '200' && await dd('minimumHealthyPercent') === '50', 'deployment configuration');
  assert(await dd('maxSurge') === '100%', `maxSurge ${await dd('maxSurge')}`);
  assert(await dd('maxUnavailable') === '50%', `maxUnavailable ${await dd('maxUnavailable')}`);
  assert((await dd('hpa')).includes('2–10'), `HPA ${await dd('hpa')}`);
  // Every control of the panel has an accessible name.
  await page.getByRole('spinbutton', { name: 'Minutes of traffic to compare' }).fill('30');
  await page.getByRole('spinbutton', { name: 'Minutes of traffic to compare' }).press('Enter');
  await page.waitForFunction(() => document.querySelector('.compare-panel h3:nth-of-type(2)')?.textContent.includes('30 minutes'));
  await shot('seeds-compare.png');
});

// Issue 19: the IAM, ECR and Compare tabs are split off the app's wasm (src/components/account_tabs.rs,
// scripts/wasm-split.mjs): their code is in a chunk the page fetches after the first picture, not in
// the first load. A chunk that cannot be fetched leaves the app running: the tab says so, and
// opening it again fetches it.
test('account tabs: IAM is in a split-off chunk, not the app wasm; a failed fetch is retried', async ({ page, baseUrl }) => {
  const has = (f, s) => fs.readFileSync(path.join(DIST, f)).includes(s);
  const app = fs.readdirSync(DIST).filter((f) => /^ecs-playground-[0-9a-f]+_bg\.wasm$/.test(f));
  assert(app.length === 1 && !has(app[0], 'iam-graph'), `the app's wasm has no IAM graph: ${app.join(', ')}`);
  assert(has('split_account_iam.wasm', 'iam-graph'), 'the IAM chunk has it');
  let blocked = true;
  await page.route('**/split_account_iam.wasm', (route) => (blocked ? route.abort() : route.continue()));
  await open(page, baseUrl, 'task-role-vs-execution-role');
  await page.getByRole('tab', { name: 'IAM' }).click();
  await page.getByRole('alert').filter({ hasText: 'This part of the page could not be loaded' }).waitFor();
  // Still running: another tab opens, and time moves on.
  await page.getByRole('tab', { name: 'Cost' }).click();
  await page.locator('[data-cost="total"]').waitFor();
  await seekTo(page, 120);
  blocked = false;
  await page.getByRole('tab', { name: 'IAM' }).click();
  await page.getByRole('article', { name: 'Roles of api:1' }).waitFor();
});

// Embeds serve the site from a sub-path (Trunk's public_url "./"): the split parts are fetched
// relative to the page's scripts, so they load there too.
test('split parts load when the site is served from a sub-path', async ({ page }) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-subpath-'));
  fs.mkdirSync(path.join(root, 'course'));
  fs.symlinkSync(DIST, path.join(root, 'course', 'ecs'));
  const server = await serveStatic(root);
  try {
    const base = `http://127.0.0.1:${server.address().port}/course/ecs/`;
    await page.goto(base);
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
    await page.getByRole('tab', { name: 'IAM' }).click();
    await page.locator('.iam-graph').waitFor();
    const chunks = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm')));
    assert(chunks.some((n) => n === `${base}split_account_iam.wasm`), `the IAM chunk from the sub-path: ${chunks.join(', ')}`);
  } finally {
    server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
