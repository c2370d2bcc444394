/**
 * Peak RSS of this process, for the benches that measure their own children. On Linux VmHWM from /proc
 * (getrusage's maxRSS keeps the high-water mark of the forked parent across exec, which would count the
 * generator's memory); elsewhere getrusage.
 */
import { readFileSync } from 'node:fs';

export function peakRssKiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
