// A small browser-test harness: serves dist/ on 127.0.0.1, drives Debian's Chromium through
// playwright-core (never a downloaded browser), runs the registered tests and prints
// "N passed, N failed". Screenshots go to target/e2e/.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const DIST = path.join(ROOT, 'dist');
export const SHOTS = path.join(ROOT, 'target', 'e2e');

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.webmanifest': 'application/manifest+json',
};

/** Serve `dir` as a static site on 127.0.0.1 with an OS-chosen port. */
export function serveStatic(dir) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = path.normalize(path.join(dir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(dir)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'content-type': MIME[path.extname(file)] || 'application/octet-stream' });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Launch Debian's Chromium with a fresh profile directory. */
export async function launchChromium() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} not found: run scripts/setup.sh (installs Debian's chromium)`);
  }
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-playground-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 720 },
  });
  return { context, userDataDir };
}

/** A test's time limit unless it sets `opts.timeout` (ms). */
export const TEST_TIMEOUT_MS = 180000;

function withTimeout(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); })])
    .finally(() => clearTimeout(timer));
}

const tests = [];
/** Register a test: `fn({ page, baseUrl, shot })`. `opts.pageErrors`: a RegExp of page errors the
 * test provokes on purpose (any other page error still fails it); `opts.timeout`: its time limit in
 * ms (default TEST_TIMEOUT_MS). */
export function test(name, fn, opts = {}) { tests.push({ name, fn, opts }); }

export function assert(cond, msg) { if (!cond) throw new Error(msg); }

/** Run every registered test (optionally only names containing `filter`). */
export async function runAll(filter) {
  fs.mkdirSync(SHOTS, { recursive: true });
  if (!fs.existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/index.html missing: build first (trunk build)');
  const server = await serveStatic(DIST);
  const baseUrl = `http://127.0.0.1:${server.address().port}/`;
  const { context, userDataDir } = await launchChromium();
  let passed = 0, failed = 0;
  for (const t of tests.filter((t) => !filter || t.name.includes(filter))) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const started = Date.now();
    // No test can hang the run: past its time limit it fails with a message that says so.
    const limit = t.opts.timeout || TEST_TIMEOUT_MS;
    let timer;
    try {
      await Promise.race([
        t.fn({ page, baseUrl, shot: (name) => page.screenshot({ path: path.join(SHOTS, name), fullPage: false }) }),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${limit / 1000} s (opts.timeout)`)), limit); }),
      ]);
      const unexpected = errors.filter((e) => !(t.opts.pageErrors && t.opts.pageErrors.test(e)));
      if (unexpected.length) throw new Error(`page errors: ${unexpected.join('; ')}`);
      passed++;
      console.log(`ok   ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name}: ${e.message}`);
      await withTimeout(page.screenshot({ path: path.join(SHOTS, `FAILED-${t.name.replace(/\W+/g, '_')}.png`) }), 10000).catch(() => {});
    } finally {
      clearTimeout(timer);
    }
    await withTimeout(page.close(), 10000).catch(() => {});
  }
  await context.close();
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0;
}
