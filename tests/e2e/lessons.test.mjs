// Issue 7: lessons, share links, the task definition editor, exports, embed and presentation
// modes. Controls are found by role and accessible name; lesson texts are read from lessons/*.json
// so the checks follow the library.
import fs from 'node:fs';
import path from 'node:path';
import { test, assert, ROOT, DIST } from './harness.mjs';

/** The Korean names of the controls (locales/ko.json): a link with lang=ko opens in Korean. */
const KO = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', 'ko.json'), 'utf8'));
// A/B lessons (a `variant` section) are in the picker too: they play both runs side by side
// (ab.test.mjs checks the pictures and the figures).
const LESSONS = fs.readdirSync(path.join(ROOT, 'lessons')).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(ROOT, 'lessons', f), 'utf8')))
  .map((doc) => doc.lesson);
const clock = (s) => `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
const waitClock = (page, s) => page.waitForFunction((w) => document.querySelector('.clock')?.textContent === w, clock(s), { timeout: 15000 });
/** Task ids and their statuses as drawn, sorted: the visible state of the cluster. */
const tasks = (page) => page.evaluate(() => [...document.querySelectorAll('.task')]
  .map((e) => `${e.dataset.taskKey}:${e.dataset.status}:${e.dataset.revision}`).sort().join(' '));

/** Open `url` and wait for the Play button, named `play` in the page's language. */
async function open(page, url, play = 'Play') {
  await page.goto(url);
  await page.getByRole('button', { name: play, exact: true }).waitFor();
}

test('a share link opens the same lesson, moment, seed, speed and language', async ({ page, baseUrl, shot }) => {
  const lesson = LESSONS.find((l) => l.id === 'rolling-update-50-100');
  // The page opens in Korean: its controls are found by their Korean names.
  await open(page, `${baseUrl}?lesson=${lesson.id}&seed=11&t=95&speed=30&lang=ko`, KO.controls.play);
  await waitClock(page, 95);
  assert(await page.getByRole('combobox', { name: KO.lesson.label, exact: true }).inputValue() === lesson.id, 'lesson picked');
  assert(await page.getByRole('combobox', { name: KO.controls.speed, exact: true }).inputValue() === '30', 'speed');
  const title = await page.locator('.lesson h2').textContent();
  assert(title === lesson.title.ko, `Korean title, saw ${title}`);
  const caption = await page.locator('.lesson-caption').textContent();
  assert(caption.includes(lesson.pauses[0].caption.ko), `caption of the 1:35 mark in Korean: ${caption}`);
  const state = await tasks(page);
  assert(state.length > 0, 'tasks drawn');
  // The address bar keeps the state, and "Copy share link" gives a link that reopens it exactly.
  const search = await page.evaluate(() => location.search);
  for (const p of [`lesson=${lesson.id}`, 'seed=11', 't=95', 'speed=30', 'lang=ko']) assert(search.includes(p), `${p} in ${search}`);
  await page.getByRole('button', { name: KO.share.copy, exact: true }).click();
  const link = await page.getByRole('textbox', { name: KO.share.link, exact: true }).inputValue();
  const again = await page.context().newPage();
  await open(again, link, KO.controls.play);
  await waitClock(again, 95);
  assert(await tasks(again) === state, 'the link reopens the same tasks with the same ids and statuses');
  // Another seed gives other task ids: the seed is part of the state.
  const other = await page.context().newPage();
  await open(other, `${baseUrl}?lesson=${lesson.id}&seed=12&t=95`);
  await waitClock(other, 95);
  assert(await tasks(other) !== state, 'seed 12 differs from seed 11');
  await shot('share-link-ko.png');
  await again.close();
  await other.close();
});

test('a share link carries recorded actions: desired count and a registered revision replay', async ({ page, baseUrl }) => {
  await open(page, `${baseUrl}?seed=3`);
  await page.getByRole('slider', { name: 'Timeline' }).fill('60');
  await waitClock(page, 60);
  await page.getByRole('spinbutton', { name: 'Desired count' }).fill('3');
  await page.getByRole('button', { name: 'Set desired count' }).click();
  await page.getByRole('slider', { name: 'Timeline' }).fill('200');
  await waitClock(page, 200);
  const state = await tasks(page);
  const rec = await page.evaluate(() => window.wasmBindings.playground_recorded_timeline());
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.getByRole('textbox', { name: 'Share link' }).inputValue();
  assert(link.includes('actions=') && link.includes('seed=3') && link.includes('t=200'), link);
  const again = await page.context().newPage();
  await open(again, link);
  await waitClock(again, 200);
  assert(await again.evaluate(() => window.wasmBindings.playground_recorded_timeline()) === rec, 'same recorded actions');
  assert(await tasks(again) === state, 'same tasks after replaying the actions');
  await again.close();
});

test('every lesson loads from the picker with its title, question and marked moments', async ({ page, baseUrl }) => {
  await open(page, `${baseUrl}?lang=en`);
  const picker = page.getByRole('combobox', { name: 'Lesson' });
  // The lessons are files fetched right after the first picture (src/lesson_library.rs).
  await page.waitForFunction((n) => document.querySelectorAll('.lesson-picker option').length >= n, LESSONS.length + 1);
  const options = await picker.locator('option').allTextContents();
  assert(options.length === LESSONS.length + 1, `picker lists ${options.length - 1} of ${LESSONS.length} lessons`);
  for (const l of LESSONS) {
    await picker.selectOption(l.id);
    await page.locator(`.lesson[data-lesson="${l.id}"]`).waitFor();
    assert(await page.locator('.lesson h2').textContent() === l.title.en, `${l.id}: title`);
    assert((await page.locator('.lesson-question').textContent()).includes(l.question.en), `${l.id}: question`);
    const marks = await page.getByRole('group', { name: 'Marked moments' }).getByRole('button').count();
    assert(marks === l.pauses.length, `${l.id}: ${marks} marks`);
    assert(await page.locator('.lesson-needs').count() === ((l.needs || []).length ? 1 : 0), `${l.id}: not-simulated notice`);
    assert((await page.evaluate(() => location.search)).includes(`lesson=${l.id}`), `${l.id}: in the URL`);
    // Jump to the last marked moment: its caption shows, and the engine got there.
    const last = l.pauses[l.pauses.length - 1];
    await page.getByRole('group', { name: 'Marked moments' }).getByRole('button', { name: clock(last.at), exact: true }).click();
    await waitClock(page, last.at);
    assert((await page.locator('.lesson-caption').textContent()).includes(last.caption.en), `${l.id}: caption at ${last.at}`);
  }
});

test('playback pauses at a lesson\'s marked moment', async ({ page, baseUrl }) => {
  const l = LESSONS.find((x) => x.id === 'alb-dynamic-ports');
  await open(page, `${baseUrl}?lesson=${l.id}&speed=120`);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByRole('button', { name: 'Play' }).waitFor({ timeout: 20000 }); // paused by the lesson
  await waitClock(page, l.pauses[0].at);
  assert((await page.locator('.lesson-caption').textContent()).includes(l.pauses[0].caption.en), 'caption shown');
});

test('the task definition editor registers a revision and marks an invalid field', async ({ page, baseUrl, shot }) => {
  await open(page, baseUrl);
  const editor = page.getByRole('textbox', { name: 'Task definition JSON' });
  await page.getByRole('button', { name: 'Load current task definition' }).click();
  const current = JSON.parse(await editor.inputValue());
  assert(current.family && current.containerDefinitions.length > 0, 'current task definition loaded');
  // Round trip: the exported body, with a new image, becomes the next revision.
  current.containerDefinitions[0].image = 'public.ecr.aws/nginx/nginx:1.28';
  await editor.fill(JSON.stringify(current, null, 2));
  await page.getByRole('button', { name: 'Register task definition' }).click();
  await page.locator('.td-result', { hasText: `Registered ${current.family}:2` }).waitFor();
  const rec = JSON.parse(await page.evaluate(() => window.wasmBindings.playground_recorded_timeline()));
  assert(rec.some((r) => r.action === 'RegisterTaskDefinition' && r.input.containerDefinitions[0].image.endsWith(':1.28')), 'recorded');
  // describe-task-definition output is accepted too.
  await editor.fill(JSON.stringify({ taskDefinition: { ...current, revision: 2, status: 'ACTIVE', taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/x:2' } }));
  await page.getByRole('button', { name: 'Register task definition' }).click();
  await page.locator('.td-result', { hasText: `Registered ${current.family}:3` }).waitFor();
  // Invalid: the error names the field and the rule, and nothing is registered.
  await editor.fill(JSON.stringify({ ...current, networkMode: 'bogus' }));
  await page.getByRole('button', { name: 'Register task definition' }).click();
  const err = page.getByRole('alert').filter({ hasText: 'networkMode' });
  await err.waitFor();
  assert(await page.locator('.field-path').getAttribute('data-field') === 'networkMode', 'field path');
  assert(await editor.getAttribute('aria-invalid') === 'true', 'field marked invalid');
  const selected = await editor.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
  assert(selected === '"networkMode"', `the offending key is selected in the editor: ${selected}`);
  await editor.fill('{"family": ');
  await page.getByRole('button', { name: 'Register task definition' }).click();
  await page.locator('.field-error', { hasText: 'not valid JSON' }).waitFor();
  const after = JSON.parse(await page.evaluate(() => window.wasmBindings.playground_recorded_timeline()));
  assert(after.length === 2, `only the two valid registrations were recorded: ${after.length}`);
  await shot('td-editor-error.png');
});

test('exports: Terraform, JSON, CLI and the event log as JSON Lines', async ({ page, baseUrl }) => {
  // Issue 19: the CLI and Terraform renderers live in the on-demand module, not in the app's wasm.
  const wasm = fs.readdirSync(DIST).filter((f) => f.endsWith('_bg.wasm'));
  const has = (f, s) => fs.readFileSync(path.join(DIST, f)).includes(s);
  const app = wasm.filter((f) => f.startsWith('ecs-playground-') && !f.startsWith('ecs-playground-tools'));
  for (const s of ['--cli-input-json', 'Review before applying', 'aws_appautoscaling_scheduled_action']) {
    assert(app.length === 1 && !has(app[0], s), `the app's wasm has no export renderer (${s})`);
    assert(has('ecs-playground-tools_bg.wasm', s), `the on-demand module has it (${s})`);
  }
  await open(page, `${baseUrl}?lesson=alb-request-count-per-target&t=60`);
  await waitClock(page, 60);
  await page.getByRole('button', { name: 'Show export' }).click();
  const text = page.getByRole('textbox', { name: 'Exported text' });
  const format = page.getByRole('combobox', { name: 'Export format' });
  const json = JSON.parse(await text.inputValue());
  assert(JSON.stringify(json).includes('"family"'), 'JSON export has a task definition');
  // The CLI and Terraform texts come from the on-demand module (issue 19): wait for them.
  const rendered = (want) => page.waitForFunction((w) => document.querySelector('.export-text')?.value.includes(w), want);
  await format.selectOption('terraform');
  await rendered('resource "');
  const tf = await text.inputValue();
  for (const r of ['aws_ecs_cluster', 'aws_ecs_task_definition', 'aws_ecs_service', 'aws_lb_target_group', 'aws_appautoscaling_target', 'aws_appautoscaling_policy']) {
    assert(tf.includes(`resource "${r}"`), `Terraform has ${r}`);
  }
  assert(tf.includes('ALBRequestCountPerTarget'), 'the policy tracks request count per target');
  await format.selectOption('cli');
  await rendered('aws ecs create-service');
  await format.selectOption('events');
  const lines = (await text.inputValue()).trim().split('\n');
  // AWS's events are full EventBridge events (plus t); the playground's own lines are "trace" lines.
  const parsed = lines.map((l) => JSON.parse(l));
  assert(lines.length > 5 && parsed.every((e) => (e['detail-type'] && e.source && e.id && e.time) || (e.trace && !e['detail-type'])), 'JSON Lines: EventBridge events or trace lines');
  assert(parsed.some((e) => e['detail-type'] === 'ECS Task State Change' && e.source === 'aws.ecs'), 'task state change events');
  const href = await page.getByRole('link', { name: 'Download export' }).getAttribute('href');
  assert(href.startsWith('data:text/plain') && (await page.getByRole('link', { name: 'Download export' }).getAttribute('download')) === 'events.jsonl', 'download');
});

test('a broken link names what is wrong and opens the nearest valid state', async ({ page, baseUrl, shot }) => {
  await open(page, `${baseUrl}?lesson=no-such-lesson&t=abc&speed=7&lang=xx&bogus=1`);
  const alert = page.locator('.link-problems');
  await alert.waitFor();
  const msg = await alert.textContent();
  for (const part of ["lesson: 'no-such-lesson' is not a lesson of the library; opened the default scenario",
    "t: 'abc' is not a number of seconds; opened at 0 s", "speed: '7' is not one of the playground's speeds; opened at 5x",
    "lang: 'xx'", "bogus: '1' is not a parameter of the playground; ignored"]) {
    assert(msg.includes(part), `problem "${part}" in ${msg}`);
  }
  await waitClock(page, 0);
  assert(await page.getByRole('combobox', { name: 'Lesson' }).inputValue() === '', 'default scenario');
  assert(await page.getByRole('combobox', { name: 'Speed' }).inputValue() === '5', 'nearest speed');
  // A damaged custom scenario falls back too, naming the parameter.
  await open(page, `${baseUrl}?scenario=%%%not-base64&t=30`);
  assert((await alert.textContent()).includes("scenario: "), 'scenario problem');
  await waitClock(page, 30);
  await shot('broken-link.png');
});

test('embed mode shows the picture and a minimal bar; p toggles presentation mode', async ({ page, baseUrl, shot }) => {
  await open(page, `${baseUrl}?embed=1&lesson=az-failure`);
  assert(await page.evaluate(() => document.documentElement.classList.contains('embed')), 'embed class');
  assert(!(await page.getByRole('complementary', { name: 'Service and controls' }).isVisible()), 'side panel hidden');
  assert(await page.getByRole('region', { name: 'Cluster' }).isVisible(), 'picture visible');
  assert(await page.getByRole('button', { name: 'Play' }).isVisible(), 'play visible');
  await shot('embed.png');
  await open(page, `${baseUrl}?lesson=az-failure`);
  await page.keyboard.press('p');
  await page.waitForFunction(() => document.documentElement.classList.contains('present'));
  assert((await page.evaluate(() => location.search)).includes('present=1'), 'presentation mode is in the link');
  // The caption band grows, not the page's root font; the picture keeps the first screen.
  const caption = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.lesson-caption')).fontSize));
  assert(caption >= 20, `large caption: ${caption}px`);
  const scroll = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  assert(scroll <= 0, `presentation mode scrolls by ${scroll}px`);
  await shot('present.png');
  await page.keyboard.press('p');
  await page.waitForFunction(() => !document.documentElement.classList.contains('present'));
});
