/**
 * PostgreSQL failures as store errors (core/store/errors.ts kinds), with the SQLSTATE or the connection error code
 * as the technical detail — never a statement's values (they may name persons).
 */
import { PostfachError } from '../errors.js';
import { storeError } from '../store/errors.js';

/** A programming error (no code) passes through unchanged and surfaces as `internal`, as with SQLite. */
export function fromPgError(error: unknown, operation: string): unknown {
  if (error instanceof PostfachError) return error;
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const detail = `${operation}: PostgreSQL ${code ?? 'error'}`;
  if (code === undefined) return error;
  // disk full, out of memory, too many connections
  if (code === '53100' || code === '53200') return storeError('store-full', detail, error);
  // serialization failure, deadlock, lock not available, statement timeout, too many connections
  if (code === '40001' || code === '40P01' || code === '55P03' || code === '57014' || code === '53300') return storeError('store-busy', detail, error);
  // data corrupted, index corrupted
  if (code === 'XX001' || code === 'XX002') return storeError('store-corrupt', detail, error);
  // invalid text representation / numeric value out of range: a caller handed over something unusable
  if (code === '22P02' || code === '22003' || code === '22021' || code === '54000') return storeError('store-invalid-input', detail, error);
  // connection refused, reset, admin shutdown, authentication failed, …: the database cannot be reached
  return storeError('store-io', detail, error);
}
