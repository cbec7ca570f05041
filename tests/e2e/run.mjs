// Runs every tests/e2e/*.test.mjs against the built site in dist/.
// Usage: node tests/e2e/run.mjs [name-filter]
import fs from 'node:fs';
import path from 'node:path';
import { runAll } from './harness.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
for (const f of fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort()) {
  await import(path.join(here, f));
}
const ok = await runAll(process.argv[2]);
process.exit(ok ? 0 : 1);
