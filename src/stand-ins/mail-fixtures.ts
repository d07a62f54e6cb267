/**
 * Sample Gmail messages for the Gmail stand-in, shaped as Gmail stores them: headers as sent,
 * `snippet` HTML-entity-escaped, `internalDate` a string of epoch milliseconds. Every function
 * returns fresh objects, so a test may change what it gets.
 */
import type { FakeMessage } from './gmail-stand-in';

/** The time the fixtures are dated from (2026-03-02 09:00 UTC); the newest generated message has it. */
export const FIXTURE_NOW = Date.UTC(2026, 2, 2, 9, 0, 0);

const MINUTE = 60_000;

const SENDERS = [
  '"Alice Example" <alice@example.com>',
  'Bob Builder <bob@builder.example>',
  'GitHub <notifications@github.com>',
  '"Dr. Carol O\'Neil" <carol.oneil@hospital.example>',
  'dave@example.org',
  '"Łukasz Żółć" <lukasz@example.pl>',
  'Billing <no-reply@billing.example>',
  '"Team Calendar" <calendar-notification@google.com>',
];

const SUBJECTS = [
  'Quarterly report draft',
  'Re: Lunch on Thursday?',
  '[acme/widgets] Fix flaky test in CI (#1423)',
  'Your appointment is confirmed',
  'Fwd: photos from the trip',
  'Spotkanie w przyszłym tygodniu',
  'Your invoice #20260302 is ready',
  'Invitation: Design review @ Tue 3 Mar 2026 14:00 (UTC)',
];

/** Snippets as Gmail sends them: `&#39;`, `&amp;`, `&quot;`, `&lt;`/`&gt;` escaped. */
const SNIPPETS = [
  'Hi team, attached is the draft for Q1. Let me know what you think &amp; I&#39;ll fold in comments by Friday.',
  'Sounds good! I&#39;m free after 12. How about the &quot;new&quot; place on Main St?',
  '@alice approved these changes. CI is green &amp; ready to merge.',
  'Dear patient, your appointment on March 5 at 10:30 is confirmed. Reply &quot;C&quot; to cancel.',
  '---------- Forwarded message --------- From: Eve &lt;eve@example.com&gt; Here are the photos!',
  'Cześć, czy możemy przesunąć spotkanie na środę? Pozdrawiam, Łukasz',
  'Your invoice for February is ready. Amount due: $42.00. Thanks for your business!',
  'You have been invited to the following event. Design review. When: Tue 3 Mar 2026 14:00 – 15:00',
];

/** Labels for generated messages: every third one is read, the rest unread. */
function labelsFor(index: number): string[] {
  const category = index % 2 === 0 ? 'CATEGORY_PERSONAL' : 'CATEGORY_UPDATES';
  return index % 3 === 2 ? ['INBOX', category] : ['INBOX', 'UNREAD', category];
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
  fields: { from?: string; subject?: string; snippet: string; labelIds: string[]; threadId?: string },
): FakeMessage {
  const headers = headersFor(id, ms, fields);
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
 * `n` realistic messages, newest first, 17 minutes apart from FIXTURE_NOW; two in three are unread.
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
    labelIds: ['INBOX', 'UNREAD', 'CATEGORY_UPDATES'],
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
    labelIds: ['INBOX', 'UNREAD', 'CATEGORY_FORUMS'],
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

/** One hand-written sample: minutes before FIXTURE_NOW, headers, snippet as Gmail sends it, read or not. */
interface Sample {
  minutesAgo: number;
  from: string;
  subject: string;
  snippet: string;
  unread: boolean;
  category: string;
  /** Index of the sample whose thread this one replies to. */
  replyTo?: number;
}

const LAUNCH_THREAD = 'Launch checklist for Thursday';

const SAMPLES: readonly Sample[] = [
  {
    minutesAgo: 120,
    from: '"Priya Raman" <priya@acme.example>',
    subject: LAUNCH_THREAD,
    snippet: 'Hi all, here&#39;s the checklist for Thursday. Please add anything I missed by end of day.',
    unread: false,
    category: 'CATEGORY_PERSONAL',
  },
  {
    minutesAgo: 45,
    from: '"Marco Rossi" <marco@acme.example>',
    subject: `Re: ${LAUNCH_THREAD}`,
    snippet: 'Added the rollback plan. Who owns the status page copy?',
    unread: false,
    category: 'CATEGORY_PERSONAL',
    replyTo: 0,
  },
  {
    minutesAgo: 2,
    from: '"Priya Raman" <priya@acme.example>',
    subject: `Re: ${LAUNCH_THREAD}`,
    snippet: 'Thanks! I&#39;ve updated the doc. Two open items: legal sign-off &amp; the status page copy.',
    unread: true,
    category: 'CATEGORY_PERSONAL',
    replyTo: 0,
  },
  {
    minutesAgo: 12,
    from: 'GitHub <notifications@github.com>',
    subject: '[acme/api] Release v2.14.0',
    snippet: 'v2.14.0 is out: faster pagination, a fix for retry storms on 503s, and 14 other changes.',
    unread: true,
    category: 'CATEGORY_UPDATES',
  },
  {
    minutesAgo: 25,
    from: '"Google Calendar" <calendar-notification@google.com>',
    subject: 'Invitation: Sprint planning @ Monday 10:00 - 11:00 (UTC)',
    snippet: 'You have been invited to the following event. Sprint planning. Join with Google Meet.',
    unread: true,
    category: 'CATEGORY_UPDATES',
  },
  {
    minutesAgo: 38,
    from: '"Parcel Tracking" <tracking@parcels.example>',
    subject: '\u{1F4E6} Your order has shipped',
    snippet: 'Good news! Order #A-20931 is on its way &amp; should arrive on Thursday.',
    unread: false,
    category: 'CATEGORY_UPDATES',
  },
  {
    minutesAgo: 70,
    from: '"The Weekly Byte" <newsletter@weeklybyte.example>',
    subject: 'Issue #212: Postgres 18, HTTP/3 in practice, and a farewell to jQuery',
    snippet:
      'This week: what&#39;s new in Postgres 18, &quot;HTTP/3 in practice&quot;, and 5 links worth your time.',
    unread: false,
    category: 'CATEGORY_PROMOTIONS',
  },
  {
    minutesAgo: 95,
    from: '"田中 さくら" <sakura.tanaka@example.jp>',
    subject: '来週の打ち合わせについて',
    snippet: '田中です。来週の打ち合わせですが、水曜日の午後はいかがでしょうか。',
    unread: true,
    category: 'CATEGORY_PERSONAL',
  },
  {
    minutesAgo: 180,
    from: '"Account Security" <no-reply@accounts.example>',
    subject: 'Security alert: new sign-in on Linux',
    snippet:
      'We noticed a new sign-in from Chrome on Linux. If this was you, you don&#39;t need to do anything.',
    unread: false,
    category: 'CATEGORY_UPDATES',
  },
  {
    minutesAgo: 240,
    from: 'Finance <ap@acme.example>',
    subject: 'Expense report approved: €1,240.50',
    snippet: 'Your expense report &quot;Berlin offsite&quot; was approved and will be paid on the next run.',
    unread: false,
    category: 'CATEGORY_UPDATES',
  },
  {
    minutesAgo: 1440,
    from: '"Jordan Lee" <jordan@partner.example>',
    subject: 'Contract redlines (v3): please review before Friday',
    snippet: 'Attached are our redlines. The only open point is &quot;Section 4.2 &lt;Liability&gt;&quot;.',
    unread: true,
    category: 'CATEGORY_PERSONAL',
  },
  {
    minutesAgo: 2880,
    from: 'People Team <people@acme.example>',
    subject: 'Reminder: update your emergency contact',
    snippet: 'It takes a minute and helps us reach the right person if we ever need to.',
    unread: false,
    category: 'CATEGORY_UPDATES',
  },
];

/**
 * A realistic working inbox for demos: a three-message thread, notifications, a calendar invite, a
 * newsletter, a non-Latin and an emoji subject, entities in snippets, read and unread, spread over two
 * days before FIXTURE_NOW. Ids ('b0…') are distinct from every other fixture's. Fresh objects.
 */
export function sampleMessages(): FakeMessage[] {
  const ids = SAMPLES.map((_, index) => gmailId('b0', index));
  return SAMPLES.map((sample, index) => {
    const id = ids[index] as string;
    const threadId = sample.replyTo === undefined ? id : (ids[sample.replyTo] as string);
    const fixture = message(id, FIXTURE_NOW - sample.minutesAgo * MINUTE, {
      threadId,
      from: sample.from,
      subject: sample.subject,
      snippet: sample.snippet,
      labelIds: sample.unread ? ['INBOX', 'UNREAD', sample.category] : ['INBOX', sample.category],
    });
    if (sample.replyTo !== undefined) {
      const parent = `<${threadId}.fixture@mail.example.com>`;
      fixture.headers.push({ name: 'In-Reply-To', value: parent }, { name: 'References', value: parent });
    }
    return fixture;
  });
}
