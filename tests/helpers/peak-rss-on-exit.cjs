// Preloaded into a child process (`node -r tests/helpers/peak-rss-on-exit.cjs …`): on exit, writes the process's
// own peak resident set size (VmHWM from /proc/self/status, Linux) to stderr as `PEAK_RSS_KIB=<n>`, so that a test
// can measure a real CLI run without racing the exit. CommonJS because --require loads it before the ES modules.
'use strict';
const fs = require('node:fs');
process.on('exit', () => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) fs.writeSync(2, `\nPEAK_RSS_KIB=${m[1]}\n`);
  } catch {
    // not Linux: nothing to report
  }
});
