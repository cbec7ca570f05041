// Issue 7, languages: every label in English, Simplified Chinese, Korean and Russian; AWS's own
// event messages stay in English with a translated explanation beside them. Controls are found
// by role and their translated accessible name; the language menu also has the stable id
// #language-select. No test depends on which fonts are installed.
import { chromium } from 'playwright-core';
import { test, assert, CHROMIUM_ARGS } from './harness.mjs';

/** What each language calls a few controls and headings (from locales/*.json). */
const LANGS = {
  en: { language: 'Language', play: 'Play', step: 'Step', setDesired: 'Set desired count', deployNew: 'Deploy new revision',
    desiredCount: 'Desired count', service: 'Service web', capacity: 'Capacity and faults', dialog: 'Details' },
  'zh-CN': { language: '语言', play: '播放', step: '单步', setDesired: '设置所需任务数', deployNew: '部署新修订',
    desiredCount: '所需任务数', service: '服务 web', capacity: '容量和故障', dialog: '详细信息' },
  ko: { language: '언어', play: '재생', step: '한 단계', setDesired: '원하는 작업 개수 설정', deployNew: '새 개정 배포',
    desiredCount: '원하는 작업 개수', service: '서비스 web', capacity: '용량 및 장애', dialog: '세부 정보' },
  ru: { language: 'Язык', play: 'Запустить', step: 'Шаг', setDesired: 'Задать желаемое количество', deployNew: 'Развернуть новую редакцию',
    desiredCount: 'Желаемое количество', service: 'Сервис web', capacity: 'Ресурсы и сбои', dialog: 'Сведения' },
};
/** A character of the language's own script, to tell a translation from English. */
const SCRIPT = { 'zh-CN': /[\u4e00-\u9fff]/, ko: /[\uac00-\ud7af]/, ru: /[\u0400-\u04ff]/ };

/** Jump to simulated second `s` with the scrubber (found by class: its name is translated). */
async function seekTo(page, s) {
  const scrubber = page.locator('input.scrubber');
  for (;;) {
    const max = Number(await scrubber.getAttribute('max'));
    await scrubber.fill(String(Math.min(s, max)));
    if (s <= max) break;
  }
  const want = `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  await page.waitForFunction((w) => document.querySelector('.clock')?.textContent === w, want, { timeout: 10000 });
}

/** Check that the page speaks `lang`: buttons, headings and the menu by their translated names. */
async function expectLanguage(page, lang) {
  const w = LANGS[lang];
  await page.getByRole('button', { name: w.play, exact: true }).waitFor({ timeout: 10000 });
  for (const name of [w.step, w.setDesired, w.deployNew]) {
    assert(await page.getByRole('button', { name, exact: true }).count() === 1, `${lang}: no button named ${name}`);
  }
  assert(await page.getByRole('spinbutton', { name: w.desiredCount, exact: true }).count() === 1, `${lang}: no field ${w.desiredCount}`);
  // The service heading: "Service web · EC2 · web:1" (launch type and task definition as AWS names them).
  assert(await page.getByRole('heading', { name: new RegExp(`^${w.service} · `) }).count() === 1, `${lang}: no heading ${w.service}`);
  assert(await page.getByRole('heading', { name: w.capacity, exact: true }).count() === 1, `${lang}: no heading ${w.capacity}`);
  const menu = page.getByRole('combobox', { name: w.language, exact: true });
  assert(await menu.count() === 1, `${lang}: no language menu named ${w.language}`);
  assert(await menu.inputValue() === lang, `${lang}: the menu shows ${await menu.inputValue()}`);
  assert(await page.evaluate(() => document.documentElement.lang) === lang, `${lang}: <html lang> is not ${lang}`);
  if (lang !== 'en') {
    // No English label left on the other controls: the English names are gone.
    const en = LANGS.en;
    for (const name of [en.play, en.setDesired, en.deployNew]) {
      assert(await page.getByRole('button', { name, exact: true }).count() === 0, `${lang}: English button ${name} still shown`);
    }
  }
}

test('switch to each language with the menu: headings and buttons change, lang= goes in the URL', async ({ page, baseUrl, shot }) => {
  await page.goto(baseUrl);
  await expectLanguage(page, 'en');
  for (const lang of ['zh-CN', 'ko', 'ru', 'en']) {
    await page.locator('#language-select').selectOption(lang);
    await expectLanguage(page, lang);
    assert(new URL(page.url()).searchParams.get('lang') === lang, `URL ${page.url()} lacks lang=${lang}`);
    if (lang === 'ko') await shot('language-ko.png');
  }
  // The language survives a reload through the URL.
  await page.locator('#language-select').selectOption('ru');
  await page.reload();
  await expectLanguage(page, 'ru');
});

test('?lang=ko opens in Korean; event messages stay in English with a Korean explanation', async ({ page, baseUrl }) => {
  await page.goto(`${baseUrl}?lang=ko`);
  await expectLanguage(page, 'ko');
  await seekTo(page, 300);
  const items = page.locator('.event-list li');
  await page.waitForFunction(() => document.querySelectorAll('.event-list li').length >= 3);
  const rows = await items.evaluateAll((lis) => lis.map((li) => ({
    message: li.querySelector('.event-message')?.textContent || '',
    explain: li.querySelector('.explain')?.textContent || '',
  })));
  for (const r of rows) {
    assert(/^\(service web\) /.test(r.message), `the AWS message stays as the console shows it: ${r.message}`);
    assert(SCRIPT.ko.test(r.explain), `no Korean explanation beside "${r.message}": "${r.explain}"`);
  }
  assert(rows.some((r) => r.message.includes('has reached a steady state.')), 'a steady-state message by 0:05:00');
  // Switching language changes the explanations, not AWS's messages.
  await page.locator('#language-select').selectOption('ru');
  await expectLanguage(page, 'ru');
  const ru = await items.evaluateAll((lis) => lis.map((li) => [li.querySelector('.event-message').textContent, li.querySelector('.explain').textContent]));
  assert(ru.length === rows.length && ru.every(([m, e], i) => m === rows[i].message && SCRIPT.ru.test(e)), 'Russian explanations beside the same messages');
  // The details drawer is translated too, with the API's values as they are.
  await page.locator('.task[data-status="RUNNING"]').first().click();
  const drawer = page.getByRole('dialog', { name: LANGS.ru.dialog });
  await drawer.waitFor();
  const text = await drawer.textContent();
  assert(text.includes('Определение задачи') && text.includes('RUNNING'), `drawer in Russian with API values: ${text.slice(0, 200)}`);
});

test('a browser set to zh-CN opens in Chinese; ?lang=en overrides it', async ({ baseUrl }) => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, '--lang=zh-CN'],
  });
  try {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(baseUrl);
    assert((await page.evaluate(() => navigator.languages))[0] === 'zh-CN', 'the browser prefers zh-CN');
    await expectLanguage(page, 'zh-CN');
    await page.goto(`${baseUrl}?lang=en`);
    await expectLanguage(page, 'en');
    assert(errors.length === 0, `page errors: ${errors.join('; ')}`);
  } finally {
    await browser.close();
  }
});

test('every control has an accessible name in every language', async ({ page, baseUrl }) => {
  for (const lang of Object.keys(LANGS)) {
    await page.goto(`${baseUrl}?lang=${lang}`);
    await expectLanguage(page, lang);
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, input, select, summary')].filter((el) => {
      const name = el.getAttribute('aria-label') || el.textContent.trim() || (el.labels && [...el.labels].map((l) => l.textContent.trim()).join(''));
      return !name;
    }).map((el) => el.outerHTML.slice(0, 80)));
    assert(unnamed.length === 0, `${lang}: controls without a name: ${unnamed.join(' | ')}`);
    if (SCRIPT[lang]) {
      // Every aria-label on the page is in the language's script, except AWS names (ids, AZs,
      // and product names the Korean and Russian consoles keep in English).
      const english = await page.evaluate((re) => [...document.querySelectorAll('[aria-label]')]
        .map((el) => el.getAttribute('aria-label'))
        .filter((l) => l !== 'Application Load Balancer')
        .filter((l) => !new RegExp(re).test(l) && /[a-z]{4,} [a-z]{3,}/i.test(l)), SCRIPT[lang].source);
      assert(english.length === 0, `${lang}: aria-labels left in English: ${english.slice(0, 5).join(' | ')}`);
    }
  }
});

test('alarm state changes and scaling activities keep AWS wording with a Chinese explanation', async ({ page, baseUrl }) => {
  await page.goto(`${baseUrl}?lang=zh-CN`);
  await expectLanguage(page, 'zh-CN');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { ROOT } = await import('./harness.mjs');
  const scenario = fs.readFileSync(path.join(ROOT, 'scenarios', 'autoscaling-target-tracking-cpu.json'), 'utf8');
  const err = await page.evaluate((t) => window.wasmBindings.playground_load_scenario(t), scenario);
  assert(err === '', `scenario load: ${err}`);
  await seekTo(page, 600);
  await seekTo(page, 1200);
  await page.waitForFunction(() => document.querySelectorAll('.alarms.scaling li').length > 0, null, { timeout: 10000 });
  const alarm = await page.locator('.alarm-alarm').first().evaluate((li) => [li.querySelector('strong').textContent, li.querySelector('.explain').textContent]);
  assert(alarm[0] === 'ALARM' && SCRIPT['zh-CN'].test(alarm[1]), `alarm state as CloudWatch names it, explained in Chinese: ${alarm}`);
  const scaling = await page.locator('.alarms.scaling li').first().textContent();
  assert(/Setting desired count to \d+\./.test(scaling) && /所需计数 \d+ → \d+/.test(scaling) && scaling.includes('Application Auto Scaling 更改了'),
    `scaling activity: ${scaling}`);
});

test('the lesson, task definition editor, export and account panels speak every language', async ({ page, baseUrl }) => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { ROOT } = await import('./harness.mjs');
  // Product names the Chinese, Korean and Russian consoles show in English.
  const PRODUCT_NAMES = ['Application Load Balancer', 'Fargate Spot'];
  for (const lang of ['zh-CN', 'ko', 'ru']) {
    const L = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', `${lang}.json`), 'utf8'));
    await page.goto(`${baseUrl}?lesson=task-role-vs-execution-role&t=120&lang=${lang}`);
    await page.getByRole('button', { name: L.controls.play, exact: true }).waitFor({ timeout: 10000 });
    await page.getByRole('button', { name: L.export.show, exact: true }).click();
    await page.getByRole('textbox', { name: L.export.text, exact: true }).waitFor();
    for (const tab of ['Cost', 'IAM', 'ECR', 'Compare']) {
      // Tabs are found by their stable id: two of the four names are translated.
      await page.locator(`#tab-${tab}`).click();
      await page.waitForFunction((t) => document.querySelector(`#tab-${t}`)?.getAttribute('aria-selected') === 'true', tab);
      const english = await page.evaluate(({ re, keep }) => [...document.querySelectorAll(
        '.lesson-panel [aria-label], .td-editor [aria-label], .export [aria-label], .account-tabs [aria-label], '
        + '.lesson-panel, .td-editor, .export, .account-tabs, h2, h3, th, dt, caption, button, label, option')]
        .flatMap((el) => [el.getAttribute('aria-label'), ['H2', 'H3', 'TH', 'DT', 'CAPTION', 'BUTTON', 'OPTION'].includes(el.tagName) ? el.textContent.trim() : null])
        .filter((l) => l && !keep.includes(l) && !new RegExp(re).test(l) && /[a-z]{4,} [a-z]{3,}/i.test(l)), { re: SCRIPT[lang].source, keep: PRODUCT_NAMES });
      assert(english.length === 0, `${lang}, ${tab} tab: text left in English: ${[...new Set(english)].slice(0, 5).join(' | ')}`);
    }
    // Interpolated names: the IAM article of web:1 is named in the language.
    await page.locator('#tab-IAM').click();
    const roles = L.iam.roles_of.replace('{{ task_definition }}', 'web:1');
    assert(await page.getByRole('article', { name: roles, exact: true }).count() === 1, `${lang}: no article named ${roles}`);
    assert(await page.getByRole('tab', { name: L.account.tab_cost, exact: true }).count() === 1, `${lang}: no tab ${L.account.tab_cost}`);
  }
});
