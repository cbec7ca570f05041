// Size of the built site (dist/): each file and the total, raw, gzip -9 and brotli (quality 11),
// as a static host would serve them. Writes target/bench/size.json.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, ROOT } from '../e2e/harness.mjs';

const rows = [];
for (const f of fs.readdirSync(DIST)) {
  const p = path.join(DIST, f);
  if (!fs.statSync(p).isFile()) continue;
  const raw = fs.readFileSync(p);
  const gzip = zlib.gzipSync(raw, { level: 9 }).length;
  const brotli = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  rows.push({ file: f, raw: raw.length, gzip, brotli });
}
const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip, brotli: a.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const r of rows) console.log(`${r.file.padEnd(48)} raw ${kb(r.raw).padStart(10)}  gzip ${kb(r.gzip).padStart(10)}  brotli ${kb(r.brotli).padStart(10)}`);
console.log(`${'whole site'.padEnd(48)} raw ${kb(total.raw).padStart(10)}  gzip ${kb(total.gzip).padStart(10)}  brotli ${kb(total.brotli).padStart(10)}  (goal, issue 19: under 400 KB brotli for the first load; today every file is loaded first)`);
fs.mkdirSync(path.join(ROOT, 'target', 'bench'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'target', 'bench', 'size.json'), JSON.stringify({ files: rows, total }, null, 2));
