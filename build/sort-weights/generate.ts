/**
 * Writes core/store/sort-weights.generated.ts, the sort key's weight table, from the German ICU collator of the
 * running Node (core/store/sort-weights-icu.ts). Run: `npm run sort-weights:generate`. The key format is part of the
 * store: a table that changes needs a migration that computes every stored key again (sort-key.ts).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { icuWeightRanks, sortWeightsModule } from '../../core/store/sort-weights-icu.js';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'core', 'store', 'sort-weights.generated.ts');
writeFileSync(file, sortWeightsModule(icuWeightRanks()));
console.log(`geschrieben: ${path.relative(process.cwd(), file)}`);
