// Issue 8: the page never dies silently, and it runs under a strict Content-Security-Policy.
import { test, assert } from './harness.mjs';

/** Record every CSP violation the page reports, from before any script runs. */
async function recordViolations(page) {
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`);
    });
  });
}

test('CSP: only the site itself and wasm; no inline script; no violations while the cluster runs', async ({ page, baseUrl }) => {
  await recordViolations(page);
  await page.goto(baseUrl);
  await page.locator('.instance').first().waitFor({ timeout: 10000 });
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert(/default-src 'self'/.test(policy), `default-src 'self' missing: ${policy}`);
  assert(/script-src 'self' 'wasm-unsafe-eval'(;|$)/.test(policy), `script-src must allow only self and wasm: ${policy}`);
  // Every directive allows only the site itself, except connect-src, which adds exactly the
  // loopback origins "Watch a local simulator" calls (any port, plain http, nothing else).
  const directives = Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert(directives['connect-src'].join(' ') === "'self' http://127.0.0.1:* http://localhost:*",
    `connect-src must be self plus the loopback origins only: ${directives['connect-src'].join(' ')}`);
  for (const [name, sources] of Object.entries(directives).filter(([k]) => k !== 'connect-src')) {
    assert(!sources.some((x) => /unsafe-eval'|https?:|\*/.test(x.replace("'wasm-unsafe-eval'", ''))), `${name} allows more than self: ${policy}`);
  }
  const inline = await page.evaluate(() => [...document.scripts].filter((s) => !s.src).length);
  assert(inline === 0, `${inline} inline script(s) would need 'unsafe-inline'`);
  // Run the simulation for a while so every kind of element and style gets rendered.
  await page.getByRole('button', { name: /^Play/ }).click();
  await page.waitForTimeout(1500);
  await page.getByRole('button', { name: /^Pause/ }).click();
  const violations = await page.evaluate(() => window.__cspViolations);
  assert(violations.length === 0, `CSP violations: ${violations.join(' | ')}`);
  // The loopback allowance is no more than that: another host or IPv6 loopback is blocked. (https
  // to the same loopback host is allowed by CSP's scheme upgrade, https://www.w3.org/TR/CSP3/#match-schemes.)
  const blocked = ['http://192.168.1.10:4566/', 'http://example.com/', 'http://[::1]:4566/'];
  await page.evaluate(async (urls) => {
    // Blocked requests fail at once; a 3 s abort keeps an allowed one (a broken policy) from
    // waiting on a TCP timeout, so the assertion below reports it instead of a hang.
    for (const u of urls) { try { await fetch(u, { mode: 'no-cors', signal: AbortSignal.timeout(3000) }); } catch (e) { /* blocked */ } }
  }, blocked);
  // Reports arrive as events after the fetches fail: wait for them, then name any missing one.
  await page.waitForFunction((n) => window.__cspViolations.length >= n, blocked.length, { timeout: 5000 }).catch(() => {});
  const after = await page.evaluate(() => window.__cspViolations);
  for (const u of blocked) {
    assert(after.some((v) => v.startsWith('connect-src') && v.includes(u.replace(/\/$/, ''))), `${u} was not blocked by connect-src: ${after.join(' | ')}`);
  }
});

test('a panic shows the error panel with a working "Copy share link" instead of a dead page', async ({ page, baseUrl }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl.replace(/\/$/, '') });
  await page.goto(`${baseUrl}?seed=7`);
  await page.locator('.instance').first().waitFor({ timeout: 10000 });
  const dialog = page.getByRole('alertdialog', { name: 'The playground stopped' });
  assert(!(await dialog.isVisible()), 'the error panel must be hidden while all is well');
  const thrown = await page.evaluate(() => {
    try { window.wasmBindings.playground_force_panic_for_test('engine invariant broken'); return 'no error'; }
    catch (e) { return String(e); }
  });
  assert(/RuntimeError|unreachable/i.test(thrown), `the panic should abort the wasm call, got: ${thrown}`);
  await dialog.waitFor({ state: 'visible', timeout: 5000 });
  const message = await page.locator('#fatal-error-message').textContent();
  assert(message.includes('forced by test: engine invariant broken'), `panel message: ${message}`);
  const copy = dialog.getByRole('button', { name: 'Copy share link' });
  assert(await copy.evaluate((b) => b === document.activeElement), 'focus moves to "Copy share link"');
  await copy.click();
  await page.getByRole('status').filter({ hasText: /copied|copy the link/i }).waitFor({ timeout: 5000 });
  const status = await page.locator('#fatal-error-status').textContent();
  if (/copied/i.test(status)) {
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert(clip === page.url(), `clipboard has ${clip}, page is ${page.url()}`);
  } else {
    assert((await dialog.getByRole('textbox', { name: 'Share link' }).inputValue()) === page.url(), 'fallback shows the link');
  }
  assert(await page.getByRole('button', { name: 'Reload' }).isVisible(), 'a Reload button is offered');
}, { pageErrors: /unreachable|RuntimeError|forced by test/i });
