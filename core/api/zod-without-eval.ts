/**
 * zod compiles object parsers with `new Function` when it may. Under the UI's CSP (no 'unsafe-eval') its probe
 * for that is refused and reported as a CSP violation; the renderer and the preload therefore switch the
 * compiler off before the first parse. Node keeps the faster compiled parsers.
 */
import { z } from 'zod';

export function configureZodWithoutEval(): void {
  z.config({ jitless: true });
}
