/**
 * The contract's schemas are built at their first use (core/api/contract-kit.ts, z.lazy in the contract files), not
 * when the contract is imported. This proves that the first call after a fresh import is checked exactly as every
 * later one: a bad request or answer is refused at the first call with the same issues, a good one passes with the
 * same result, and the schema really was not built before that call (so the test runs the lazy path).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';

type Validate = typeof import('../../core/api/validate.js');
type ContractModule = typeof import('../../core/api/contract.js');

/** A fresh instance of the contract and the checks: nothing built, as in a thread that has just started. */
async function freshContract(): Promise<{ validate: Validate; contract: ContractModule['contract'] }> {
  vi.resetModules();
  const validate = await import('../../core/api/validate.js');
  const { contract } = await import('../../core/api/contract.js');
  return { validate, contract };
}

/** Whether z.lazy has built the schema inside it (zod keeps it on the shared definition once built). */
const built = (schema: z.ZodType): boolean => (schema._zod.def as { _cachedInner?: unknown })._cachedInner !== undefined;

const detailOf = (fn: () => unknown): { kind: string; detail: string } => {
  try {
    fn();
  } catch (error) {
    // the fresh module instance has its own PostfachError class: known by its fields
    if (error instanceof Error && 'kind' in error && 'detail' in error) return { kind: String(error.kind), detail: String(error.detail) };
    throw error;
  }
  throw new Error('expected a PostfachError');
};

const goodSettings = { retentionTransferredDays: 30, retentionTrashDays: 7 };

describe('schemas built at their first use', () => {
  let fresh: Awaited<ReturnType<typeof freshContract>>;
  beforeEach(async () => {
    fresh = await freshContract();
  });

  it('builds no schema of a method at import; the first read builds it once and keeps it', () => {
    const spec = fresh.contract.methods['retention.updateSettings'];
    const output = spec.output;
    expect(built(output)).toBe(false);
    expect(spec.output).toBe(output);
    expect(spec.input).toBe(spec.input);
  });

  it('refuses a bad request at the first call, with the same issues as every later call', () => {
    const { parseMethodInput } = fresh.validate;
    const bad = { retentionTrashDays: -1, extra: true };
    const first = detailOf(() => parseMethodInput('retention.updateSettings', bad));
    expect(first.kind).toBe('api-invalid-input');
    expect(first.detail).toBe('retention.updateSettings: retentionTrashDays: too_small; (root): unrecognized_keys');
    expect(detailOf(() => parseMethodInput('retention.updateSettings', bad))).toEqual(first);
    expect(parseMethodInput('retention.updateSettings', { retentionTrashDays: 7 })).toEqual({ retentionTrashDays: 7 });
  });

  it('refuses a bad answer at the first call (its named schema not built before), the same later', () => {
    const { parseMethodOutput } = fresh.validate;
    expect(built(fresh.contract.methods['retention.settings'].output)).toBe(false);
    const bad = { retentionTransferredDays: 30 };
    const first = detailOf(() => parseMethodOutput('retention.settings', bad));
    expect(first).toEqual({ kind: 'api-invalid-output', detail: 'retention.settings: retentionTrashDays: invalid_type' });
    expect(built(fresh.contract.methods['retention.settings'].output)).toBe(true);
    expect(detailOf(() => parseMethodOutput('retention.settings', bad))).toEqual(first);
    expect(detailOf(() => parseMethodOutput('retention.settings', { ...goodSettings, password: 'x' })).detail).toBe('retention.settings: (root): unrecognized_keys');
    expect(parseMethodOutput('retention.settings', goodSettings)).toEqual(goodSettings);
  });

  it('checks a nested named schema and an event payload at their first use', () => {
    const { parseEventPayload, parseMethodOutput } = fresh.validate;
    const status = {
      state: 'locked',
      path: '/tmp/p.db',
      wrappers: [{ id: 'password', type: 'password', createdAt: '2026-12-06T10:00:00Z' }],
      protectorAvailable: false,
      identityConfigured: false,
    };
    const badWrapper = { ...status, wrappers: [{ id: 'password', type: 'key', createdAt: '2026-12-06T10:00:00Z' }] };
    const first = detailOf(() => parseEventPayload('store.changed', badWrapper));
    expect(first).toEqual({ kind: 'api-invalid-event', detail: 'store.changed: wrappers.0.type: invalid_value' });
    expect(detailOf(() => parseEventPayload('store.changed', badWrapper))).toEqual(first);
    expect(parseEventPayload('store.changed', status)).toEqual(status);
    // the same named schema inside another method's answer: refused the same way
    expect(detailOf(() => parseMethodOutput('store.status', badWrapper)).detail).toBe('store.status: wrappers.0.type: invalid_value');
  });

  it('validates on a first call exactly as the schema built directly does', () => {
    const { parseMethodOutput } = fresh.validate;
    const samples: unknown[] = [goodSettings, {}, null, 'x', { retentionTransferredDays: 1.5, retentionTrashDays: 36_501 }, { ...goodSettings, extra: 1 }];
    const direct = fresh.contract.methods['retention.settings'].output.unwrap();
    const reference = samples.map((sample) => direct.safeParse(sample).success);
    expect(reference).toEqual([true, false, false, false, false, false]);
    for (const [i, sample] of samples.entries()) {
      let accepted = true;
      try {
        parseMethodOutput('retention.settings', sample);
      } catch {
        accepted = false;
      }
      expect(accepted).toBe(reference[i]);
    }
  });
});
