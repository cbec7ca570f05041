// Trunk's post-build hook: Trunk runs the hooks of a stage at the same time, and both steps edit
// the staged index.html, so one hook runs them in order.
await import('./wasm-split.mjs'); // the app's wasm split at its lazily loaded functions (issue 19)
await import('./csp-externalize.mjs'); // no inline script, and the Content-Security-Policy
