// Size of the built site (dist/), raw, gzip -9 and brotli (quality 11), as a static host would
// serve them, for two sets of files (issue 19):
//   first load  what the page fetches before the first drawn cluster of the default scenario
//               (recorded in Chromium: every response up to the moment all the default scenario's
//               instances are drawn); the app's split parts (split_*.wasm, chunk_*.wasm: src/split.rs)
//               are asked for right after the first picture, so they count after it;
//   everything  every file in dist/ (what loads after the first picture, lessons and the JSON
//               Schema for authors' editors included).
// Also the time from navigation to the first drawn cluster on localhost (median of 3 loads, each
// in a fresh browser profile, so nothing comes from a cache).
// Writes target/bench/size.json.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, ROOT, serveStatic, launchChromium } from '../e2e/harness.mjs';

const LOADS = 3;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function measure(rel) {
  const raw = fs.readFileSync(path.join(DIST, rel));
  const gzip = zlib.gzipSync(raw, { level: 9 }).length;
  const brotli = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { file: rel, raw: raw.length, gzip, brotli };
}
const sum = (rows) => rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip, brotli: a.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const line = (name, r) => `${name.padEnd(48)} raw ${kb(r.raw).padStart(10)}  gzip ${kb(r.gzip).padStart(10)}  brotli ${kb(r.brotli).padStart(10)}`;

const walk = (dir, pre = '') => fs.readdirSync(dir).flatMap((f) => {
  const p = path.join(dir, f);
  return fs.statSync(p).isDirectory() ? walk(p, `${pre}${f}/`) : [`${pre}${f}`];
});
const everything = walk(DIST).sort().map(measure);

// The default scenario's instance count: the cluster is drawn when that many instance boxes are.
const def = JSON.parse(fs.readFileSync(path.join(ROOT, 'scenarios', 'default.json'), 'utf8'));
const instances = def.containerInstances.reduce((n, g) => n + (g.count ?? 1), 0);

const server = await serveStatic(DIST);
const baseUrl = `http://127.0.0.1:${server.address().port}/`;
const loads = [];
for (let i = 0; i < LOADS; i++) {
  const { context, userDataDir } = await launchChromium();
  const page = await context.newPage();
  await page.addInitScript((want) => {
    const poll = () => {
      if (document.querySelectorAll('.instance').length >= want) window.__firstDraw = performance.now();
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  }, instances);
  await page.goto(baseUrl);
  await page.waitForFunction(() => window.__firstDraw !== undefined, null, { timeout: 60000 });
  // What the page goes on to fetch after the first picture (lessons, other locales...).
  await page.waitForTimeout(3000);
  // Resource Timing, in the page's own clock: a file counts in the first load when its request
  // started before the cluster was drawn.
  const { firstDrawMs, entries } = await page.evaluate(() => ({
    firstDrawMs: window.__firstDraw,
    entries: performance.getEntriesByType('resource').map((e) => ({ name: e.name, start: e.startTime })),
  }));
  const rel = (u) => decodeURIComponent(new URL(u).pathname).replace(/^\//, '') || 'index.html';
  const local = entries.filter((e) => e.name.startsWith(baseUrl));
  loads.push({
    firstDrawMs,
    before: ['index.html', ...new Set(local.filter((e) => e.start < firstDrawMs).map((e) => rel(e.name)))],
    after: [...new Set(local.filter((e) => e.start >= firstDrawMs).map((e) => rel(e.name)))],
  });
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
server.close();

const inDist = (f) => fs.existsSync(path.join(DIST, f)) && fs.statSync(path.join(DIST, f)).isFile();
// The first load is the union over the loads (a file fetched before the picture in any of them).
const firstFiles = [...new Set(loads.flatMap((l) => l.before))].filter(inDist).sort();
const afterFiles = [...new Set(loads.flatMap((l) => l.after))].filter((f) => inDist(f) && !firstFiles.includes(f)).sort();
const first = firstFiles.map(measure);
const firstTotal = sum(first), allTotal = sum(everything), afterTotal = sum(afterFiles.map(measure));
const times = loads.map((l) => l.firstDrawMs).sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];

console.log('first load (fetched before the first drawn cluster of the default scenario):');
for (const r of first) console.log(`  ${line(r.file, r)}`);
console.log(`  ${line('first load', firstTotal)}  (goal, issue 19: under 400 KB brotli)`);
console.log(`fetched after the first picture: ${afterFiles.length} files, ${kb(afterTotal.brotli)} brotli`);
console.log(`everything (${everything.length} files in dist/):`);
for (const r of everything.filter((r) => !r.file.includes('/'))) console.log(`  ${line(r.file, r)}`);
for (const dir of [...new Set(everything.filter((r) => r.file.includes('/')).map((r) => r.file.split('/')[0]))]) {
  const rows = everything.filter((r) => r.file.startsWith(`${dir}/`));
  console.log(`  ${line(`${dir}/ (${rows.length} files)`, sum(rows))}`);
}
console.log(`  ${line('everything', allTotal)}`);
console.log(`time to first drawn cluster (localhost, fresh profile, median of ${LOADS}): ${median.toFixed(0)} ms (all: ${times.map((t) => t.toFixed(0)).join(', ')} ms; goal < 1000 ms)`);

fs.mkdirSync(path.join(ROOT, 'target', 'bench'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'target', 'bench', 'size.json'), JSON.stringify({
  firstLoad: { files: first, total: firstTotal },
  afterFirstPicture: { files: afterFiles, total: afterTotal },
  everything: { files: everything, total: allTotal },
  // Kept for readers of the older shape: the whole site.
  total: allTotal,
  firstDrawnClusterMs: { median, all: times },
}, null, 2));
