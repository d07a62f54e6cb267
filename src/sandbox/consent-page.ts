/**
 * The sandbox's stand-in for Google's OAuth consent screen, served by the Arcade stand-in at the
 * flow's URL (the Connect Gmail button's link). It looks enough like Google's for a newcomer to
 * recognise the step, and says plainly that it is not Google. Every variable part is HTML-escaped.
 */
import type { ConsentPageState } from '../stand-ins/arcade-stand-in';

/** What the page needs to know; `person` is absent when the flow is unknown. */
export interface ConsentPageInput {
  state: ConsentPageState;
  person?: { name: string; email: string };
  scopes: readonly string[];
  /** Where "Back to the sandbox" leads. */
  sandboxUrl: string;
}

/** Google's own wording for the scopes this app asks for; others are shown as they are. */
const SCOPE_TEXT: Record<string, string> = {
  'https://www.googleapis.com/auth/gmail.readonly': 'View your email messages and settings',
};

const APP_NAME = 'Slack Inbox';

/** The whole HTML document for one state of the consent screen. */
export function consentPageHtml(input: ConsentPageInput): string {
  const body = bodyFor(input);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in - Google Accounts (sandbox stand-in)</title>
<style>${STYLE}</style>
</head>
<body>
<div class="ribbon" role="note"><strong>Sandbox</strong> · This is not Google. It stands in for Google's consent screen: no Google account is used and nothing leaves this machine.</div>
<main class="card">
<div class="brand"><span class="g">G</span><span>Sign in with Google</span></div>
${body}
</main>
</body>
</html>`;
}

function bodyFor({ state, person, scopes, sandboxUrl }: ConsentPageInput): string {
  const back = `<p><a class="link" href="${escapeHtml(sandboxUrl)}">Back to the sandbox</a></p>`;
  const name = escapeHtml(person?.name ?? 'this person');
  switch (state) {
    case 'ask':
      return `<h1>${APP_NAME} wants to access your Google Account</h1>
${person ? accountChip(person) : ''}
<p>This will allow <strong>${APP_NAME}</strong> to:</p>
<ul class="scopes">${scopes.map((scope) => `<li>${escapeHtml(SCOPE_TEXT[scope] ?? scope)}</li>`).join('')}</ul>
<h2>Make sure you trust ${APP_NAME}</h2>
<p class="small">You may be sharing sensitive info with this site or app. The access is read-only: it can never send, change or delete mail. In the real app, Arcade runs this step and keeps the token.</p>
<div class="actions"><a class="button secondary" href="?decision=deny">Cancel</a><a class="button primary" href="?decision=allow">Allow</a></div>`;
    case 'allowed':
      return `<h1>Gmail connected</h1>
<p>${name} allowed read-only access. The app was waiting in the background and is posting the summary now.</p>
<p class="small">You can close this tab and go back to Slack.</p>
${back}`;
    case 'denied':
      return `<h1>Access denied</h1>
<p>${APP_NAME} will not get access to ${name}'s Gmail. Back in Slack, the app says privately that Gmail was not connected.</p>
${back}`;
    case 'already_decided':
      return `<h1>This link was already used</h1>
<p>The request for access was already answered. Run <code>/inbox</code> again for a fresh link.</p>
${back}`;
    case 'unknown':
      return `<h1>Unknown request</h1>
<p>There is no such request for access (the sandbox may have been restarted).</p>
${back}`;
  }
}

function accountChip(person: { name: string; email: string }): string {
  const initial = escapeHtml([...person.name][0] ?? '?');
  return `<div class="account"><span class="avatar">${initial}</span><span><strong>${escapeHtml(person.name)}</strong><br><span class="small">${escapeHtml(person.email)}</span></span></div>`;
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 Roboto,Arial,Helvetica,sans-serif;color:#202124;background:#f0f4f9}
.ribbon{background:#fde293;color:#3c2e00;padding:8px 16px;text-align:center;font-size:13px}
.card{max-width:460px;margin:40px auto;background:#fff;border-radius:28px;padding:36px 40px}
.brand{display:flex;align-items:center;gap:8px;font-size:14px;color:#444746;margin-bottom:16px}
.g{font-weight:700;font-size:20px;color:#4285f4}
h1{font-size:24px;font-weight:400;margin:0 0 16px}
h2{font-size:16px;font-weight:500;margin:20px 0 4px}
.account{display:inline-flex;align-items:center;gap:10px;border:1px solid #c4c7c5;border-radius:20px;padding:4px 14px 4px 4px;margin-bottom:12px}
.avatar{display:inline-grid;place-items:center;width:32px;height:32px;border-radius:50%;background:#1a73e8;color:#fff;font-weight:500}
.scopes{padding-left:20px}.scopes li{margin:6px 0}
.small{font-size:12px;color:#5f6368}
.actions{display:flex;justify-content:flex-end;gap:8px;margin-top:28px}
.button{display:inline-block;padding:9px 24px;border-radius:20px;text-decoration:none;font-weight:500}
.primary{background:#0b57d0;color:#fff}.secondary{color:#0b57d0}
.button:focus,.link:focus{outline:2px solid #0b57d0;outline-offset:2px}
.link{color:#0b57d0}
code{background:#f1f3f4;padding:1px 4px;border-radius:4px}
`;
