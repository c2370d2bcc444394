/**
 * The sign-in form of `postfach serve`: one static page served by the service itself (the renderer stays as it is),
 * German first, English second. No script; its one style block is allowed by hash in its own CSP, and the form may
 * post to this origin only.
 */
import { createHash } from 'node:crypto';

export type SignInNotice = 'failed' | 'signed-out' | 'expired' | undefined;

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d1d1f}
main{max-width:24rem;margin:10vh auto;background:#fff;padding:2rem;border-radius:.5rem;box-shadow:0 1px 4px #0003}
h1{font-size:1.4rem;margin:0 0 .25rem}
p.en,span.en{color:#555;font-size:.9em}
label{display:block;margin-top:1rem;font-weight:600}
input{display:block;width:100%;box-sizing:border-box;font-size:1rem;padding:.5rem;margin-top:.25rem;border:1px solid #888;border-radius:.25rem}
button{margin-top:1.5rem;font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:.25rem;background:#0a4d8c;color:#fff}
[role=alert]{border-left:4px solid #b00020;padding:.5rem .75rem;background:#fdecee;margin-top:1rem}
[role=status]{border-left:4px solid #0a4d8c;padding:.5rem .75rem;background:#eef4fb;margin-top:1rem}
`;

const styleHash = createHash('sha256').update(STYLE).digest('base64');

/** The page's own policy: nothing but its style block, and posting the form to this origin. */
export const signInPageCsp = `default-src 'none'; style-src 'sha256-${styleHash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

const NOTICES: Readonly<Record<Exclude<SignInNotice, undefined>, { role: 'alert' | 'status'; de: string; en: string }>> = {
  failed: {
    role: 'alert',
    de: 'Anmeldung fehlgeschlagen: Name oder Passwort falsch, oder das Konto ist gesperrt. Nach mehreren Fehlversuchen wird ein Konto für 15 Minuten gesperrt.',
    en: 'Sign-in failed: wrong name or password, or the account is locked. After several failed attempts an account is locked for 15 minutes.',
  },
  'signed-out': { role: 'status', de: 'Sie sind abgemeldet.', en: 'You are signed out.' },
  expired: { role: 'status', de: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.', en: 'Your session has expired. Please sign in again.' },
};

export function signInPage(notice: SignInNotice): string {
  const n = notice === undefined ? undefined : NOTICES[notice];
  const box = n === undefined ? '' : `<div role="${n.role}"><p>${n.de}</p><p class="en" lang="en">${n.en}</p></div>`;
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Anmelden – OSCI-Postfach</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>OSCI-Postfach – Anmelden</h1>
<p class="en" lang="en">Sign in</p>
${box}
<form method="post" action="/anmelden">
<label for="name">Benutzername <span class="en" lang="en">(user name)</span></label>
<input id="name" name="name" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64">
<label for="password">Passwort <span class="en" lang="en">(password)</span></label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit">Anmelden <span lang="en">/ Sign in</span></button>
</form>
</main>
</body>
</html>
`;
}
