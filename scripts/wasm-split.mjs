// Trunk post-build hook: cut the app's wasm at its `#[lazy]` functions (Leptos 0.8, issue 19), so
// code the first picture does not need is fetched the first time it is called.
//
// Trunk cannot split a wasm (trunk-rs/trunk#1022), so this redoes its last steps for the app the way
// cargo-leptos does with `--split`: take the wasm cargo linked (build.rs keeps the linker's
// relocations in it), split it with `wasm-split-cli` (crate wasm_split_cli_support, installed by
// scripts/setup.sh) into a main module, one .wasm per split and the loader `__wasm_split.js`, run
// wasm-bindgen on the main module (`--keep-lld-exports`: the chunks import the main module's
// functions, memory and table by their linker names) and wasm-opt -Oz on every module, with the
// params index.html gives (its data-wasm-opt="0" keeps Trunk from optimising a wasm this replaces). The results replace Trunk's in the staging dir under the same
// names, and the preload links' integrity hashes are recomputed.
//
// The chunks are fetched relative to `__wasm_split.js` (`new URL(..., import.meta.url)`), so the
// site keeps working from any sub-path (`public_url = "./"`); nothing is inline (the page's CSP).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run through `trunk build`');
const source = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
const say = (m) => console.log(`wasm-split: ${m}`);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: source, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

// The app's <link data-trunk rel="rust" data-bin=...>: its binary, cargo profile and wasm-opt options.
const srcHtml = fs.readFileSync(path.join(source, 'index.html'), 'utf8');
const tag = srcHtml.match(/<link data-trunk rel="rust" data-bin="[^"]+"[^>]*>/)?.[0];
if (!tag) throw new Error('index.html has no <link data-trunk rel="rust" data-bin=...>');
const attr = (name) => tag.match(new RegExp(`${name}="([^"]*)"`))?.[1];
const bin = attr('data-bin');
const profile = attr('data-cargo-profile') ?? 'release';
const optLevel = 'z';
const optParams = (attr('data-wasm-opt-params') ?? '').split(/\s+/).filter(Boolean);

const meta = JSON.parse(run('cargo', ['metadata', '--format-version', '1', '--no-deps', '--offline']));
const input = path.join(meta.target_directory, 'wasm32-unknown-unknown', profile, `${bin}.wasm`);
const wasm = fs.readFileSync(input);

// The custom sections' names (the split points are listed in `__wasm_split_unstable`).
function customSections(bytes) {
  const names = [];
  let p = 8;
  const uleb = () => {
    let v = 0, shift = 0, b;
    do { b = bytes[p++]; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return v;
  };
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = uleb();
    const end = p + size;
    if (id === 0) {
      const len = uleb();
      names.push(bytes.subarray(p, p + len).toString('utf8'));
    }
    p = end;
  }
  return names;
}
const sections = customSections(wasm);
if (!sections.includes('reloc.CODE')) {
  throw new Error(`${input} has no relocations: build.rs must pass --emit-relocs to the linker`);
}

// Trunk's names for the app's files in the staging dir: <bin>-<hash>.js and <bin>-<hash>_bg.wasm.
const stagedHtmlPath = path.join(staging, 'index.html');
let html = fs.readFileSync(stagedHtmlPath, 'utf8');
/** `text` as a literal inside a RegExp. */
const literal = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const name = html.match(new RegExp(`href="\\./(${literal(bin)}-[0-9a-f]+)\\.js"`))?.[1];
if (!name) throw new Error(`no ./${bin}-<hash>.js in the staged index.html (Trunk output changed?)`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-split-'));
try {
  const splitDir = path.join(tmp, 'split');
  const bgDir = path.join(tmp, 'bg');
  run('wasm-split-cli', [input, splitDir, '--target', 'web', '--out-name', name]);
  run('wasm-bindgen', ['--target=web', `--out-dir=${bgDir}`, `--out-name=${name}`, '--no-typescript',
    '--keep-lld-exports', path.join(splitDir, `${name}.wasm`)]);
  const opt = (from, to) => run('wasm-opt', [`--output=${to}`, `-O${optLevel}`, from, ...optParams]);

  opt(path.join(bgDir, `${name}_bg.wasm`), path.join(staging, `${name}_bg.wasm`));
  fs.copyFileSync(path.join(bgDir, `${name}.js`), path.join(staging, `${name}.js`));
  if (fs.existsSync(path.join(bgDir, 'snippets'))) {
    fs.cpSync(path.join(bgDir, 'snippets'), path.join(staging, 'snippets'), { recursive: true });
  }
  const chunks = fs.readdirSync(splitDir).filter((f) => f.endsWith('.wasm') && f !== `${name}.wasm`).sort();
  for (const f of chunks) opt(path.join(splitDir, f), path.join(staging, f));
  for (const f of fs.readdirSync(splitDir).filter((f) => f.endsWith('.js'))) {
    fs.copyFileSync(path.join(splitDir, f), path.join(staging, f));
  }

  // The preload links Trunk wrote carry the integrity of the files just replaced.
  for (const file of [`${name}.js`, `${name}_bg.wasm`]) {
    const sri = `sha384-${crypto.createHash('sha384').update(fs.readFileSync(path.join(staging, file))).digest('base64')}`;
    const link = new RegExp(`(href="\\./${literal(file)}"[^>]*integrity=")[^"]*(")`);
    if (!link.test(html)) throw new Error(`no preload link with integrity for ./${file} in the staged index.html`);
    html = html.replace(link, `$1${sri}$2`);
  }
  fs.writeFileSync(stagedHtmlPath, html);
  const kb = (f) => `${(fs.statSync(path.join(staging, f)).size / 1024).toFixed(1)} KB`;
  say(`${name}_bg.wasm ${kb(`${name}_bg.wasm`)}; ${chunks.length} chunks: ${chunks.map((f) => `${f} ${kb(f)}`).join(', ')}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
