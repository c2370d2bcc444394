/**
 * A hostile application for the bounded-work tests: a generated Testantrag whose every text value (each element's
 * text except the base64 of the inline documents) is one word of `length` × "A" — names, street, IBAN, dates,
 * codes, document names and file names alike; the root's @produkt (the title) is as long as the reader allows an
 * attribute (64 Ki characters; a longer one makes the content "nicht lesbar", xml-limit).
 */
import { generateApplication } from '../../intermediary/generator/index.js';

export async function applicationWithLongValues(length: number): Promise<{ xml: Buffer; values: number }> {
  const app = await generateApplication({ service: 'hzl', seed: 'lange-werte', test: true, evidence: { count: 1, size: 20_000 } });
  const word = 'A'.repeat(length);
  let values = 0;
  const xml = app
    .bytes()
    .toString('utf8')
    .replace(/(<([A-Za-z_][\w.:-]*)(?:\s[^>]*)?>)([^<]*[^<\s][^<]*)(?=<)/g, (all, open: string, name: string) => {
      if (name.endsWith('inhalt')) return all;
      values++;
      return `${open}${word}`;
    })
    .replace(/ produkt="[^"]*"/, ` produkt="${word.slice(0, 60_000)}"`);
  return { xml: Buffer.from(xml), values: values + 1 };
}
