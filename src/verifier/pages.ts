/**
 * Every page the verifier can end on. Each says what happened and what to do next; none carries a
 * token, a code, a flow id or the state. Pure: (inputs) → page. All text is HTML-escaped when
 * rendered, so a Slack display name cannot inject markup.
 */

/** A result page before rendering. */
export interface VerifierPage {
  status: number;
  /** Drives the icon: done, stopped for the person's safety, or a problem on our side. */
  tone: 'done' | 'stopped' | 'problem';
  title: string;
  paragraphs: string[];
}

/** Who signed in, as shown back to them. */
export interface SignedInAs {
  name?: string;
  teamName?: string;
}

const RUN_INBOX_AGAIN =
  'To connect your Gmail, go back to Slack, run /inbox and use the new Connect Gmail button.';
const NOTHING_CONNECTED = 'Nothing was connected.';

function who(person: SignedInAs): string {
  const name = person.name ? `as ${person.name}` : '';
  const team = person.teamName ? ` in the ${person.teamName} workspace` : '';
  return `${name}${team}`.trim() || 'with Slack';
}

/** Gmail is connected and Arcade did not name a page to continue on. */
export function connectedPage(): VerifierPage {
  return {
    status: 200,
    tone: 'done',
    title: 'Gmail connected',
    paragraphs: [
      'You confirmed who you are with Slack, and your Gmail is now connected to /inbox (read-only).',
      'You can close this tab. Your summary arrives in Slack in a moment.',
    ],
  };
}

/** The verifier URL was opened without the flow id Arcade adds. */
export function incompleteLinkPage(): VerifierPage {
  return {
    status: 400,
    tone: 'stopped',
    title: 'This link is incomplete',
    paragraphs: [
      'This page is the last step of connecting Gmail, and it is reached from Google’s consent screen, not opened directly.',
      `${NOTHING_CONNECTED} ${RUN_INBOX_AGAIN}`,
    ],
  };
}

/** The `state` Slack sent back was not signed by this app, or was altered. */
export function tamperedPage(): VerifierPage {
  return {
    status: 400,
    tone: 'stopped',
    title: 'This sign-in could not be checked',
    paragraphs: [
      'The sign-in link was changed on the way, or it did not come from this app, so it was refused.',
      `${NOTHING_CONNECTED} ${RUN_INBOX_AGAIN}`,
    ],
  };
}

/** The sign-in took longer than the state allows. */
export function expiredSignInPage(minutes: number): VerifierPage {
  return {
    status: 400,
    tone: 'stopped',
    title: 'This sign-in took too long',
    paragraphs: [
      `For your safety, signing in with Slack must be finished within ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      `${NOTHING_CONNECTED} ${RUN_INBOX_AGAIN}`,
    ],
  };
}

/** The state was used before: a reload, the back button, or a copied address. */
export function alreadyUsedPage(): VerifierPage {
  return {
    status: 400,
    tone: 'stopped',
    title: 'This sign-in link was already used',
    paragraphs: [
      'Each sign-in works only once. If you just connected Gmail, you are done: check Slack.',
      `Otherwise: ${RUN_INBOX_AGAIN}`,
    ],
  };
}

/** The browser that came back from Slack is not the one that left for it (no or foreign cookie). */
export function otherBrowserPage(): VerifierPage {
  return {
    status: 400,
    tone: 'stopped',
    title: 'Finish in the browser where you started',
    paragraphs: [
      'Signing in with Slack has to finish in the same browser that opened the Connect Gmail link. This one did not start it (or its cookies are blocked).',
      `${NOTHING_CONNECTED} ${RUN_INBOX_AGAIN} Open the link in your usual browser and finish every step there.`,
    ],
  };
}

/** The person pressed Cancel on Slack's sign-in page. */
export function cancelledPage(): VerifierPage {
  return {
    status: 200,
    tone: 'stopped',
    title: 'Sign-in cancelled',
    paragraphs: [
      'You cancelled signing in with Slack, so Gmail was not connected. The app needs that step to make sure the Gmail you chose is connected to you and nobody else.',
      RUN_INBOX_AGAIN,
    ],
  };
}

/** Slack refused or failed the sign-in. */
export function slackSignInFailedPage(referenceId: string): VerifierPage {
  return {
    status: 502,
    tone: 'problem',
    title: 'Slack could not confirm who you are',
    paragraphs: [
      `Signing in with Slack did not complete. ${NOTHING_CONNECTED}`,
      `Try again: ${RUN_INBOX_AGAIN} If it keeps happening, tell your Slack admin and quote reference ${referenceId}.`,
    ],
  };
}

/** The sign-in worked but did not prove what the Arcade id needs (a verified email). */
export function identityUnprovenPage(person: SignedInAs): VerifierPage {
  return {
    status: 403,
    tone: 'stopped',
    title: 'Slack did not confirm your email address',
    paragraphs: [
      `You signed in ${who(person)}, but Slack did not share a verified email address, which this app uses to tell people apart.`,
      `${NOTHING_CONNECTED} Please ask your Slack admin for help.`,
    ],
  };
}

/**
 * The signed-in person has no Connect link outstanding from this app: the link was started by
 * someone else, or theirs lapsed. Arcade is not even asked.
 */
export function notYourLinkPage(person: SignedInAs): VerifierPage {
  return {
    status: 403,
    tone: 'stopped',
    title: 'This Connect Gmail link is not yours',
    paragraphs: [
      `You signed in ${who(person)}, but there is no Connect Gmail request from you in progress. Either someone else started this link (a link only works for the person who asked for it), or your own link has expired.`,
      'Your Gmail was not connected to anyone. If someone sent you this link, do not use it, and tell your Slack admin.',
      RUN_INBOX_AGAIN,
    ],
  };
}

/** Arcade says the flow belongs to another user: the forwarded-link attack, refused. */
export function someoneElsesLinkPage(person: SignedInAs): VerifierPage {
  return {
    status: 403,
    tone: 'stopped',
    title: 'This Connect Gmail link belongs to someone else',
    paragraphs: [
      `You signed in ${who(person)}, but this link was started by a different person. A link only works for the person who asked for it.`,
      'Your Gmail was not connected to their account. If someone sent you this link, do not use it, and tell your Slack admin.',
      RUN_INBOX_AGAIN,
    ],
  };
}

/** Arcade no longer awaits this flow: it expired or was finished already. */
export function linkExpiredPage(): VerifierPage {
  return {
    status: 410,
    tone: 'stopped',
    title: 'This Connect Gmail link has expired or was already used',
    paragraphs: [`${NOTHING_CONNECTED} ${RUN_INBOX_AGAIN}`],
  };
}

/** Arcade rejected the app's key: only an admin can fix it. */
export function misconfiguredPage(referenceId: string): VerifierPage {
  return {
    status: 500,
    tone: 'problem',
    title: 'The app is misconfigured',
    paragraphs: [
      `Arcade rejected this app’s API key, so Gmail could not be connected. Please tell your Slack admin and quote reference ${referenceId}.`,
    ],
  };
}

/** Arcade or Slack is down, or the verifier is overloaded. */
export function unavailablePage(referenceId: string): VerifierPage {
  return {
    status: 503,
    tone: 'problem',
    title: 'Something isn’t answering right now',
    paragraphs: [
      `Gmail could not be connected because a service this app relies on did not answer. ${NOTHING_CONNECTED}`,
      `Wait a minute, then: ${RUN_INBOX_AGAIN} (reference ${referenceId})`,
    ],
  };
}

/** Anything unexpected. */
export function unexpectedPage(referenceId: string): VerifierPage {
  return {
    status: 500,
    tone: 'problem',
    title: 'Something went wrong',
    paragraphs: [
      `${NOTHING_CONNECTED} Please try again: ${RUN_INBOX_AGAIN} If it keeps happening, tell your Slack admin and quote reference ${referenceId}.`,
    ],
  };
}

/** The page shown while the browser is sent on, for the rare browser that does not follow a 303. */
export function continuePage(): VerifierPage {
  return {
    status: 303,
    tone: 'done',
    title: 'Continuing…',
    paragraphs: ['If nothing happens, use the link in your browser’s address bar.'],
  };
}

const ICONS: Record<VerifierPage['tone'], string> = { done: '✅', stopped: '⛔', problem: '⚠️' };

/** The page as a complete HTML document; every text is escaped. */
export function renderPage(page: VerifierPage): string {
  const paragraphs = page.paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(page.title)} · /inbox</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1d1c1d}h1{font-size:1.4rem}</style>
</head>
<body>
<h1>${ICONS[page.tone]} ${escapeHtml(page.title)}</h1>
${paragraphs}
</body>
</html>
`;
}

/** Escapes the five HTML-significant characters. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
