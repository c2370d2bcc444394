// Test-only preload (node --import): when the process ends, writes its peak resident set size in bytes (worker
// threads included: they share the process) to the file named by POSTFACH_TEST_PEAK_RSS_FILE. Never loaded by the
// product; the tests that state memory figures start the real CLI with it.
import { writeFileSync } from 'node:fs';

const file = process.env.POSTFACH_TEST_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
