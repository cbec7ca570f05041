// The fatal-error panel's behaviour, in plain JavaScript: after a Rust panic the wasm module
// is dead (panic = "abort" traps), so nothing here may depend on it. The panic hook
// (src/fatal_error.rs) fills in the message and unhides the panel; this file also shows the
// panel when the module fails to load or traps outside the hook.
(function () {
  'use strict';
  function panel() { return document.getElementById('fatal-error'); }

  function show(message) {
    var p = panel();
    if (!p) return;
    var pre = document.getElementById('fatal-error-message');
    if (p.hidden) {
      if (pre && !pre.textContent) pre.textContent = String(message || 'Unknown error');
      p.hidden = false;
      var copy = document.getElementById('fatal-error-copy');
      if (copy) copy.focus();
    }
  }
  window.playgroundShowFatalError = show;

  function status(text) {
    var s = document.getElementById('fatal-error-status');
    if (s) s.textContent = text;
  }

  // The share link is the page's URL: the app keeps it in step with the scenario and moment.
  function copyLink() {
    var link = location.href;
    var fallback = function () {
      var input = document.getElementById('fatal-error-link');
      if (!input) return;
      input.hidden = false;
      input.value = link;
      input.focus();
      input.select();
      status('Select and copy the link above.');
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(link).then(function () { status('Share link copied.'); }, fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener('click', function (e) {
    var id = e.target && e.target.id;
    if (id === 'fatal-error-copy') copyLink();
    if (id === 'fatal-error-reload') location.reload();
  });

  // A WebAssembly trap (RuntimeError) or a failed load that reached no panic hook.
  window.addEventListener('error', function (e) {
    if (e.error instanceof WebAssembly.RuntimeError || /wasm|WebAssembly/i.test(String(e.message))) {
      show(e.message);
    }
  });
  window.addEventListener('unhandledrejection', function (e) {
    var r = e.reason;
    if (r instanceof WebAssembly.RuntimeError || r instanceof WebAssembly.CompileError ||
        /wasm|WebAssembly/i.test(String(r && r.message))) {
      show(r && r.message ? r.message : r);
    }
  });
})();
