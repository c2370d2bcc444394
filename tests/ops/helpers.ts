/** Small assertions shared by the ops tests. */
import { expect } from 'vitest';
import { PostfachError } from '../../core/errors.js';

/** The PostfachError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<PostfachError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PostfachError);
    return error as PostfachError;
  }
  throw new Error('expected a failure');
}
