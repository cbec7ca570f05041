// Issue 21: lessons made by course authors travel in links. A scenario with a `lesson` object
// opened by `?scenario=` plays as a lesson; a lesson made in the page's builder (two marks, two
// languages) survives its link in a fresh page and pauses at its marks with its captions; the
// JSON the builder gives passes `ecs-sim check`.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { test, assert, ROOT, SHOTS } from './harness.mjs';
import { seekTo, clock } from './time.mjs';

/** The share-link encoding (README, "Writing a lesson"): raw deflate, base64url without padding. */
const pack = (text) => zlib.deflateRawSync(Buffer.from(text), { level: 9 }).toString('base64url').replace(/=+$/, '');

const waitClock = (page, s) => page.waitForFunction((w) => document.querySelector('.clock')?.textContent === w, clock(s), { timeout: 20000 });

async function open(page, url) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
}

/** Open `url` (in any language) and wait for its lesson's title. */
async function openLesson(page, url) {
  await page.goto(url);
  await page.locator('.lesson h2').waitFor({ timeout: 20000 });
}

/** `link` with query parameter `k` set to `v` (a link names each parameter once). */
const withParam = (link, k, v) => { const u = new URL(link); u.searchParams.set(k, v); return u.toString(); };

/** Play until the lesson pauses playback (the Play button comes back), then check the clock. */
async function playToMark(page, at) {
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout: 30000 });
  await waitClock(page, at);
}

const DEFAULT = JSON.parse(fs.readFileSync(path.join(ROOT, 'scenarios', 'default.json'), 'utf8'));
const LESSON = {
  ...DEFAULT,
  lesson: {
    title: { en: 'Custom: four tasks', ru: 'Свой урок: четыре задачи' },
    question: { en: 'Where do the tasks run?', ru: 'Где работают задачи?' },
    durationSeconds: 120,
    pauses: [
      { at: 20, caption: { en: 'First mark: tasks are starting.', ru: 'Первая отметка: задачи запускаются.' } },
      { at: 90, caption: { en: 'Second mark: all tasks run.', ru: 'Вторая отметка: все задачи работают.' } },
    ],
  },
};

test('a ?scenario= lesson plays as a lesson: title, custom entry in the picker, captions, pauses, English fallback', async ({ page, baseUrl, shot }) => {
  await open(page, `${baseUrl}?scenario=${pack(JSON.stringify(LESSON))}&speed=30`);
  assert((await page.locator('.lesson h2').textContent()) === LESSON.lesson.title.en, 'the lesson title is shown');
  assert((await page.locator('.lesson-picker option:checked').textContent()).includes('custom lesson'), 'the picker shows a custom lesson');
  assert(await page.locator('.lesson-fallback').count() === 0, 'no fallback note in English');
  assert(page.url().includes('scenario='), 'the address bar keeps the scenario');
  await playToMark(page, 20);
  assert((await page.locator('.lesson-caption').textContent()).includes(LESSON.lesson.pauses[0].caption.en), 'first caption');
  await playToMark(page, 90);
  assert((await page.locator('.lesson-caption').textContent()).includes(LESSON.lesson.pauses[1].caption.en), 'second caption');
  await shot('authoring-scenario-lesson.png');
  // Korean is not written: English texts, and the page says so.
  await openLesson(page, `${baseUrl}?scenario=${pack(JSON.stringify(LESSON))}&lang=ko`);
  await page.locator('.lesson-fallback').waitFor({ timeout: 15000 });
  assert((await page.locator('.lesson h2').textContent()) === LESSON.lesson.title.en, 'English title in a Korean page');
});

test('a lesson made in the builder (two marks, two languages) survives its link and passes ecs-sim check', async ({ page, baseUrl, shot }) => {
  await open(page, baseUrl);
  await page.locator('.lesson-builder summary').click();
  await page.locator('.builder-langs input[value="ru"]').check();
  const texts = {
    title: { en: 'Built here', ru: 'Собрано здесь' },
    question: { en: 'What happens?', ru: 'Что происходит?' },
    captions: [
      { en: 'Mark one, in English.', ru: 'Отметка один, по-русски.' },
      { en: 'Mark two, in English.', ru: 'Отметка два, по-русски.' },
    ],
  };
  for (const l of ['en', 'ru']) {
    await page.locator(`.builder-title[data-lang="${l}"] input`).fill(texts.title[l]);
    await page.locator(`.builder-question[data-lang="${l}"] input`).fill(texts.question[l]);
  }
  await seekTo(page, 30);
  await page.locator('.builder-mark').click();
  await seekTo(page, 75);
  await page.locator('.builder-mark').click();
  const items = page.locator('.builder-mark-item');
  assert(await items.count() === 2, 'two marks');
  for (let i = 0; i < 2; i++) {
    for (const l of ['en', 'ru']) {
      await items.nth(i).locator(`.builder-caption[data-lang="${l}"] input`).fill(texts.captions[i][l]);
    }
  }
  await page.locator('.builder-copy').click();
  const errors = await page.locator('.builder-error').count();
  assert(errors === 0, `builder error: ${errors && await page.locator('.builder-error').textContent()}`);
  await page.locator('.builder-link').waitFor();
  const link = await page.locator('.builder-link').inputValue();
  assert(link.includes('scenario='), `a scenario link: ${link.slice(0, 80)}`);
  const json = await page.locator('.builder-json').inputValue();
  await shot('authoring-builder.png');

  // The downloaded lesson passes the author's runner.
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, 'builder-lesson.json');
  fs.writeFileSync(file, json);
  // The CLI the test command already built ($ECS_SIM, $CARGO_TARGET_DIR or target/release):
  // `cargo run -p ecs-sim` alone resolves other features than the workspace build and recompiled
  // the engine in release, which on 2 cores outlasted the test's 180 s.
  const built = [
    process.env.ECS_SIM,
    process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, 'release', 'ecs-sim'),
    path.join(ROOT, 'target', 'release', 'ecs-sim'),
  ].filter(Boolean).find((p) => fs.existsSync(p));
  const args = ['check', file, '--languages', 'en,ru'];
  const r = built
    ? spawnSync(built, args, { encoding: 'utf8' })
    : spawnSync('cargo', ['run', '-q', '--release', '-p', 'ecs-sim', '--', ...args], { cwd: ROOT, encoding: 'utf8' });
  assert(r.status === 0, `ecs-sim check failed (${r.status}): ${r.stderr}`);
  assert(r.stdout.includes('at 30 s') && r.stdout.includes('at 75 s'), `check prints both marks: ${r.stdout.slice(0, 300)}`);

  // A fresh page opens the link as the lesson and pauses at both marks with their captions.
  const fresh = await page.context().newPage();
  try {
    await open(fresh, withParam(withParam(link, 'lang', 'en'), 'speed', '30'));
    assert((await fresh.locator('.lesson h2').textContent()) === texts.title.en, 'title after the link');
    await playToMark(fresh, 30);
    assert((await fresh.locator('.lesson-caption').textContent()).includes(texts.captions[0].en), 'caption one');
    await playToMark(fresh, 75);
    assert((await fresh.locator('.lesson-caption').textContent()).includes(texts.captions[1].en), 'caption two');
    // In Russian, opened at the second mark (the page's controls have Russian names).
    await openLesson(fresh, withParam(withParam(link, 'lang', 'ru'), 't', '75'));
    assert((await fresh.locator('.lesson h2').textContent()) === texts.title.ru, 'Russian title');
    await fresh.locator('.lesson-caption').filter({ hasText: texts.captions[1].ru }).waitFor({ timeout: 15000 });
    assert((await fresh.locator('.lesson-caption').textContent()).includes(texts.captions[1].ru), 'Russian caption');
  } finally {
    await fresh.close();
  }
});
