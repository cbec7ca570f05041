// Issue 6 controls: a teacher adds a target tracking policy and raises the traffic live; the
// engine's Application Auto Scaling model scales the service out (documented: 3 breaching
// 1-minute datapoints put the alarm in ALARM; new capacity proportional to metric / target).
import { test, assert } from './harness.mjs';
import { advance } from './time.mjs';

const desired = (page) => page.locator('[data-count="desired"]').first().textContent().then(Number);

test('auto scaling controls: a CPU target tracking policy scales out when traffic rises', async ({ page, baseUrl, shot }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  const form = page.getByRole('region', { name: 'Auto scaling and traffic' });
  await form.getByRole('combobox', { name: 'Scaling metric' }).selectOption('ECSServiceAverageCPUUtilization');
  await form.getByRole('spinbutton', { name: 'Scaling target value' }).fill('20');
  await form.getByRole('spinbutton', { name: 'Minimum tasks' }).fill('2');
  await form.getByRole('spinbutton', { name: 'Maximum tasks' }).fill('12');
  await form.getByRole('button', { name: 'Apply scaling policy' }).click();
  await form.getByRole('spinbutton', { name: 'Requests per second' }).fill('900');
  await form.getByRole('button', { name: 'Set traffic' }).click();
  await advance(page, 600);
  // CPU saturates far above 20%: ceil(desired x metric / target) is clamped at MaxCapacity 12
  // (the scenario's own timeline only sets 9 at 2:00).
  const after = await desired(page);
  assert(after === 12, `desired count should be clamped at MaxCapacity 12, got ${after}`);
  const alarms = await page.getByRole('list', { name: 'Alarm state changes' }).textContent();
  assert(/playground-target-tracking/.test(alarms) || /TargetTracking/.test(alarms), `the policy's alarm shows: ${alarms}`);
  assert(/ALARM/.test(alarms), `the high alarm went to ALARM: ${alarms}`);
  await shot('scaling-controls.png');
});

test('auto scaling controls: an invalid target is refused with the field named', async ({ page, baseUrl }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  const form = page.getByRole('region', { name: 'Auto scaling and traffic' });
  await form.getByRole('spinbutton', { name: 'Scaling target value' }).fill('0');
  await form.getByRole('button', { name: 'Apply scaling policy' }).click();
  await page.waitForFunction(() => /TargetValue/.test(document.querySelector('p.notice')?.textContent || ''), null, { timeout: 5000 });
  const notice = await page.locator('p.notice').textContent();
  assert(/greater than 0/.test(notice), `the notice names TargetValue and the rule: ${notice}`);
});
