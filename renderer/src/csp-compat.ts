/**
 * Keeps libraries within the UI's CSP (no eval, no inline styles). Imported FIRST by main.tsx, for its side
 * effects: zod decides about compiled parsers when a schema is created, i.e. while the contract module loads.
 */
import { configureZodWithoutEval } from '../../core/api/zod-without-eval.js';

configureZodWithoutEval();

// React Aria adds an inline <style> (touch-action for pressable elements) unless an element with this id exists;
// the CSP would refuse it, so theme.css carries the rule and this marker tells React Aria it is there.
if (document.getElementById('react-aria-pressable-style') === null) {
  const marker = document.createElement('template');
  marker.id = 'react-aria-pressable-style';
  document.head.append(marker);
}
