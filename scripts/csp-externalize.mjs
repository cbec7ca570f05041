// Trunk post-build hook: move Trunk's inline module loader into `init.js` and add a
// Content-Security-Policy meta tag, so the page runs with no inline script at all.
//
// The policy allows only the site's own origin, plus `'wasm-unsafe-eval'` (required by Chromium,
// Firefox and Safari to compile WebAssembly under a CSP). `style-src-attr 'unsafe-inline'` lets
// the app set per-element `style` attributes (bar widths, chip positions); style sheets still
// come only from 'self'. `frame-ancestors` cannot be set from a meta tag, which is what we want:
// course notes embed the playground in an iframe (`?embed=1`).
//
// `connect-src` adds exactly `http://127.0.0.1:*` and `http://localhost:*`: "Watch a local
// simulator" (src/watch.rs) calls an `ecs-sim serve` on this computer, on whatever port the user
// started it. A meta CSP cannot be changed at run time, so it is allowed up front; nothing else can
// be reached (no other host, no [::1]; https to the same loopback host follows from CSP's scheme upgrade), the page only does it after the user types an
// address and presses Watch, and the server answers only origins it names (`--allow-origin`).
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run through `trunk build`');
const htmlPath = path.join(dir, 'index.html');
let html = fs.readFileSync(htmlPath, 'utf8');

const inline = /<script type="module">([\s\S]*?)<\/script>/;
const m = html.match(inline);
if (!m) throw new Error('no inline module script found in index.html (Trunk output changed?)');
fs.writeFileSync(path.join(dir, 'init.js'), m[1].trim() + '\n');
html = html.replace(inline, '<script type="module" src="./init.js"></script>');

const POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' http://127.0.0.1:* http://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
const meta = `<meta http-equiv="Content-Security-Policy" content="${POLICY}" />`;
if (/Content-Security-Policy/.test(html)) throw new Error('index.html already has a CSP meta tag');
html = html.replace(/<meta charset="utf-8" \/>/, (c) => `${c}\n    ${meta}`);
if (!html.includes(meta)) throw new Error('could not insert the CSP meta tag after <meta charset>');
fs.writeFileSync(htmlPath, html);
console.log('csp-externalize: init.js written, CSP meta tag added');
