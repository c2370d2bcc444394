/**
 * Keeps libraries within the UI's CSP (no eval, no inline styles). Imported FIRST by main.tsx, for its side
 * effects. (zod, which would need its compiler switched off here, is no part of the UI bundle: the renderer's
 * API client checks no payload against the contract, core/api/renderer-client.ts.)
 */

// React Aria adds an inline <style> (touch-action for pressable elements) unless an element with this id exists;
// the CSP would refuse it, so theme.css carries the rule and this marker tells React Aria it is there.
if (document.getElementById('react-aria-pressable-style') === null) {
  const marker = document.createElement('template');
  marker.id = 'react-aria-pressable-style';
  document.head.append(marker);
}

// React Aria's live announcer (used by spin buttons: the date fields' segments) empties its log regions with
// `innerHTML = ''`. Trusted Types (require-trusted-types-for 'script') refuses every string sink, so the page
// would stop on the first typed date. Emptying an element parses no markup: exactly '' becomes replaceChildren();
// every other value still goes to the browser's setter, which Trusted Types refuses as before.
const innerHtml = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML');
// eslint-disable-next-line @typescript-eslint/unbound-method -- the browser's accessor, called with the element as this (.call below)
const innerHtmlGet = innerHtml?.get as ((this: Element) => string) | undefined;
// eslint-disable-next-line @typescript-eslint/unbound-method -- the browser's accessor, called with the element as this (.call below)
const innerHtmlSet = innerHtml?.set as ((this: Element, value: unknown) => void) | undefined;
if (innerHtmlGet !== undefined && innerHtmlSet !== undefined) {
  Object.defineProperty(Element.prototype, 'innerHTML', {
    configurable: true,
    enumerable: innerHtml?.enumerable ?? true,
    get(this: Element) {
      return innerHtmlGet.call(this);
    },
    set(this: Element, value: unknown) {
      if (value === '') this.replaceChildren();
      else innerHtmlSet.call(this, value);
    },
  });
}
