// Issue 20: the logs a task writes. The default scenario's web container uses the awslogs driver
// (group /ecs/web, prefix ecs); a task's details show its log stream, named as the driver names
// it (ecs/web/<task-id>), with the ALB's health check requests at the target group's interval.
import { test, assert } from './harness.mjs';
import { seekTo } from './time.mjs';

test('a task\'s log stream shows its health check lines with timestamps', async ({ page, baseUrl, shot }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await seekTo(page, 300);
  await page.locator('.task[data-status="RUNNING"]').first().click();
  const drawer = page.getByRole('dialog', { name: 'Details' });
  await drawer.waitFor();
  const logs = drawer.getByRole('region', { name: 'CloudWatch Logs of this task' });
  await logs.waitFor();
  assert((await logs.textContent()).includes('Log group: /ecs/web'), 'the log group is named');
  const streams = logs.getByRole('list', { name: 'Log streams' }).getByRole('button', { name: /^Open log stream ecs\/web\/[0-9a-f]{32} \(container web\)$/ });
  assert((await streams.count()) === 1, 'one stream: one container with awslogs');
  await streams.first().click();
  const name = (await streams.first().getAttribute('aria-label')).match(/ecs\/web\/[0-9a-f]{32}/)[0];
  const table = logs.getByRole('table', { name: `Log events of ${name}` });
  await table.waitFor();
  const rows = table.getByRole('row');
  const texts = await rows.allTextContents();
  const checks = texts.filter((t) => t.includes('"GET / HTTP/1.1" 200 "ELB-HealthChecker/2.0"'));
  assert(checks.length >= 5, `health check lines at the 30 s interval: ${checks.length}`);
  // Each row starts with its timestamp (H:MM:SS); consecutive checks are 30 s apart.
  const secs = checks.map((t) => t.match(/^(\d+):(\d\d):(\d\d)/)).map((m) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]));
  for (let i = 1; i < secs.length; i++) assert(secs[i] - secs[i - 1] === 30, `interval ${secs[i] - secs[i - 1]}`);
  assert(texts.some((t) => t.includes('Starting web (public.ecr.aws/nginx/nginx:1.27)')), 'start-up line');
  await shot('task-logs.png');
});

test('the Logs view speaks the chosen language', async ({ page, baseUrl }) => {
  // t= opens the run at that simulated second (url_state.rs).
  await page.goto(`${baseUrl}?lang=ru&t=120`);
  await page.locator('.task[data-status="RUNNING"]').first().waitFor({ timeout: 15000 });
  await page.locator('.task[data-status="RUNNING"]').first().click();
  const logs = page.getByRole('region', { name: 'Журналы CloudWatch этой задачи' });
  await logs.waitFor();
  assert((await logs.getByRole('list', { name: 'Потоки журналов' }).count()) === 1, 'stream list in Russian');
  assert((await logs.textContent()).includes('Отметка времени'), 'column header in Russian');
});
