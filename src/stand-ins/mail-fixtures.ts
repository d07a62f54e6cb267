/**
 * Sample Gmail messages for the Gmail stand-in, shaped as Gmail stores them: headers as sent,
 * `snippet` HTML-entity-escaped, `internalDate` a string of epoch milliseconds. Every function
 * returns fresh objects, so a test may change what it gets.
 */
import type { FakeMessage } from './gmail-stand-in';

/** The time the fixtures are dated from (2026-03-02 09:00 UTC); the newest generated message has it. */
export const FIXTURE_NOW = Date.UTC(2026, 2, 2, 9, 0, 0);

const MINUTE = 60_000;

/** People (no bulk headers, Gmail's Primary tab): `makeMessages` is mail a person wrote. */
const SENDERS = [
  '"Alice Example" <alice@example.com>',
  'Bob Builder <bob@builder.example>',
  '"Hana Kim" <hana.kim@widgets.example>',
  '"Dr. Carol O\'Neil" <carol.oneil@hospital.example>',
  'dave@example.org',
  '"Łukasz Żółć" <lukasz@example.pl>',
  '"Maya Patel" <maya@accounts.example>',
  '"Sam Ortiz" <sam@design.example>',
];

const SUBJECTS = [
  'Quarterly report draft',
  'Re: Lunch on Thursday?',
  'Flaky test in CI: can you take a look?',
  'Your appointment is confirmed',
  'Fwd: photos from the trip',
  'Spotkanie w przyszłym tygodniu',
  'Invoice #20260302 for February',
  'Design review on Tuesday at 14:00',
];

/** Snippets as Gmail sends them: `&#39;`, `&amp;`, `&quot;`, `&lt;`/`&gt;` escaped. */
const SNIPPETS = [
  'Hi team, attached is the draft for Q1. Let me know what you think &amp; I&#39;ll fold in comments by Friday.',
  'Sounds good! I&#39;m free after 12. How about the &quot;new&quot; place on Main St?',
  'The retry test fails one run in ten on main. I&#39;ve attached the log &amp; a guess at the cause.',
  'Dear patient, your appointment on March 5 at 10:30 is confirmed. Reply &quot;C&quot; to cancel.',
  '---------- Forwarded message --------- From: Eve &lt;eve@example.com&gt; Here are the photos!',
  'Cześć, czy możemy przesunąć spotkanie na środę? Pozdrawiam, Łukasz',
  'Hi, attached is the invoice for February. Amount due: $42.00. Thanks!',
  'Shall we go through the new layout on Tuesday at 14:00? I&#39;ll bring the mock-ups.',
];

/** Labels for generated messages: every third one is read, the rest unread; all in Primary. */
function labelsFor(index: number): string[] {
  return index % 3 === 2 ? ['INBOX', 'CATEGORY_PERSONAL'] : ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'];
}

/** A 16-hex-digit id, as Gmail's look; `prefix` keeps named fixtures apart from generated ones. */
function gmailId(prefix: string, index: number): string {
  return `${prefix}${index.toString(16).padStart(16 - prefix.length, '0')}`;
}

/** An RFC 2822 `Date` header value for epoch milliseconds. */
export function rfc2822Date(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/** Headers every message carries, plus the ones given (order kept, as Gmail keeps it). */
function headersFor(
  id: string,
  ms: number,
  fields: { from?: string; subject?: string; to?: string },
): FakeMessage['headers'] {
  const headers: FakeMessage['headers'] = [
    { name: 'Delivered-To', value: 'me@example.com' },
    { name: 'Date', value: rfc2822Date(ms) },
  ];
  if (fields.from !== undefined) headers.push({ name: 'From', value: fields.from });
  headers.push({ name: 'To', value: fields.to ?? 'Me <me@example.com>' });
  if (fields.subject !== undefined) headers.push({ name: 'Subject', value: fields.subject });
  headers.push({ name: 'Message-ID', value: `<${id}.fixture@mail.example.com>` });
  return headers;
}

function message(
  id: string,
  ms: number,
  fields: {
    from?: string;
    subject?: string;
    snippet: string;
    labelIds: string[];
    threadId?: string;
    /** Added after the common ones, as bulk mailers add theirs. */
    extraHeaders?: FakeMessage['headers'];
  },
): FakeMessage {
  const headers = [...headersFor(id, ms, fields), ...(fields.extraHeaders ?? [])];
  return {
    id,
    threadId: fields.threadId ?? id,
    labelIds: fields.labelIds,
    snippet: fields.snippet,
    internalDate: String(ms),
    headers,
    sizeEstimate: 2048 + JSON.stringify(headers).length + fields.snippet.length,
  };
}

/**
 * `n` realistic messages from people (Primary tab, no bulk headers, each its own conversation),
 * newest first, 17 minutes apart from FIXTURE_NOW; two in three are unread.
 * `overrides` applies to every message, or per index when a function.
 */
export function makeMessages(
  n: number,
  overrides?: Partial<FakeMessage> | ((index: number) => Partial<FakeMessage>),
): FakeMessage[] {
  return Array.from({ length: n }, (_, index) => {
    const pick = <T>(list: T[]): T => list[index % list.length] as T;
    const base = message(gmailId('19c', index), FIXTURE_NOW - index * 17 * MINUTE, {
      from: pick(SENDERS),
      subject: pick(SUBJECTS),
      snippet: pick(SNIPPETS),
      labelIds: labelsFor(index),
    });
    return { ...base, ...(typeof overrides === 'function' ? overrides(index) : overrides) };
  });
}

const RLO = '\u202e';
const PDF = '\u202c';
const ZWSP = '\u200b';
const ZWNJ = '\u200c';
const CGJ = '\u034f';

/** The raw strings inside `hostileMessage()`, so tests can assert none of them reaches Slack unescaped. */
export const HOSTILE = {
  from: `"<!channel> *IT Desk* <@U123>" <it-desk@evil.example>`,
  subject: `<!channel> *bold* <@U123> Verify now: <https://evil.example|Click to verify> ${RLO}fdp.exe${PDF} a${ZWSP}d${ZWSP}m${ZWSP}i${ZWSP}n &amp; more`,
  /** As Gmail sends it: `<`, `>`, `&`, `'`, `"` entity-escaped, with preheader padding characters. */
  snippet: `&lt;!channel&gt; Your mailbox is full &amp; will be closed. It&#39;s urgent: &lt;https://evil.example|Click to verify&gt; *bold* &lt;@U123&gt; &lt;!here&gt; ${RLO}gnp.exe${PDF}${ZWNJ}${CGJ}${ZWNJ}${CGJ}${ZWSP}`,
  /** The snippet once Gmail's entities are decoded (padding characters still in). */
  snippetDecoded: `<!channel> Your mailbox is full & will be closed. It's urgent: <https://evil.example|Click to verify> *bold* <@U123> <!here> ${RLO}gnp.exe${PDF}${ZWNJ}${CGJ}${ZWNJ}${CGJ}${ZWSP}`,
} as const;

/** A phishing-style message whose From, Subject and snippet try Slack mentions, links, mrkdwn and bidi tricks. */
export function hostileMessage(): FakeMessage {
  return message('a0000000000000a1', FIXTURE_NOW - 5 * MINUTE, {
    from: HOSTILE.from,
    subject: HOSTILE.subject,
    snippet: HOSTILE.snippet,
    // Phishing that got past the filters lands in Primary, where a summary shows it in full.
    labelIds: ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'],
  });
}

/** A message whose Subject is exactly 5,000 characters (Slack caps a section's text at 3,000). */
export function longSubjectMessage(): FakeMessage {
  const words = 'Re: Fwd: Minutes of the very long planning meeting about the roadmap for next year, part ';
  const subject = words.repeat(Math.ceil(5000 / words.length)).slice(0, 5000);
  return message('a0000000000000a2', FIXTURE_NOW - 6 * MINUTE, {
    from: '"Planning Bot" <planning@example.com>',
    subject,
    snippet: 'Attendees: everyone. Agenda: everything. Action items below.',
    labelIds: ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'],
  });
}

/** A message with neither a Subject nor a From header (and an empty snippet). */
export function headerlessMessage(): FakeMessage {
  return message('a0000000000000a3', FIXTURE_NOW - 7 * MINUTE, {
    snippet: '',
    labelIds: ['INBOX', 'UNREAD'],
  });
}

/** An unread message (labels INBOX, UNREAD, IMPORTANT). */
export function unreadMessage(): FakeMessage {
  return message('a0000000000000a4', FIXTURE_NOW - 8 * MINUTE, {
    from: '"Alice Example" <alice@example.com>',
    subject: 'Can you review my PR today?',
    snippet: 'It&#39;s small, promise. Mostly renames &amp; a test.',
    labelIds: ['INBOX', 'UNREAD', 'IMPORTANT', 'CATEGORY_PERSONAL'],
  });
}

/** A read message (no UNREAD label). */
export function readMessage(): FakeMessage {
  return message('a0000000000000a5', FIXTURE_NOW - 9 * MINUTE, {
    from: 'Billing <no-reply@billing.example>',
    subject: 'Receipt for your payment',
    snippet: 'Thanks! We received your payment of $42.00.',
    labelIds: ['INBOX', 'CATEGORY_UPDATES'],
  });
}

/**
 * A conversation: `n` (default 3) messages sharing one threadId (the first message's id, as Gmail
 * does), replies after the first, newest reply unread.
 */
export function threadMessages(n = 3): FakeMessage[] {
  const people = ['"Alice Example" <alice@example.com>', 'Bob Builder <bob@builder.example>'];
  const threadId = gmailId('a1', 0);
  return Array.from({ length: n }, (_, index) => {
    const id = gmailId('a1', index);
    const fixture = message(id, FIXTURE_NOW - 60 * MINUTE + index * 10 * MINUTE, {
      threadId,
      from: people[index % people.length],
      subject: index === 0 ? 'Offsite planning' : 'Re: Offsite planning',
      snippet:
        index === 0 ? 'Where should we go this year?' : `Reply ${index}: what about the lake? I&#39;m in.`,
      labelIds: index === n - 1 ? ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'] : ['INBOX', 'CATEGORY_PERSONAL'],
    });
    if (index > 0) {
      const parent = `<${threadId}.fixture@mail.example.com>`;
      fixture.headers.push({ name: 'In-Reply-To', value: parent }, { name: 'References', value: parent });
    }
    return fixture;
  });
}

/** Every named fixture above in one list (distinct ids), e.g. for a mailbox that exercises them all. */
export function namedFixtures(): FakeMessage[] {
  return [
    hostileMessage(),
    longSubjectMessage(),
    headerlessMessage(),
    unreadMessage(),
    readMessage(),
    ...threadMessages(),
  ];
}

/**
 * Headers as the senders' mailers write them (names, order and values taken from real messages of
 * each kind, addresses changed), for the classification rules to be tested on.
 */
export const REAL_HEADERS = {
  /** A GitHub notification: a list per repository, with one-click unsubscribe. */
  github: (repo: string, token: string): FakeMessage['headers'] => [
    { name: 'Reply-To', value: `${repo} <reply+${token}@reply.github.com>` },
    { name: 'List-ID', value: `${repo} <${repo.split('/').reverse().join('.')}.github.com>` },
    { name: 'List-Archive', value: `https://github.com/${repo}` },
    { name: 'List-Post', value: `<mailto:reply+${token}@reply.github.com>` },
    {
      name: 'List-Unsubscribe',
      value: `<mailto:unsub+${token}@reply.github.com>, <https://github.com/notifications/unsubscribe/${token}>`,
    },
    { name: 'X-GitHub-Reason', value: 'review_requested' },
    { name: 'Precedence', value: 'list' },
  ],
  /** A newsletter: List-Unsubscribe with RFC 8058 one-click, and `Precedence: bulk`. */
  newsletter: (domain: string): FakeMessage['headers'] => [
    { name: 'List-Unsubscribe', value: `<https://${domain}/unsubscribe?u=8f2a>, <mailto:leave@${domain}>` },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    { name: 'List-Id', value: `Weekly issue <weekly.${domain}>` },
    { name: 'Precedence', value: 'bulk' },
    { name: 'Feedback-ID', value: `212:weekly:${domain}:esp` },
  ],
  /** A machine-sent notice (RFC 3834): Google Calendar reminders, receipts, sign-in alerts. */
  generated: (): FakeMessage['headers'] => [{ name: 'Auto-Submitted', value: 'auto-generated' }],
  /** An out-of-office answer (RFC 3834 `auto-replied`), which also sends `Precedence: bulk` often. */
  autoReply: (): FakeMessage['headers'] => [
    { name: 'Auto-Submitted', value: 'auto-replied' },
    { name: 'X-Autoreply', value: 'yes' },
    { name: 'Precedence', value: 'bulk' },
  ],
  /** A person's reply: threading headers, nothing bulk. */
  reply: (parentMessageId: string): FakeMessage['headers'] => [
    { name: 'In-Reply-To', value: parentMessageId },
    { name: 'References', value: parentMessageId },
  ],
} as const;

/** A GitHub review request (Updates tab, unread). */
export function githubNotification(): FakeMessage {
  return message('a0000000000000b1', FIXTURE_NOW - 11 * MINUTE, {
    from: '"Marco Rossi" <notifications@github.com>',
    subject: 'Re: [acme/api] Retry storms on 503s (PR #1423)',
    snippet: '@grace requested your review on: acme/api#1423 Retry storms on 503s.',
    labelIds: ['INBOX', 'UNREAD', 'CATEGORY_UPDATES'],
    extraHeaders: REAL_HEADERS.github('acme/api', 'AB3C'),
  });
}

/** A Google Calendar invitation from a colleague (Primary, unread, no list headers; Gmail marks it important). */
export function calendarInvite(): FakeMessage {
  return message('a0000000000000b2', FIXTURE_NOW - 12 * MINUTE, {
    from: '"Priya Raman (Google Calendar)" <calendar-notification@google.com>',
    subject: 'Invitation: Launch go/no-go @ Thu 5 Mar 2026 16:00 - 16:30 (UTC)',
    snippet:
      'Priya Raman has invited you to Launch go/no-go. Join with Google Meet. Reply for me@example.com',
    labelIds: ['INBOX', 'UNREAD', 'IMPORTANT', 'CATEGORY_PERSONAL'],
    extraHeaders: [{ name: 'Reply-To', value: 'priya@acme.example' }],
  });
}

/** A newsletter with List-Unsubscribe (Promotions, unread). */
export function newsletterMessage(): FakeMessage {
  return message('a0000000000000b3', FIXTURE_NOW - 13 * MINUTE, {
    from: '"The Weekly Byte" <newsletter@weeklybyte.example>',
    subject: 'Issue #212: Postgres 18, HTTP/3 in practice, and a farewell to jQuery',
    snippet: 'This week: what&#39;s new in Postgres 18 and 5 links worth your time.',
    labelIds: ['INBOX', 'UNREAD', 'CATEGORY_PROMOTIONS'],
    extraHeaders: REAL_HEADERS.newsletter('weeklybyte.example'),
  });
}

/** A person's unread reply in a conversation (Primary). */
export function personReply(): FakeMessage {
  return message('a0000000000000b4', FIXTURE_NOW - 14 * MINUTE, {
    threadId: 'a0000000000000b0',
    from: '"Jordan Lee" <jordan@partner.example>',
    subject: 'Re: Contract redlines (v3)',
    snippet: 'Thanks, that works for us. Can you confirm the liability cap by Friday?',
    labelIds: ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'],
    extraHeaders: REAL_HEADERS.reply('<a0000000000000b0.fixture@mail.example.com>'),
  });
}

/** An out-of-office reply from a person's address (Primary, unread). */
export function autoReplyMessage(): FakeMessage {
  return message('a0000000000000b5', FIXTURE_NOW - 15 * MINUTE, {
    from: '"Marco Rossi" <marco@acme.example>',
    subject: 'Automatic reply: Launch checklist for Thursday',
    snippet: 'I&#39;m out of the office until Monday with limited access to email.',
    labelIds: ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'],
    extraHeaders: REAL_HEADERS.autoReply(),
  });
}

/** One hand-written sample: minutes before FIXTURE_NOW, headers, snippet as Gmail sends it, labels. */
interface Sample {
  minutesAgo: number;
  from: string;
  subject: string;
  snippet: string;
  unread: boolean;
  category: string;
  /** STARRED, IMPORTANT. */
  labels?: string[];
  headers?: FakeMessage['headers'];
  /** Index of the sample whose thread this one replies to. */
  replyTo?: number;
}

const LAUNCH_THREAD = 'Launch checklist for Thursday';
const PRIYA = '"Priya Raman" <priya@acme.example>';
const MARCO = '"Marco Rossi" <marco@acme.example>';
const LENA = '"Lena Fischer" <lena@acme.example>';

const SAMPLES: readonly Sample[] = [
  // 0-5: a long conversation, the newest reply unread.
  {
    minutesAgo: 300,
    from: PRIYA,
    subject: LAUNCH_THREAD,
    snippet: 'Hi all, here&#39;s the checklist for Thursday. Please add anything I missed by end of day.',
    unread: false,
    category: 'CATEGORY_PERSONAL',
  },
  {
    minutesAgo: 240,
    from: MARCO,
    subject: `Re: ${LAUNCH_THREAD}`,
    snippet: 'Added the rollback plan. Who owns the status page copy?',
    unread: false,
    category: 'CATEGORY_PERSONAL',
    replyTo: 0,
  },
  {
    minutesAgo: 150,
    from: LENA,
    subject: `Re: ${LAUNCH_THREAD}`,
    snippet: 'I can take the status page. Draft by tomorrow noon.',
    unread: false,
    category: 'CATEGORY_PERSONAL',
    replyTo: 0,
  },
  {
    minutesAgo: 90,
    from: MARCO,
    subject: `Re: ${LAUNCH_THREAD}`,
    snippet: 'Legal says they need the final copy 24 hours ahead.',
    unread: false,
    category: 'CATEGORY_PERSONAL',
    replyTo: 0,
  },
  {
    minutesAgo: 40,
    from: LENA,
    subject: `Re: ${LAUNCH_THREAD}`,
    snippet: 'Status page draft is in the doc. Comments welcome.',
    unread: true,
    category: 'CATEGORY_PERSONAL',
    replyTo: 0,
  },
  {
    minutesAgo: 2,
    from: PRIYA,
    subject: `Re: ${LAUNCH_THREAD}`,
    snippet: 'Thanks! I&#39;ve updated the doc. Two open items: legal sign-off &amp; the status page copy.',
    unread: true,
    category: 'CATEGORY_PERSONAL',
    replyTo: 0,
  },
  // 6: starred and important, already read: the person flagged it.
  {
    minutesAgo: 1440,
    from: '"Jordan Lee" <jordan@partner.example>',
    subject: 'Contract redlines (v3): please review before Friday',
    snippet: 'Attached are our redlines. The only open point is &quot;Section 4.2 &lt;Liability&gt;&quot;.',
    unread: false,
    category: 'CATEGORY_PERSONAL',
    labels: ['STARRED', 'IMPORTANT'],
  },
  // 7: important (Gmail's guess), read.
  {
    minutesAgo: 200,
    from: '"Dana Whitfield" <dana@acme.example>',
    subject: 'Budget sign-off needed for Q2 hiring',
    snippet: 'Can you approve the two headcount requests in the sheet? Finance closes the quarter on Friday.',
    unread: false,
    category: 'CATEGORY_PERSONAL',
    labels: ['IMPORTANT'],
  },
  // 8: unread from a person, non-Latin.
  {
    minutesAgo: 95,
    from: '"田中 さくら" <sakura.tanaka@example.jp>',
    subject: '来週の打ち合わせについて',
    snippet: '田中です。来週の打ち合わせですが、水曜日の午後はいかがでしょうか。',
    unread: true,
    category: 'CATEGORY_PERSONAL',
  },
  // 9-10: read mail from people.
  {
    minutesAgo: 260,
    from: 'Finance <ap@acme.example>',
    subject: 'Expense report approved: €1,240.50',
    snippet: 'Your expense report &quot;Berlin offsite&quot; was approved and will be paid on the next run.',
    unread: false,
    category: 'CATEGORY_PERSONAL',
  },
  {
    minutesAgo: 2880,
    from: '"Sam Ortiz" <sam@design.example>',
    subject: 'Mock-ups for the new onboarding',
    snippet: 'Here are the three directions we talked about. No rush, next week is fine.',
    unread: false,
    category: 'CATEGORY_PERSONAL',
  },
  // 11-: bulk mail.
  {
    minutesAgo: 12,
    from: 'GitHub <notifications@github.com>',
    subject: '[acme/api] Release v2.14.0',
    snippet: 'v2.14.0 is out: faster pagination, a fix for retry storms on 503s, and 14 other changes.',
    unread: true,
    category: 'CATEGORY_UPDATES',
    headers: REAL_HEADERS.github('acme/api', 'R214'),
  },
  {
    minutesAgo: 33,
    from: '"Marco Rossi" <notifications@github.com>',
    subject: 'Re: [acme/api] Retry storms on 503s (PR #1423)',
    snippet: '@marco pushed 2 commits. CI is green &amp; ready for another look.',
    unread: true,
    category: 'CATEGORY_UPDATES',
    headers: REAL_HEADERS.github('acme/api', 'P1423'),
  },
  {
    minutesAgo: 75,
    from: 'GitHub <notifications@github.com>',
    subject: '[acme/web] Dependabot: bump undici from 7.2.0 to 7.3.1',
    snippet: 'Bumps undici from 7.2.0 to 7.3.1. Release notes: fixes a keep-alive leak.',
    unread: false,
    category: 'CATEGORY_UPDATES',
    headers: REAL_HEADERS.github('acme/web', 'D731'),
  },
  {
    minutesAgo: 25,
    from: '"Google Calendar" <calendar-notification@google.com>',
    subject: 'Notification: Sprint planning @ Mon 9 Mar 2026 10:00 - 11:00 (UTC)',
    snippet: 'This is a reminder for the following event. Sprint planning. Join with Google Meet.',
    unread: true,
    category: 'CATEGORY_UPDATES',
    headers: REAL_HEADERS.generated(),
  },
  {
    minutesAgo: 38,
    from: '"Parcel Tracking" <tracking@parcels.example>',
    subject: '\u{1F4E6} Your order has shipped',
    snippet: 'Good news! Order #A-20931 is on its way &amp; should arrive on Thursday.',
    unread: false,
    category: 'CATEGORY_UPDATES',
    headers: REAL_HEADERS.generated(),
  },
  {
    minutesAgo: 180,
    from: '"Account Security" <no-reply@accounts.example>',
    subject: 'Security alert: new sign-in on Linux',
    snippet:
      'We noticed a new sign-in from Chrome on Linux. If this was you, you don&#39;t need to do anything.',
    unread: false,
    category: 'CATEGORY_UPDATES',
    headers: REAL_HEADERS.generated(),
  },
  {
    minutesAgo: 70,
    from: '"The Weekly Byte" <newsletter@weeklybyte.example>',
    subject: 'Issue #212: Postgres 18, HTTP/3 in practice, and a farewell to jQuery',
    snippet:
      'This week: what&#39;s new in Postgres 18, &quot;HTTP/3 in practice&quot;, and 5 links worth your time.',
    unread: false,
    category: 'CATEGORY_PROMOTIONS',
    headers: REAL_HEADERS.newsletter('weeklybyte.example'),
  },
  {
    minutesAgo: 130,
    from: '"Northwind Outfitters" <deals@northwind.example>',
    subject: 'Last day: 30% off rain jackets \u2614',
    snippet: 'Our spring sale ends tonight. Free returns on every order.',
    unread: true,
    category: 'CATEGORY_PROMOTIONS',
    headers: REAL_HEADERS.newsletter('northwind.example'),
  },
  {
    minutesAgo: 160,
    from: '"LinkedIn" <messages-noreply@linkedin.example>',
    subject: 'You appeared in 14 searches this week',
    snippet: 'See who&#39;s looking at your profile and what they searched for.',
    unread: true,
    category: 'CATEGORY_SOCIAL',
    headers: REAL_HEADERS.newsletter('linkedin.example'),
  },
  {
    minutesAgo: 210,
    from: '"Rust Users Forum" <forum@users.rust.example>',
    subject: '[Rust Users] Summary: 5 new topics this week',
    snippet: 'Popular: &quot;Why is my async fn not Send?&quot; and 4 more topics.',
    unread: false,
    category: 'CATEGORY_FORUMS',
    headers: REAL_HEADERS.newsletter('users.rust.example'),
  },
  {
    minutesAgo: 50,
    from: '"Marco Rossi" <marco@acme.example>',
    subject: 'Automatic reply: Budget sign-off needed for Q2 hiring',
    snippet: 'I&#39;m out of the office until Monday with limited access to email.',
    unread: true,
    category: 'CATEGORY_PERSONAL',
    headers: REAL_HEADERS.autoReply(),
  },
  {
    minutesAgo: 400,
    from: 'People Team <people@acme.example>',
    subject: 'Reminder: update your emergency contact',
    snippet: 'It takes a minute and helps us reach the right person if we ever need to.',
    unread: false,
    category: 'CATEGORY_PERSONAL',
    headers: [
      { name: 'List-Id', value: 'all-staff <all.acme.example>' },
      { name: 'Precedence', value: 'list' },
    ],
  },
];

/**
 * A realistic working inbox for demos: a six-message conversation, starred and important mail, mail
 * from people read and unread, GitHub notifications, a calendar reminder, newsletters, social and
 * forum mail, an out-of-office reply, a non-Latin and an emoji subject, entities in snippets, spread
 * over two days before FIXTURE_NOW. Ids ('b0…') are distinct from every other fixture's. Fresh objects.
 */
export function sampleMessages(): FakeMessage[] {
  const ids = SAMPLES.map((_, index) => gmailId('b0', index));
  return SAMPLES.map((sample, index) => {
    const id = ids[index] as string;
    const threadId = sample.replyTo === undefined ? id : (ids[sample.replyTo] as string);
    const parent = `<${threadId}.fixture@mail.example.com>`;
    return message(id, FIXTURE_NOW - sample.minutesAgo * MINUTE, {
      threadId,
      from: sample.from,
      subject: sample.subject,
      snippet: sample.snippet,
      labelIds: ['INBOX', ...(sample.unread ? ['UNREAD'] : []), ...(sample.labels ?? []), sample.category],
      extraHeaders: [
        ...(sample.replyTo !== undefined ? REAL_HEADERS.reply(parent) : []),
        ...(sample.headers ?? []),
      ],
    });
  });
}

/** Only bulk mail: what a summary of an inbox holding nothing but newsletters looks like. */
export function bulkOnlyMessages(): FakeMessage[] {
  return sampleMessages().filter((m) =>
    m.labelIds.some((l) => /^CATEGORY_(UPDATES|PROMOTIONS|SOCIAL|FORUMS)$/.test(l)),
  );
}
