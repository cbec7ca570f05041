// Issue 18: blue/green, canary and linear deployments on the map. The lessons play; the load
// balancer box draws each listener rule with its live weights (role="img", its accessible name
// starts with its visible text), the lifecycle stage and the bake timer, all from the engine's
// traffic_view. The strategy controls send UpdateService and are offered only when the engine
// would accept a blue/green strategy.
import fs from 'node:fs';
import path from 'node:path';
import { test, assert, ROOT } from './harness.mjs';
import { seekTo } from './time.mjs';

const lesson = (id) => JSON.parse(fs.readFileSync(path.join(ROOT, 'lessons', `${id}.json`), 'utf8')).lesson;
const CANARY = lesson('canary-10-then-all');
const BG = lesson('blue-green-test-traffic-bake');
const LINEAR = lesson('linear-steps');
const KO = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', 'ko.json'), 'utf8'));

async function open(page, url, play = 'Play') {
  await page.goto(url);
  await page.getByRole('button', { name: play, exact: true }).waitFor();
}

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The rule drawn on the map whose accessible name starts with `text`; checks the visible text too. */
async function rule(page, text) {
  const alb = page.locator('.map').getByRole('group', { name: 'Application Load Balancer' });
  const r = alb.getByRole('img', { name: new RegExp(`^${esc(text)}`) });
  await r.first().waitFor({ timeout: 10000 });
  assert(await r.count() === 1, `one rule named ${text}: ${await r.count()}`);
  const visible = (await r.locator('text').first().textContent()).trim();
  assert(visible === text, `visible text ${JSON.stringify(visible)} is ${JSON.stringify(text)}`);
  return r;
}

async function marked(page, l, i) {
  assert(l.pauses[i], `${l.id} has a marked moment #${i}`);
  await seekTo(page, l.pauses[i].at);
}

test('bluegreen: the canary lesson shows 90/10 on the production rule and the canary bake timer', async ({ page, baseUrl, shot }) => {
  await open(page, `${baseUrl}?lesson=${CANARY.id}&lang=en`);
  await marked(page, CANARY, 0); // 170 s: before the update, everything on blue
  await rule(page, 'production: blue 100 % · web-green 0 %');
  await page.locator('.map').getByRole('img', { name: /^CANARY · no deployment in progress/ }).waitFor();
  await marked(page, CANARY, 2); // 300 s: canary 10 %
  const prod = await rule(page, 'production: blue 90 % · green 10 %');
  const name = await prod.getAttribute('aria-label');
  assert(name.includes('web-production') && name.includes('web-blue weight 90') && name.includes('web-green weight 10'), name);
  await rule(page, 'test: blue 0 % · green 100 %');
  // The stage and the time left of canaryBakeTimeInMinutes (5 min from 199.5 s).
  const stage = page.locator('.map').getByRole('img', { name: /^CANARY · PRODUCTION_TRAFFIC_SHIFT/ });
  const sname = await stage.getAttribute('aria-label');
  assert(/bake 3:(19|20) left/.test(sname), sname);
  await shot('canary-90-10.png');
  await marked(page, CANARY, 3); // 600 s: all moved, BAKE_TIME
  await rule(page, 'production: blue 0 % · green 100 %');
  await page.locator('.map').getByRole('img', { name: /^CANARY · BAKE_TIME.*bake \d:\d\d left/ }).waitFor();
});

test('bluegreen: the blue/green lesson moves both rules at once, bakes, then cleans up', async ({ page, baseUrl }) => {
  await open(page, `${baseUrl}?lesson=${BG.id}&lang=en`);
  await marked(page, BG, 1); // 195 s: SCALE_UP, no traffic on green yet
  await rule(page, 'production: blue 100 % · green 0 %');
  await rule(page, 'test: blue 100 % · green 0 %');
  await page.locator('.map').getByRole('img', { name: /^BLUE_GREEN · SCALE_UP/ }).waitFor();
  await marked(page, BG, 2); // 300 s: both rules on green, BAKE_TIME (10 min from 199.5 s)
  await rule(page, 'production: blue 0 % · green 100 %');
  await rule(page, 'test: blue 0 % · green 100 %');
  const stage = page.locator('.map').getByRole('img', { name: /^BLUE_GREEN · BAKE_TIME/ });
  assert(/bake 8:(19|20) left/.test(await stage.getAttribute('aria-label')), await stage.getAttribute('aria-label'));
  await marked(page, BG, 4); // 900 s: COMPLETED; web-green is now the production target group
  await rule(page, 'production: web-blue 0 % · blue 100 %');
  await page.locator('.map').getByRole('img', { name: /^BLUE_GREEN · no deployment in progress/ }).waitFor();
});

test('bluegreen: the linear lesson is at 50/50 at its third marked moment', async ({ page, baseUrl }) => {
  await open(page, `${baseUrl}?lesson=${LINEAR.id}&lang=en`);
  await marked(page, LINEAR, 2);
  await rule(page, 'production: blue 50 % · green 50 %');
});

test('bluegreen: the rules are named in Korean', async ({ page, baseUrl }) => {
  await open(page, `${baseUrl}?lesson=${CANARY.id}&lang=ko&t=${CANARY.pauses[2].at}`, KO.controls.play);
  const t = KO.traffic;
  await page.locator('.map').getByRole('img', { name: new RegExp(`^${esc(`${t.production}: ${t.blue} 90% · ${t.green} 10%`)}`) }).waitFor();
});

test('bluegreen: strategy controls send UpdateService, or say why they are not offered', async ({ page, baseUrl }) => {
  await open(page, `${baseUrl}?lesson=${CANARY.id}&lang=en`);
  await seekTo(page, 10);
  const panel = page.getByRole('region', { name: 'Service web' });
  await panel.getByLabel('Deployment strategy').selectOption('LINEAR');
  await panel.getByLabel('stepPercent').fill('20');
  await panel.getByLabel('stepBakeTimeInMinutes').fill('1');
  await panel.getByRole('button', { name: 'Update strategy' }).click();
  await page.locator('.map').getByRole('img', { name: /^LINEAR · no deployment in progress/ }).waitFor();
  // The default scenario's service has no advancedConfiguration: the API's rule is shown instead.
  await open(page, `${baseUrl}?lang=en`);
  const refused = page.locator('.strategy-refused');
  await refused.first().waitFor();
  const text = await refused.first().textContent();
  assert(text.includes('advancedConfiguration'), text);
  assert(await page.getByLabel('Deployment strategy').count() === 0, 'no strategy select');
});

test('bluegreen: Roll back during the canary sends StopServiceDeployment and production returns to blue', async ({ page, baseUrl }) => {
  await open(page, `${baseUrl}?lesson=${CANARY.id}&lang=en`);
  await marked(page, CANARY, 2); // 300 s: 90/10
  await rule(page, 'production: blue 90 % · green 10 %');
  const panel = page.getByRole('region', { name: 'Service web' });
  await panel.getByRole('button', { name: 'Roll back', exact: true }).click();
  await page.locator('.map').getByRole('img', { name: /^production: blue 100 % · web-green 0 %/ }).waitFor({ timeout: 10000 });
  assert(await panel.getByRole('button', { name: 'Roll back', exact: true }).count() === 0, 'no Roll back once nothing is in progress');
});

test('bluegreen: a lifecycle hook is drawn as a step that runs, then fails, and the deployment rolls back', async ({ page, baseUrl }) => {
  const HOOK = lesson('blue-green-hook-rollback');
  await open(page, `${baseUrl}?lesson=${HOOK.id}&lang=en`);
  const map = page.locator('.map');
  await marked(page, HOOK, 1); // 240 s: smoke-test answered IN_PROGRESS, the deployment waits
  await map.getByRole('img', { name: /^hook smoke-test: IN_PROGRESS · POST_TEST_TRAFFIC_SHIFT/ }).waitFor({ timeout: 10000 });
  await rule(page, 'production: blue 100 % · green 0 %');
  await marked(page, HOOK, 2); // 295 s: smoke-test answered FAILED, ECS rolled back
  const failed = map.getByRole('img', { name: /^hook smoke-test: FAILED · POST_TEST_TRAFFIC_SHIFT/ });
  await failed.waitFor({ timeout: 10000 });
  const name = await failed.getAttribute('aria-label');
  assert(/invoked [34] times/.test(name), `the hook was invoked every 30 s for 90 s: ${name}`);
});

test('bluegreen: Fail next hook during POST_TEST_TRAFFIC_SHIFT fails the hook a minute early and rolls back', async ({ page, baseUrl }) => {
  const HOOK = lesson('blue-green-hook-rollback');
  await open(page, `${baseUrl}?lesson=${HOOK.id}&lang=en`);
  const map = page.locator('.map');
  await marked(page, HOOK, 1); // 240 s: smoke-test answered IN_PROGRESS (invoked at 199.5 s and 229.5 s)
  await map.getByRole('img', { name: /^hook smoke-test: IN_PROGRESS/ }).waitFor({ timeout: 10000 });
  const panel = page.getByRole('region', { name: 'Service web' });
  await panel.getByRole('button', { name: 'Fail next hook: smoke-test', exact: true }).click();
  // The next invocation (259.5 s) answers FAILED; the lesson's own answer would come at 289.5 s.
  await seekTo(page, 265);
  const failed = map.getByRole('img', { name: /^hook smoke-test: FAILED · POST_TEST_TRAFFIC_SHIFT/ });
  await failed.waitFor({ timeout: 10000 });
  const name = await failed.getAttribute('aria-label');
  assert(/invoked 3 times/.test(name), `failed at its third invocation: ${name}`);
  await rule(page, 'test: blue 100 % · green 0 %');
});

test('bluegreen: Set alarm to ALARM during the rolling bake fails the deployment and rolls back', async ({ page, baseUrl }) => {
  const ALARM = lesson('deployment-alarm-rollback');
  await open(page, `${baseUrl}?lesson=${ALARM.id}&lang=en`);
  await marked(page, ALARM, 1); // 370 s: web:2 runs, the deployment bakes watching web-cpu-high
  const panel = page.getByRole('region', { name: 'Service web' });
  const deployments = panel.getByRole('list', { name: 'Deployments' });
  assert(await deployments.getByRole('listitem').filter({ hasText: 'FAILED' }).count() === 0, 'nothing failed before the click');
  await panel.getByRole('button', { name: 'Set web-cpu-high to ALARM', exact: true }).click();
  // SetAlarmState: the watching deployment fails at once (the lesson's own alarm fires at 425 s).
  const failed = deployments.getByRole('listitem').filter({ hasText: 'web-cpu-high in ALARM state' });
  await failed.first().waitFor({ timeout: 10000 });
  assert((await failed.first().textContent()).includes('FAILED'), await failed.first().textContent());
});
