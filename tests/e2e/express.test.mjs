// Issue 24: Express Mode. The lesson express-mode-one-call plays; the "What was created" panel
// lists the resources one CreateExpressGatewayService call made, found by accessible name (type
// and name, as the console shows them), with the equivalent requests and the Terraform.
import fs from 'node:fs';
import path from 'node:path';
import { test, assert, ROOT } from './harness.mjs';
import { seekTo } from './time.mjs';

const LESSON = JSON.parse(fs.readFileSync(path.join(ROOT, 'lessons', 'express-mode-one-call.json'), 'utf8')).lesson;
const EN = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', 'en.json'), 'utf8')).express;
const KO = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', 'ko.json'), 'utf8'));

async function open(page, url, play = 'Play') {
  await page.goto(url);
  await page.getByRole('button', { name: play, exact: true }).waitFor();
}

/** The resources of the call, as (type label key, name) in creation order. */
const CREATED = [
  ['type_log_group', '/aws/ecs/default/web'],
  ['type_task_definition', 'web:1'],
  ['type_security_group', 'web-lb-sg'],
  ['type_security_group', 'web-task-sg'],
  ['type_certificate', 'web.ecs.us-east-1.on.aws'],
  ['type_load_balancer', 'web-alb'],
  ['type_target_group', 'web-tg'],
  ['type_listener', 'HTTPS:443'],
  ['type_listener_rule', 'host-header web.ecs.us-east-1.on.aws'],
  ['type_alarm', 'web-rollback-alarm'],
  ['type_service', 'web'],
  ['type_scalable_target', 'service/default/web'],
  ['type_scaling_policy', 'web-target-tracking'],
];

test('Express Mode lesson: the created resources are listed by accessible name with their requests', async ({ page, baseUrl, shot }) => {
  await open(page, `${baseUrl}?lesson=${LESSON.id}&lang=en`);
  // Before the call (10 s) nothing was created: no panel.
  await seekTo(page, 5);
  assert(await page.getByRole('region', { name: EN.label }).count() === 0, 'no panel before the call');
  // The first marked moment, right after the call.
  await seekTo(page, LESSON.pauses[0].at);
  const panel = page.getByRole('region', { name: EN.label });
  await panel.waitFor();
  const svc = panel.getByRole('article', { name: 'Express service web' });
  const items = svc.getByRole('listitem');
  assert(await items.count() === CREATED.length, `${await items.count()} resources listed`);
  for (const [i, [key, name]] of CREATED.entries()) {
    const item = svc.getByRole('listitem', { name: `${EN[key]} ${name}`, exact: true });
    assert(await item.count() === 1, `listed: ${EN[key]} ${name}`);
    // In creation order.
    assert(await items.nth(i).getAttribute('aria-label') === `${EN[key]} ${name}`, `#${i + 1} is ${EN[key]} ${name}`);
  }
  // Simulated and described resources are told apart.
  const simulated = await svc.locator('li[data-simulated="true"]').count();
  assert(simulated === 5, `${simulated} simulated resources`);
  // The equivalent explicit request of the load balancer, in ELBv2's shape.
  const lb = svc.getByRole('listitem', { name: `${EN.type_load_balancer} web-alb` });
  await lb.getByText(EN.requests).click();
  const req = await lb.locator('pre[data-action="CreateLoadBalancer"]').textContent();
  assert(req.includes('"Name": "web-alb"') && req.includes('"Type": "application"'), req);
  const service = svc.getByRole('listitem', { name: `${EN.type_service} web` });
  await service.getByText(EN.requests).click();
  const cs = await service.locator('pre[data-action="CreateService"]').textContent();
  assert(cs.includes('"targetGroupArn"') && cs.includes('"launchType": "FARGATE"'), cs);
  // The Terraform of the expanded resources.
  await svc.getByText(EN.terraform, { exact: true }).click();
  // Its setup's part comes from the on-demand module (issue 19).
  const tf = await svc.locator('.express-terraform pre', { hasText: 'resource "aws_ecs_service' }).textContent();
  for (const r of ['aws_ecs_task_definition', 'aws_ecs_service', 'aws_lb_target_group', 'aws_lb"', 'aws_lb_listener', 'aws_appautoscaling_policy']) {
    assert(tf.includes(`resource "${r}`), `Terraform has ${r}`);
  }
  await shot('express-created.png');
  // Then the tasks start and register: the cluster view draws web's 2 tasks.
  await seekTo(page, LESSON.pauses[1].at);
  const running = await page.locator('.task[data-status="RUNNING"]').count();
  assert(running === 2, `${running} RUNNING tasks drawn`);
});

test('Express Mode panel in Korean: resources are named in the page\'s language', async ({ page, baseUrl }) => {
  await open(page, `${baseUrl}?lesson=${LESSON.id}&lang=ko&t=${LESSON.pauses[0].at}`, KO.controls.play);
  const panel = page.getByRole('region', { name: KO.express.label });
  await panel.waitFor();
  const lb = panel.getByRole('listitem', { name: `${KO.express.type_load_balancer} web-alb`, exact: true });
  assert(await lb.count() === 1, 'Korean load balancer item');
  assert(await panel.getByRole('article', { name: 'Express 서비스 web' }).count() === 1, 'Korean service heading');
});
