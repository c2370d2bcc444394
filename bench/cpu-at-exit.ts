/**
 * Preload for the cold-start bench (`node --import …/cpu-at-exit.js`): when the process exits, writes its CPU time
 * (process.cpuUsage: user and system of every thread, the worker's and libuv's included) as JSON to the file named
 * by BENCH_CPU_FILE. On a shared machine a process's wall time grows with the load, its CPU time much less; the
 * bench reports both.
 */
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.BENCH_CPU_FILE;
if (isMainThread && file) {
  process.on('exit', () => {
    const u = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ userMs: u.user / 1000, systemMs: u.system / 1000 }));
  });
}
