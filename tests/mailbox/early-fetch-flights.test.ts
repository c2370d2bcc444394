/**
 * The opens under way (core/app/open-flights.ts), what a fetch sent beside `store.open` waits for: an open counts
 * from its start until its second half has ended — not merely until its unlock — and a failed one aborts its signal
 * with the open's error at once (the early transport listens to it).
 */
import { describe, expect, it } from 'vitest';
import { OpenFlights } from '../../core/app/open-flights.js';
import { startFirstDelivery } from '../../core/mailbox/fetch-engine.js';
import { identityFromFiles } from '../../core/mailbox/identity.js';
import type { PostFunction } from '../../core/osci/client/dialog.js';
import { testPkiFiles } from '../../core/pki/test-pki.js';
import { pkiPassword, sharedPki } from './helpers.js';

const settledState = async (p: Promise<unknown>): Promise<string> =>
  Promise.race([
    p.then(
      () => 'resolved',
      (e: unknown) => `rejected: ${(e as Error).message}`,
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('pending'), 20)),
  ]);

describe('the opens under way', () => {
  it('an unlocked open is still under way until its second half has ended', async () => {
    const opens = new OpenFlights();
    const ticket = opens.begin();
    const flight = opens.latest()!;
    ticket.setFile('/tmp/postfach.db');
    expect(flight.file).toBe('/tmp/postfach.db');
    expect(await settledState(flight.ended)).toBe('pending');
    expect(await settledState(opens.idle())).toBe('pending');
    ticket.end();
    expect(await settledState(flight.ended)).toBe('resolved');
    expect(flight.failed.aborted).toBe(false);
    expect(opens.latest()).toBeUndefined();
    expect(await settledState(opens.idle())).toBe('resolved');
  });

  it('a failed unlock or second half aborts the signal with the open’s error and ends the open', async () => {
    const opens = new OpenFlights();
    const wrong = opens.begin();
    const first = opens.latest()!;
    wrong.end(new Error('Das Passwort für den Datenspeicher ist falsch.'));
    expect(first.failed.aborted).toBe(true);
    expect((first.failed.reason as Error).message).toBe('Das Passwort für den Datenspeicher ist falsch.');
    expect(await settledState(first.ended)).toBe('rejected: Das Passwort für den Datenspeicher ist falsch.');
    // a second end of the same open changes nothing
    wrong.end();
    expect(await settledState(first.ended)).toBe('rejected: Das Passwort für den Datenspeicher ist falsch.');
    expect(opens.latest()).toBeUndefined();
  });

  it('overlapping opens: idle waits for every one; each ends its own, in whatever order', async () => {
    const opens = new OpenFlights();
    const early = opens.begin();
    const a = opens.latest()!;
    const late = opens.begin();
    const b = opens.latest()!;
    expect(b).not.toBe(a);
    const idle = opens.idle();
    // the later open fails first: only its own fetch is aborted, with its own error
    late.end(new Error('code-list folder unreadable'));
    expect(b.failed.aborted).toBe(true);
    expect(await settledState(b.ended)).toBe('rejected: code-list folder unreadable');
    expect(a.failed.aborted).toBe(false);
    expect(await settledState(a.ended)).toBe('pending');
    expect(await settledState(idle)).toBe('pending');
    early.end();
    expect(await settledState(a.ended)).toBe('resolved');
    expect(await settledState(idle)).toBe('resolved');
  });
});

describe('the first delivery abandoned', () => {
  it('is not waited for beyond a moment when the caller’s transport does not know signals, and is released when it ends', async () => {
    const pkiDir = await sharedPki();
    const f = testPkiFiles(pkiDir);
    const identity = identityFromFiles({
      keyFile: f.municipality.p12,
      password: pkiPassword(pkiDir),
      intermediaryUrl: 'http://127.0.0.1:9/osci',
      intermediaryCertificateFile: f.intermediary.cer,
      timeoutSeconds: 20,
    });
    let answer!: (error: Error) => void;
    let posted = 0;
    // a transport that ignores every signal: its InitDialog request hangs until the test lets it fail
    const post: PostFunction = async () => {
      posted += 1;
      return new Promise((_resolve, reject) => (answer = reject));
    };
    const first = startFirstDelivery(identity, { post });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(posted).toBe(1);
    const started = Date.now();
    await first.abandon();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(5_000);
    await expect(first.fetched).rejects.toThrow('first delivery abandoned');
    // the hanging request ends later: nothing more is sent through the abandoned dialog
    answer(new Error('connection reset'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(posted).toBe(1);
  }, 30_000);
});
