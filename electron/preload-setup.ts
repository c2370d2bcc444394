// Imported first by the preload: zod decides about compiled (eval) parsers when schemas are created, i.e. while
// the contract module loads, and the page's CSP allows no eval.
import { configureZodWithoutEval } from '../core/api/zod-without-eval.js';

configureZodWithoutEval();
