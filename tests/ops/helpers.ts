/** Small assertions shared by the ops tests. */
import { expect } from 'vitest';
import { PostfachError } from '../../core/errors.js';

/**
 * The PostfachError `run` rejects (or, given a function, throws or rejects) with; fails the test when it succeeds or
 * fails with anything else.
 */
export async function failure(run: Promise<unknown> | (() => unknown)): Promise<PostfachError> {
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (error) {
    expect(error).toBeInstanceOf(PostfachError);
    return error as PostfachError;
  }
  throw new Error('expected a failure');
}
