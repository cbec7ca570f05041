// Runs every tests/e2e/*.test.mjs against the built site in dist/.
// Usage: node tests/e2e/run.mjs [name-filter]
import fs from 'node:fs';
import path from 'node:path';
import { runAll } from './harness.mjs';

// The run ends whatever happens: each test has a time limit (harness.mjs), the whole run has
// E2E_TIMEOUT_MINUTES (default 30), and SIGTERM/SIGINT exit at once (playwright-core's own
// handlers only close the browser, which left `timeout` waiting on a live node process).
const minutes = Number(process.env.E2E_TIMEOUT_MINUTES || 30);
setTimeout(() => { console.log(`FAIL the e2e run took more than ${minutes} min (E2E_TIMEOUT_MINUTES): stopped`); process.exit(2); }, minutes * 60000).unref();
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { console.log(`e2e run stopped by ${sig}`); process.exit(130); });

const here = path.dirname(new URL(import.meta.url).pathname);
for (const f of fs.readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort()) {
  await import(path.join(here, f));
}
const ok = await runAll(process.argv[2]);
process.exit(ok ? 0 : 1);
