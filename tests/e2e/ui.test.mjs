// Issue 6: the projectable cluster view. Controls are found by role and accessible name; time is
// moved with the timeline scrubber (which re-simulates deterministically), so checks do not
// depend on wall-clock speed.
import fs from 'node:fs';
import path from 'node:path';
import { test, assert, SHOTS } from './harness.mjs';
import { seekTo, advance, clock } from './time.mjs';

const count = (page, which) => page.locator(`[data-count="${which}"]`).first().textContent().then(Number);
async function waitCount(page, which, n, timeout = 15000) {
  await page.waitForFunction(([w, n]) => Number(document.querySelector(`[data-count="${w}"]`)?.textContent) === n, [which, n], { timeout });
}
test('change desired count and the running count follows', async ({ page, baseUrl, shot }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await seekTo(page, 300);
  await waitCount(page, 'running', 9); // the default scenario scales 6 -> 9 at 2:00
  await page.getByRole('spinbutton', { name: 'Desired count' }).fill('4');
  await page.getByRole('button', { name: 'Set desired count' }).click();
  await waitCount(page, 'desired', 4);
  await advance(page, 120);
  await waitCount(page, 'running', 4);
  const chips = await page.locator('.task[data-status="RUNNING"]').count();
  assert(chips === 4, `expected 4 running chips, saw ${chips}`);
  // The action was recorded with its simulated time, as a scenario timeline entry.
  const rec = JSON.parse(await page.evaluate(() => window.wasmBindings.playground_recorded_timeline()));
  assert(rec.length === 1 && rec[0].action === 'UpdateService' && rec[0].at === 300 && rec[0].input.desiredCount === 4,
    `recorded ${JSON.stringify(rec)}`);
  await shot('desired-count.png');
});

test('deploy a new revision: the rolling update completes and new chips replace old ones', async ({ page, baseUrl, shot }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await seekTo(page, 300);
  await waitCount(page, 'running', 9);
  await page.getByRole('button', { name: 'Deploy new revision' }).click();
  // Two deployments side by side while it rolls.
  await advance(page, 20);
  const deployments = await page.locator('[data-deployment-status]').count();
  assert(deployments === 2, `expected 2 deployments during the update, saw ${deployments}`);
  const both = await page.evaluate(() => new Set([...document.querySelectorAll('.task')].map((e) => e.dataset.revision)).size);
  assert(both === 2, `expected chips of two revisions side by side, saw ${both}`);
  await shot('rolling-update.png');
  await advance(page, 600);
  await page.waitForFunction(() => {
    const chips = [...document.querySelectorAll('.task')];
    return chips.length === 9 && chips.every((c) => c.dataset.revision === '2' && c.dataset.status === 'RUNNING');
  }, null, { timeout: 15000 });
  const d = page.locator('[data-deployment-status]');
  assert((await d.count()) === 1, 'one deployment after completion');
  assert((await d.first().getAttribute('data-rollout')) === 'COMPLETED', 'rollout COMPLETED');
});

test('deploy a broken revision: tasks fail to pull and the service keeps the old ones', async ({ page, baseUrl }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await seekTo(page, 300);
  await page.getByRole('button', { name: 'Deploy broken revision' }).click();
  await advance(page, 300);
  // The new deployment counts failed tasks (its image cannot be pulled) and never runs one.
  await page.waitForFunction(() => /failed [1-9]/.test(document.querySelector('[data-deployment-status="PRIMARY"]')?.textContent || ''), null, { timeout: 10000 });
  assert((await page.locator('.task[data-revision="2"][data-status="RUNNING"]').count()) === 0, 'no broken task runs');
  const old = await page.locator('.task[data-revision="1"][data-status="RUNNING"]').count();
  assert(old >= 9, `old revision keeps serving (minimumHealthyPercent 100): ${old} running`);
});

test('terminate an instance and see its tasks replaced', async ({ page, baseUrl, shot }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await seekTo(page, 300);
  await waitCount(page, 'running', 9);
  // The instance's button on the map is named by what it shows (type and id); its title says "Details of instance".
  const first = page.getByRole('button', { name: /^m5\.large i-\w+/ }).first();
  const id = await first.getAttribute('data-open-instance');
  await first.click();
  const drawer = page.getByRole('dialog', { name: 'Details' });
  await drawer.waitFor();
  await drawer.getByRole('button', { name: 'Terminate instance' }).click();
  await page.waitForFunction((id) => !document.querySelector(`[data-instance-id="${id}"]`), id, { timeout: 10000 });
  assert((await page.getByRole('listitem', { name: /^Container instance / }).count()) === 5, 'five instances left');
  await advance(page, 180);
  await waitCount(page, 'running', 9);
  await shot('terminate-instance.png');
});

test('add instances to an AZ (LaunchInstances) and fail/restore an AZ', async ({ page, baseUrl }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await page.getByRole('spinbutton', { name: 'Instance count' }).fill('2');
  await page.getByRole('combobox', { name: 'Instance type' }).selectOption('c5.large');
  await page.getByRole('combobox', { name: 'Availability Zone for new instances' }).selectOption('us-east-1b');
  await page.getByRole('button', { name: 'Launch instances' }).click();
  const inB = page.getByRole('region', { name: 'Availability Zone us-east-1b' }).getByRole('listitem', { name: /^Container instance / });
  await page.waitForFunction(() => document.querySelectorAll('[aria-label="Availability Zone us-east-1b"] .instance').length === 4);
  assert((await inB.count()) === 4, 'four instances in us-east-1b');
  await seekTo(page, 300);
  await page.getByRole('button', { name: 'Fail us-east-1a' }).click();
  await page.getByRole('button', { name: 'Restore us-east-1a' }).waitFor();
  await advance(page, 10);
  const inA = await page.locator('[aria-label="Availability Zone us-east-1a"] .task').count();
  assert(inA === 0, `no tasks in a failed AZ, saw ${inA}`);
  await page.getByRole('button', { name: 'Restore us-east-1a' }).click();
  await page.getByRole('button', { name: 'Fail us-east-1a' }).waitFor();
});

test('scrubbing back re-simulates the same moment', async ({ page, baseUrl }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await seekTo(page, 200);
  await page.getByRole('spinbutton', { name: 'Desired count' }).fill('3');
  await page.getByRole('button', { name: 'Set desired count' }).click();
  await seekTo(page, 900);
  const snap = () => page.evaluate(() => [...document.querySelectorAll('.task')].map((c) => c.dataset.taskKey + c.dataset.status).sort().join(','));
  const at900 = await snap();
  await seekTo(page, 60);
  assert((await count(page, 'desired')) === 6, 'desired 6 at 0:01:00');
  await seekTo(page, 900);
  assert((await snap()) === at900, 'the same tasks after jumping back and forward');
  assert((await count(page, 'running')) === 3, 'the recorded action replayed');
});

test('details drawer shows the task definition, bindings and state history', async ({ page, baseUrl }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await seekTo(page, 120);
  await page.locator('.task[data-status="RUNNING"]').first().click();
  const drawer = page.getByRole('dialog', { name: 'Details' });
  await drawer.waitFor();
  const text = await drawer.textContent();
  for (const want of ['State history', 'PROVISIONING', 'RUNNING', 'Binding', 'containerDefinitions', 'web:1']) {
    assert(text.includes(want), `drawer lacks ${want}`);
  }
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });
});

test('reduced motion: no animations or transitions', async ({ page, baseUrl }) => {
  const anim = () => page.evaluate(() => {
    const c = document.querySelector('.task');
    const f = document.querySelector('.fill');
    return { chip: getComputedStyle(c).animationName, fill: getComputedStyle(f).transitionDuration };
  });
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  await seekTo(page, 120);
  const normal = await anim();
  assert(normal.chip === 'task-in' && normal.fill !== '0s', `animated by default: ${JSON.stringify(normal)}`);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const reduced = await anim();
  assert(reduced.chip === 'none' && reduced.fill === '0s', `no motion when reduced: ${JSON.stringify(reduced)}`);
  await page.emulateMedia({ reducedMotion: null });
});

test('every control has an accessible name; keyboard steps and changes speed', async ({ page, baseUrl }) => {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Play' }).waitFor();
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, input, select, summary')].filter((el) => {
    const name = el.getAttribute('aria-label') || el.textContent.trim() || (el.labels && [...el.labels].map((l) => l.textContent.trim()).join(''));
    return !name;
  }).map((el) => el.outerHTML.slice(0, 80)));
  assert(unnamed.length === 0, `controls without a name: ${unnamed.join(' | ')}`);
  await page.locator('body').press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('.clock').textContent !== '0:00:00' || document.querySelectorAll('.task').length > 0);
  await page.locator('body').press('+');
  assert((await page.getByRole('combobox', { name: 'Speed' }).inputValue()) === '30', 'speed 10x -> 30x with +');
  await page.locator('body').press('-');
  assert((await page.getByRole('combobox', { name: 'Speed' }).inputValue()) === '10', 'back to 10x with -');
});

/** The structure of the picture at a fixed simulated time, independent of pixels. */
async function structure(page) {
  return page.evaluate(() => ({
    azColumns: document.querySelectorAll('.az').length,
    instanceCards: document.querySelectorAll('.instance').length,
    taskChips: document.querySelectorAll('.task').length,
    runningChips: document.querySelectorAll('.task[data-status="RUNNING"]').length,
    albLines: document.querySelectorAll('.tline').length,
    targetGroups: document.querySelectorAll('[data-target-group]').length,
    deployments: document.querySelectorAll('[data-deployment-status]').length,
    events: document.querySelectorAll('.event-list li').length,
  }));
}

test('screenshot structure at a fixed simulated time (1366x768 and 4K)', async ({ page, baseUrl }) => {
  const expected = { azColumns: 3, instanceCards: 6, taskChips: 9, runningChips: 9, albLines: 9, targetGroups: 1, deployments: 1 };
  const results = {};
  for (const [w, h, minFont] of [[1366, 768, 12], [3840, 2160, 20]]) {
    await page.setViewportSize({ width: w, height: h });
    await page.goto(baseUrl);
    await page.getByRole('button', { name: 'Play' }).waitFor();
    await seekTo(page, 600);
    await page.waitForTimeout(700); // let entry animations settle before the screenshot
    const s = await structure(page);
    for (const [k, v] of Object.entries(expected)) assert(s[k] === v, `${w}x${h}: ${k} is ${s[k]}, expected ${v}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `${w}x${h}: horizontal overflow of ${overflow}px`);
    const smallest = await page.evaluate(() => {
      let min = Infinity, where = '';
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const n = walker.currentNode;
        if (!n.textContent.trim()) continue;
        const el = n.parentElement;
        if (!el || !el.getClientRects().length || el.closest('[hidden], details:not([open]) > :not(summary), option')) continue;
        // Text inside the map's SVG is drawn at its font size times the scene's scale.
        const svg = el.closest('svg');
        const scale = svg && svg.getScreenCTM() ? svg.getScreenCTM().a : 1;
        const f = parseFloat(getComputedStyle(el).fontSize) * scale;
        if (f < min) { min = f; where = el.className || el.tagName; }
      }
      return { min, where };
    });
    assert(smallest.min >= minFont, `${w}x${h}: text of ${smallest.min}px in ${smallest.where} (minimum ${minFont}px)`);
    const file = `structure-${w}x${h}.png`;
    await page.screenshot({ path: path.join(SHOTS, file) });
    results[`${w}x${h}`] = { ...s, smallestFontPx: smallest.min, screenshot: `target/e2e/${file}` };
  }
  fs.writeFileSync(path.join(SHOTS, 'structure.json'), JSON.stringify(results, null, 2) + '\n');
  await page.setViewportSize({ width: 1280, height: 720 });
});
