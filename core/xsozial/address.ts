/**
 * An address as one block, the way a letter is addressed: "Straße Hausnummer", "PLZ Ort", then what else is
 * given (Zusatzangaben). XSozial-basis writes a domestic address as anschriftInland/gebaeude{strasse, hausnummer,
 * hausnummerBuchstabeZusatzziffer, teilnummerDerHausnummer, postleitzahl, wohnort, zusatzangaben}; the Sozialplattform
 * writes the whole house number ("1b") into teilnummerDerHausnummer — it stands where the house number stands,
 * never as a mere "Zusatz". The parts stay in the tree; the block lies beside them (TreeNode.block, and one field in
 * a person's summary) and is copied as it is shown ("Adresse kopieren").
 */
import { localOf, nodeChild, presentValue } from './tree-nodes.js';
import type { DisplayValue } from './values.js';
import type { TreeNode } from './view.js';

/** The element names that hold an address's parts (a gebaeude, or the address element itself). */
const PARTS = ['strasse', 'hausnummer', 'hausnummerBuchstabeZusatzziffer', 'teilnummerDerHausnummer', 'postleitzahl', 'wohnort', 'ort', 'ortsteil', 'zusatzangaben', 'staat'];

/** Where the parts are: the gebaeude below anschriftInland (or the node itself when it holds them). */
function partsNode(anschrift: TreeNode): TreeNode | undefined {
  const holds = (n: TreeNode) => n.children.some((c) => PARTS.includes(localOf(c.name)));
  if (holds(anschrift)) return anschrift;
  for (const c of anschrift.children) {
    if (holds(c)) return c;
    const g = c.children.find(holds);
    if (g) return g;
  }
  return undefined;
}

/** The block of an address node (anschrift, anschriftInland, …), and the ids of the parts it shows. */
export function addressBlock(anschrift: TreeNode): { value: DisplayValue; covers: string[] } | undefined {
  const parts = partsNode(anschrift);
  if (!parts) return undefined;
  const covers: string[] = [];
  const part = (local: string): string => {
    const node = nodeChild(parts, local);
    const value = presentValue(node);
    if (!node || !value) return '';
    covers.push(node.id);
    return (value.kind === 'code' ? (value.code?.text ?? value.display) : value.raw).replace(/\s+/g, ' ').trim();
  };
  const street = part('strasse');
  // house number, its letter or extra digit written on ("12" + "b" = "12b"), then a part number
  const number = `${part('hausnummer')}${part('hausnummerBuchstabeZusatzziffer')}`;
  const partNumber = part('teilnummerDerHausnummer');
  const line1 = [street, number, partNumber].filter((p) => p !== '').join(' ');
  const line2 = [part('postleitzahl'), part('wohnort') || part('ort')].filter((p) => p !== '').join(' ');
  const district = part('ortsteil');
  const extra = part('zusatzangaben');
  const country = part('staat');
  const lines = [line1, district ? `${line2} (${district})`.trim() : line2, extra, country].filter((l) => l !== '');
  if (lines.length === 0) return undefined;
  const text = lines.join('\n');
  return { value: { kind: 'address', display: text, raw: text }, covers };
}
