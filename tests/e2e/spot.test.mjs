// Issue 6 action: a Spot interruption. Fargate Spot (documented): a two-minute warning is sent as
// a task state change event (stopCode SpotInterruption) with SIGTERM; the task stops when its
// containers exit (at the latest after stopTimeout, 30 s by default, within the two minutes) and
// the service starts a replacement.
import fs from 'node:fs';
import path from 'node:path';
import { test, assert, ROOT } from './harness.mjs';
import { seekTo, advance } from './time.mjs';

test('Spot interruption: a FARGATE_SPOT task is warned, stopped and replaced', async ({ page, baseUrl }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  // The default scenario has no FARGATE_SPOT: the action is not offered.
  assert(await page.getByRole('button', { name: 'Interrupt a Spot task' }).count() === 0, 'no Spot button without FARGATE_SPOT');
  const text = fs.readFileSync(path.join(ROOT, 'lessons', 'fargate-spot-interruption.json'), 'utf8');
  const err = await page.evaluate((t) => window.wasmBindings.playground_load_scenario(t), text);
  assert(err === '', `lesson did not load: ${err}`);
  await seekTo(page, 120);
  const events = page.getByRole('region', { name: 'Service events' });
  const startedBefore = (await events.textContent()).match(/has started/g)?.length ?? 0;
  await page.getByRole('button', { name: 'Interrupt a Spot task' }).click();
  const notice = await page.locator('p.notice').textContent();
  assert(/SpotInterruption/.test(notice) && !/failed/.test(notice), `the action is accepted: ${notice}`);
  await advance(page, 90);
  const after = await events.textContent();
  assert((after.match(/has started/g)?.length ?? 0) === startedBefore + 1, 'exactly one replacement was started');
  assert(/has started 1 tasks/.test(after), `the service replaced the interrupted task: ${after.slice(0, 300)}`);
});
