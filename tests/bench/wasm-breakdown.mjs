// What the wasm's bytes are (issue 19, the twiggy question without installing twiggy): the
// sections of the module cargo built for Trunk (before wasm-bindgen and wasm-opt, so it still has
// its `name` section), then code bytes by who instantiates them (the engine, the app, each
// library) and by engine/app module, generics counted where they are monomorphised. The shipped
// file (dist/*_bg.wasm) is smaller: wasm-opt -Oz shrinks code by about a fifth, and the names go.
// Usage: node tests/bench/wasm-breakdown.mjs [path.wasm]. Writes target/bench/wasm-breakdown.json.
import fs from 'node:fs';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { ROOT } from '../e2e/harness.mjs';

// Where cargo puts its output (CARGO_TARGET_DIR, or a shim's mapping of it), as cargo says.
let targetDir = path.join(ROOT, 'target');
try {
  targetDir = JSON.parse(execSync('cargo metadata --format-version 1 --no-deps', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })).target_directory;
} catch { /* no cargo: the default */ }
const file = process.argv[2] || path.join(targetDir, 'wasm32-unknown-unknown', 'wasm-release', 'ecs-playground.wasm');
if (!fs.existsSync(file)) {
  console.log(`no ${file}: build the site first (trunk build --release --offline)`);
  process.exit(0);
}
const b = fs.readFileSync(file);
let pos = 8;
const leb = () => {
  let r = 0, s = 0, x;
  do { x = b[pos++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80);
  return r;
};
const str = () => { const n = leb(); const t = b.toString('utf8', pos, pos + n); pos += n; return t; };
const ids = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];
const sections = [];
const at = {};
while (pos < b.length) {
  const id = b[pos++];
  const size = leb();
  const start = pos;
  let name = ids[id] || String(id);
  if (id === 0) name = `custom ${str()}`;
  sections.push({ name, bytes: size });
  at[name] = [start, start + size];
  pos = start + size;
}
// Imported functions come first in the function index space.
let imported = 0;
[pos] = at.import;
for (let n = leb(); n > 0; n--) {
  str(); str();
  const kind = b[pos++];
  if (kind === 0) { leb(); imported++; } else if (kind === 1) { pos++; const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 3) { pos += 2; } else { leb(); }
}
const names = new Map();
if (at['custom name']) {
  [pos] = at['custom name'];
  // Skip the custom section's own name (read above), then the subsections.
  str();
  while (pos < at['custom name'][1]) {
    const sub = b[pos++];
    const size = leb();
    const end = pos + size;
    if (sub === 1) for (let n = leb(); n > 0; n--) { const i = leb(); names.set(i, str()); }
    pos = end;
  }
}
const demangle = (n) => {
  if (!n.startsWith('_ZN')) return n;
  let p = 3; const parts = [];
  while (p < n.length && n[p] !== 'E') {
    const m = /^\d+/.exec(n.slice(p)); if (!m) break;
    p += m[0].length; parts.push(n.slice(p, p + Number(m[0]))); p += Number(m[0]);
  }
  if (parts.length && /^h[0-9a-f]{16}$/.test(parts[parts.length - 1])) parts.pop();
  let s = parts.join('::');
  for (const [a, c] of [['$LT$', '<'], ['$GT$', '>'], ['$u20$', ' '], ['$RF$', '&'], ['$C$', ','], ['$u7b$', '{'], ['$u7d$', '}'], ['$BP$', '*'], ['$u27$', "'"], ['$u5b$', '['], ['$u5d$', ']'], ['$u3b$', ';'], ['$u21$', '!'], ['$u2b$', '+'], ['..', '::']]) s = s.split(a).join(c);
  return s;
};
[pos] = at.code;
const fns = [];
for (let n = leb(), k = 0; k < n; k++) {
  const before = pos; const size = leb(); pos += size;
  fns.push({ bytes: pos - before, name: demangle(names.get(imported + k) || `function ${imported + k}`) });
}
const code = fns.reduce((a, f) => a + f.bytes, 0);
const owner = new Map(); const modules = new Map();
const add = (m, k, v) => m.set(k, (m.get(k) || 0) + v);
for (const f of fns) {
  let who;
  if (f.name.includes('ecs_playground')) who = 'ecs_playground (the app)';
  else if (f.name.includes('ecs_sim')) who = 'ecs_sim (the engine)';
  else who = (/([a-z_][a-z0-9_]*)::/.exec(f.name.replace(/^[<&*_ ]+/, '')) || [, 'other'])[1];
  add(owner, who, f.bytes);
  const m = /(ecs_sim|ecs_playground)::([a-z_0-9]+)(?:::([a-z_0-9]+))?/.exec(f.name);
  if (m) add(modules, `${m[1]}::${m[2]}${m[3] && ['sim', 'components', 'export', 'terraform_import'].includes(m[2]) ? `::${m[3]}` : ''}`, f.bytes);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
const pct = (n) => `${((100 * n) / code).toFixed(1)}%`.padStart(6);
console.log(`${file}: ${kb(b.length)} (${fns.length} functions)`);
for (const s of sections) console.log(`  section ${s.name.padEnd(34)} ${kb(s.bytes)}`);
const top = (m, n) => [...m].sort((a, b2) => b2[1] - a[1]).slice(0, n);
console.log('code by who instantiates it:');
for (const [k, v] of top(owner, 20)) console.log(`  ${kb(v)} ${pct(v)}  ${k}`);
console.log('code by module (generics where monomorphised):');
for (const [k, v] of top(modules, 30)) console.log(`  ${kb(v)} ${pct(v)}  ${k}`);
console.log('largest functions:');
for (const f of [...fns].sort((a, c) => c.bytes - a.bytes).slice(0, 15)) console.log(`  ${kb(f.bytes)}  ${f.name.slice(0, 120)}`);
fs.mkdirSync(path.join(ROOT, 'target', 'bench'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'target', 'bench', 'wasm-breakdown.json'), JSON.stringify({
  file, bytes: b.length, sections, codeBytes: code,
  byOwner: Object.fromEntries(top(owner, 40)), byModule: Object.fromEntries(top(modules, 80)),
}, null, 2));
