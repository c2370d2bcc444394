/**
 * The opens under way (core/app/open-flights.ts), what a fetch sent beside `store.open` waits for: an open counts
 * from its start until its second half has ended — not merely until its unlock — and a failed one aborts its signal
 * with the open's error at once (the early transport listens to it).
 */
import { describe, expect, it } from 'vitest';
import { OpenFlights } from '../../core/app/open-flights.js';

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
    ticket.unlocked();
    expect(await settledState(flight.ended)).toBe('pending');
    expect(await settledState(opens.idle())).toBe('pending');
    opens.end();
    expect(await settledState(flight.ended)).toBe('resolved');
    expect(flight.failed.aborted).toBe(false);
    expect(opens.latest()).toBeUndefined();
    expect(await settledState(opens.idle())).toBe('resolved');
  });

  it('a failed unlock or second half aborts the signal with the open’s error and ends the open', async () => {
    const opens = new OpenFlights();
    const wrong = opens.begin();
    const first = opens.latest()!;
    wrong.fail(new Error('Das Passwort für den Datenspeicher ist falsch.'));
    expect(first.failed.aborted).toBe(true);
    expect((first.failed.reason as Error).message).toBe('Das Passwort für den Datenspeicher ist falsch.');
    expect(await settledState(first.ended)).toBe('rejected: Das Passwort für den Datenspeicher ist falsch.');

    opens.begin().unlocked();
    const second = opens.latest()!;
    opens.end(new Error('code-list folder unreadable'));
    expect(second.failed.aborted).toBe(true);
    expect(await settledState(second.ended)).toBe('rejected: code-list folder unreadable');
    // an end without an unlocked open under way changes nothing
    opens.end();
    expect(opens.latest()).toBeUndefined();
  });

  it('overlapping opens: idle waits for every one; they end oldest first', async () => {
    const opens = new OpenFlights();
    opens.begin().unlocked();
    const a = opens.latest()!;
    const late = opens.begin();
    const b = opens.latest()!;
    expect(b).not.toBe(a);
    const idle = opens.idle();
    opens.end();
    expect(await settledState(a.ended)).toBe('resolved');
    expect(await settledState(idle)).toBe('pending');
    late.unlocked();
    opens.end();
    expect(await settledState(b.ended)).toBe('resolved');
    expect(await settledState(idle)).toBe('resolved');
  });
});
