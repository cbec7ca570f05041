// Lighthouse 12.2.3 (pinned in package.json; 13.x needs Node 22) on the built site, served from
// dist/ on a loopback port, in Debian's Chromium. Prints the accessibility, best-practices and
// performance scores (mobile, Lighthouse's default form factor, and desktop) and the largest
// contentful paint; writes every figure to target/bench/lighthouse.json. Nothing is asserted:
// it is a benchmark (issue 15 asks for accessibility 100 and best practices 100).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { serveStatic, CHROMIUM_ARGS, DIST, ROOT } from '../e2e/harness.mjs';

const OUT = path.join(ROOT, 'target', 'bench');
fs.mkdirSync(OUT, { recursive: true });
const server = await serveStatic(DIST);
const url = `http://127.0.0.1:${server.address().port}/`;
const bin = path.join(ROOT, 'node_modules', '.bin', 'lighthouse');

// Lighthouse runs as a child process, asynchronously: the static server lives in this process and
// must keep answering while Lighthouse loads the page.
async function run(formFactor) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-playground-lh-'));
  const report = path.join(profile, 'report.json');
  const flags = [...CHROMIUM_ARGS, `--user-data-dir=${profile}`].join(' ');
  const args = [url, '--quiet', '--output=json', `--output-path=${report}`,
    '--only-categories=accessibility,best-practices,performance', `--chrome-flags=${flags}`];
  if (formFactor === 'desktop') args.push('--preset=desktop');
  await promisify(execFile)(bin, args, { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || '/usr/bin/chromium' }, maxBuffer: 1 << 26 });
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  fs.rmSync(profile, { recursive: true, force: true });
  const score = (c) => Math.round((r.categories[c]?.score ?? 0) * 100);
  // The scored audits of the accessibility and best-practices categories that fall short.
  const failed = ['accessibility', 'best-practices'].flatMap((c) => (r.categories[c]?.auditRefs ?? [])
    .filter((ref) => ref.weight > 0 && r.audits[ref.id]?.score !== null && r.audits[ref.id]?.score < 1)
    .map((ref) => `${c}/${ref.id}`));
  return {
    formFactor,
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    performance: score('performance'),
    lcpMs: Math.round(r.audits['largest-contentful-paint']?.numericValue ?? 0),
    fcpMs: Math.round(r.audits['first-contentful-paint']?.numericValue ?? 0),
    tbtMs: Math.round(r.audits['total-blocking-time']?.numericValue ?? 0),
    auditsBelowFull: failed,
  };
}

const results = [];
try {
  for (const ff of ['mobile', 'desktop']) {
    const r = await run(ff);
    results.push(r);
    console.log(`lighthouse ${ff}: accessibility ${r.accessibility}, best practices ${r.bestPractices}, performance ${r.performance}; LCP ${r.lcpMs} ms, FCP ${r.fcpMs} ms, TBT ${r.tbtMs} ms`);
    if (r.auditsBelowFull.length) console.log(`  audits below full score: ${r.auditsBelowFull.join(', ')}`);
  }
} finally {
  server.close();
}
fs.writeFileSync(path.join(OUT, 'lighthouse.json'), JSON.stringify({ url: 'dist/ on 127.0.0.1', lighthouse: '12.2.3', results }, null, 2));
