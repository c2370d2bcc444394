#!/usr/bin/env node
// @ts-check
/**
 * Runs a few shell commands side by side and fails when any of them fails: `npm test` lets the type-checked lint
 * (one core, about a minute) run beside the build, the type check of the tests and the format check (together
 * about as long, also one core at a time), instead of after them. Each command's output is held back and printed
 * in one piece when it ends (no interleaved lines); the exit code is the first failing command's, else 0.
 *
 *   node scripts/run-lanes.mjs "<command>" "<command>" …
 *
 * Plain Node without any npm package.
 */
import { spawn } from 'node:child_process';

const commands = process.argv.slice(2);
if (commands.length === 0) {
  process.stderr.write('Aufruf / usage: node scripts/run-lanes.mjs "<Befehl / command>" …\n');
  process.exit(2);
}

/** @param {string} command @returns {Promise<number>} */
function run(command) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {Buffer[]} */
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code, signal) => {
      const status = code ?? (signal === null ? 1 : 128);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n── ${command} ──\n`);
      process.stdout.write(Buffer.concat(output));
      process.stdout.write(
        status === 0
          ? `── fertig in ${seconds} s / done in ${seconds} s ──\n`
          : `── FEHLGESCHLAGEN (Exit-Code ${status}) nach ${seconds} s / FAILED (exit code ${status}) after ${seconds} s ──\n`,
      );
      resolve(status);
    });
  });
}

const codes = await Promise.all(commands.map(run));
process.exit(codes.find((code) => code !== 0) ?? 0);
