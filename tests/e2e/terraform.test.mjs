// Issue 20, "Your own Terraform in": a learner pastes the seeds' Fargate main.tf into the page and
// the playground builds the scenario and animates it; a configuration with a registry module and
// data sources loads what it can and lists what it could not resolve with file and line.
import fs from 'node:fs';
import path from 'node:path';
import { test, assert, ROOT, DIST } from './harness.mjs';
import { seekTo } from './time.mjs';

const fixture = (name) => fs.readFileSync(path.join(ROOT, 'engine', 'tests', 'fixtures', 'terraform', name, 'main.tf'), 'utf8');

async function paste(page, text) {
  const area = page.getByRole('textbox', { name: 'Terraform configuration (main.tf)' });
  await area.fill(text);
  await page.getByRole('button', { name: 'Load Terraform' }).click();
}

test('a pasted main.tf (the seeds\' Fargate example) animates a running service', async ({ page, baseUrl, shot }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await paste(page, fixture('fargate-seed'));
  const status = page.locator('.tf-result');
  await page.waitForFunction(() => document.querySelector('.tf-result')?.textContent.startsWith('Loaded 1 service'), null, { timeout: 10000 });
  assert((await status.textContent()).includes('0 warning'), `no warnings: ${await status.textContent()}`);
  assert(!(await page.getByRole('list', { name: 'Terraform warnings' }).isVisible()), 'no warning list');
  await seekTo(page, 300);
  const svc = page.getByRole('region', { name: /my-app-service/ });
  await svc.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-count="running"]')?.textContent === '3', null, { timeout: 10000 });
  assert((await page.locator('[data-status="RUNNING"]').count()) >= 3, 'three running task chips');
  await shot('terraform-fargate.png');
});

test('modules and data sources are listed with file and line, the rest still loads', async ({ page, baseUrl }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await paste(page, fixture('module-data-source'));
  const list = page.getByRole('list', { name: 'Terraform warnings' });
  await list.waitFor();
  const items = await list.getByRole('listitem').allTextContents();
  assert(items.some((t) => t.startsWith('main.tf:22') && t.includes('module "vpc"')), `module warned: ${items.join(' | ')}`);
  assert(items.some((t) => t.startsWith('main.tf:33') && t.includes('data.aws_availability_zones')), 'data source warned');
  await page.waitForFunction(() => document.querySelector('.tf-result')?.textContent.startsWith('Loaded 1 service'), null, { timeout: 10000 });
  await seekTo(page, 300);
  await page.getByRole('region', { name: /reports/ }).waitFor();
});

// Issue 19: the import lives in the on-demand module (tools-wasm/, src/tools.rs), not in the app's
// wasm; the page imports it after the first picture, so it works offline once the page has loaded.
test('the import is not in the first load, and works offline once the page has loaded', async ({ page, baseUrl }) => {
  const wasm = fs.readdirSync(DIST).filter((f) => f.endsWith('_bg.wasm'));
  const has = (f, s) => fs.readFileSync(path.join(DIST, f)).includes(s);
  const app = wasm.filter((f) => f.startsWith('ecs-playground-') && !f.startsWith('ecs-playground-tools'));
  assert(app.length === 1 && !has(app[0], 'not valid HCL'), `the app's wasm carries no HCL parser: ${wasm.join(', ')}`);
  assert(has('ecs-playground-tools_bg.wasm', 'not valid HCL'), 'the on-demand module carries it');
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await page.waitForFunction(() => performance.getEntriesByType('resource')
    .some((e) => e.name.endsWith('/ecs-playground-tools_bg.wasm') && e.responseEnd > 0), null, { timeout: 20000 });
  await page.context().setOffline(true);
  try {
    await paste(page, fixture('fargate-seed'));
    await page.waitForFunction(() => document.querySelector('.tf-result')?.textContent.startsWith('Loaded 1 service'), null, { timeout: 10000 });
  } finally {
    await page.context().setOffline(false);
  }
});
