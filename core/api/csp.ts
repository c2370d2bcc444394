/**
 * The Content-Security-Policy of the UI, one string for both hosts (the Electron app:// protocol and the loopback
 * bridge), so the renderer is tested under exactly the policy it ships with.
 *
 * Only the UI's own files may run or load: no inline script or style, no eval, no remote anything, no frames, no
 * forms posting elsewhere. `blob:` images are for documents shown in the built-in viewer. Trusted Types make a
 * string-to-HTML sink (innerHTML and friends) throw instead of injecting markup; the one policy allowed,
 * "postfach-pdf-worker", starts the bundled pdf.js worker and accepts nothing but that file's own URL
 * (renderer/src/message/pdf-engine.ts) — `new Worker(url)` is a Trusted Types sink.
 */
const directives: ReadonlyArray<readonly [string, ...string[]]> = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self'", 'blob:'],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['worker-src', "'self'"],
  ['manifest-src', "'none'"],
  ['media-src', "'none'"],
  ['object-src', "'none'"],
  ['frame-src', "'none'"],
  ['child-src', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'none'"],
  ['base-uri', "'none'"],
  ['require-trusted-types-for', "'script'"],
  ['trusted-types', 'postfach-pdf-worker'],
];

export const contentSecurityPolicy: string = directives.map((d) => d.join(' ')).join('; ');

/** Headers sent with every file of the UI, by both hosts. */
export const uiSecurityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=(), payment=()',
  'Cache-Control': 'no-store',
};
