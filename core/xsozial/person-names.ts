/**
 * A person's name in its parts, and how the program writes it: "Nachname, Vorname" the way an office files it
 * (the setting `familyNameFirst`, on by default), or "Vorname Nachname". An academic title is no part of the name
 * an office sorts by: it follows the given name ("Musterfrau, Erika, Dr.") or leads ("Dr. Erika Musterfrau").
 * Universal (no Node, no DOM): the service writes card titles and PDFs with it, the renderer the list rows.
 */
import { z } from 'zod';

const part = z.string().max(1000);

export const personNameSchema = z.strictObject({
  family: part,
  given: part,
  title: part.optional(),
});
export type PersonName = z.infer<typeof personNameSchema>;

export { formatPersonName } from './person-name-format.js';
