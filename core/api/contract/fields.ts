/**
 * The bounded primitives the contract areas build their schemas from (one bound for each kind of value, the same
 * in every area). No Node and no DOM (imported by the renderer through the contract files).
 */
import { z } from 'zod';

export const noInput = z.lazy(() => z.strictObject({}));
export const shortText = z.string().max(200);
export const text = z.string().max(4000);
export const isoTime = z.string().max(40);
export const filePath = z.string().min(1).max(4096);
export const secret = z.string().min(1).max(1024);
export const count = z.number().int().nonnegative();
export const fingerprint = z.string().max(120);
