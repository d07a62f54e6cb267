/**
 * Slack mrkdwn for the sandbox page: text → tokens → DOM nodes.
 * https://docs.slack.dev/messaging/formatting-message-text
 *
 * Tokens are found on the text exactly as the app sent it, and `&amp;` `&lt;` `&gt;` are decoded
 * only afterwards, inside each token's text: an email that says "<!channel>" arrives as
 * "&lt;!channel&gt;", is never read as a token, and is shown as those characters. Every token
 * becomes DOM nodes with textContent; nothing is ever parsed as HTML.
 *
 * A classic script (no modules), so that the page and the unit tests (node:vm) load it the same
 * way: it defines `globalThis.SlackMrkdwn`.
 */
(() => {
  const ENTITIES = { amp: '&', lt: '<', gt: '>' };
  const EMPHASIS = { '*': 'bold', _: 'italic', '~': 'strike' };
  const WORD = /[\p{L}\p{N}]/u;
  const SPACE = /\s/;
  /**
   * The shortcodes the app uses, and Slack's common ones; others stay as typed. Each is drawn with
   * its name as a label, and as its `:name:` text where the machine has no emoji font (see page.js),
   * so that no meaning rests on a glyph that may be an empty box.
   */
  const EMOJI = {
    inbox_tray: '\u{1F4E5}',
    outbox_tray: '\u{1F4E4}',
    large_blue_circle: '\u{1F535}',
    blue_circle: '\u{1F535}',
    red_circle: '\u{1F534}',
    white_circle: '\u26AA',
    black_circle: '\u26AB',
    large_green_circle: '\u{1F7E2}',
    large_yellow_circle: '\u{1F7E1}',
    lock: '\u{1F512}',
    unlock: '\u{1F513}',
    key: '\u{1F511}',
    warning: '\u26A0\uFE0F',
    white_check_mark: '\u2705',
    heavy_check_mark: '\u2714\uFE0F',
    ballot_box_with_check: '\u2611\uFE0F',
    x: '\u274C',
    heavy_minus_sign: '\u2796',
    heavy_plus_sign: '\u2795',
    hourglass: '\u231B',
    hourglass_flowing_sand: '\u23F3',
    alarm_clock: '\u23F0',
    clock9: '\u{1F558}',
    calendar: '\u{1F4C6}',
    date: '\u{1F4C5}',
    spiral_calendar_pad: '\u{1F5D3}\uFE0F',
    arrows_counterclockwise: '\u{1F504}',
    repeat: '\u{1F501}',
    cloud: '\u2601\uFE0F',
    mag: '\u{1F50D}',
    sparkles: '\u2728',
    robot_face: '\u{1F916}',
    memo: '\u{1F4DD}',
    pushpin: '\u{1F4CC}',
    paperclip: '\u{1F4CE}',
    star: '\u2B50',
    star2: '\u{1F31F}',
    bell: '\u{1F514}',
    no_bell: '\u{1F515}',
    no_entry: '\u26D4',
    no_entry_sign: '\u{1F6AB}',
    information_source: '\u2139\uFE0F',
    bulb: '\u{1F4A1}',
    fire: '\u{1F525}',
    zap: '\u26A1',
    wave: '\u{1F44B}',
    tada: '\u{1F389}',
    eyes: '\u{1F440}',
    thumbsup: '\u{1F44D}',
    '+1': '\u{1F44D}',
    thumbsdown: '\u{1F44E}',
    '-1': '\u{1F44E}',
    envelope: '\u2709\uFE0F',
    exclamation: '\u2757',
    speech_balloon: '\u{1F4AC}',
    busts_in_silhouette: '\u{1F465}',
    label: '\u{1F3F7}\uFE0F',
    newspaper: '\u{1F4F0}',
    email: '\u{1F4E7}',
    incoming_envelope: '\u{1F4E8}',
    mailbox: '\u{1F4EB}',
    mailbox_with_mail: '\u{1F4EC}',
    mailbox_with_no_mail: '\u{1F4ED}',
    package: '\u{1F4E6}',
    bust_in_silhouette: '\u{1F464}',
    link: '\u{1F517}',
    gear: '\u2699\uFE0F',
    shield: '\u{1F6E1}\uFE0F',
    rocket: '\u{1F680}',
    point_right: '\u{1F449}',
    arrow_right: '\u27A1\uFE0F',
    small_blue_diamond: '\u{1F539}',
    small_orange_diamond: '\u{1F538}',
    bookmark: '\u{1F516}',
    chart_with_upwards_trend: '\u{1F4C8}',
    stopwatch: '\u23F1\uFE0F',
    zzz: '\u{1F4A4}',
  };
  const SAFE_URL = /^(https?:|mailto:)/i;

  /** Slack's three entities, decoded in one pass so that "&amp;lt;" stays "&lt;". */
  function decode(text) {
    return text.replace(/&(amp|lt|gt);/g, (_match, name) => ENTITIES[name]);
  }

  /**
   * mrkdwn → tokens: {type:'text'|'code'|'pre', text}, {type:'bold'|'italic'|'strike', children},
   * {type:'br'}, {type:'emoji', name, text}, {type:'link', url, text}, {type:'user'|'channel', id, label},
   * {type:'broadcast', name}, {type:'usergroup', label}, {type:'date', seconds, format, link, fallback}.
   */
  function parse(source) {
    const s = String(source ?? '');
    const out = [];
    let buffer = '';
    const flush = () => {
      if (buffer) out.push({ type: 'text', text: decode(buffer) });
      buffer = '';
    };
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      if (c === '\n') {
        flush();
        out.push({ type: 'br' });
        i += 1;
        continue;
      }
      if (c === '<') {
        const end = s.indexOf('>', i + 1);
        if (end > i + 1 && !s.slice(i + 1, end).includes('\n')) {
          flush();
          out.push(angle(s.slice(i + 1, end)));
          i = end + 1;
          continue;
        }
      }
      if (s.startsWith('```', i)) {
        const end = s.indexOf('```', i + 3);
        if (end >= 0) {
          flush();
          out.push({ type: 'pre', text: decode(s.slice(i + 3, end)) });
          i = end + 3;
          continue;
        }
      }
      if (c === '`') {
        const end = s.indexOf('`', i + 1);
        if (end > i + 1 && !s.slice(i + 1, end).includes('\n')) {
          flush();
          out.push({ type: 'code', text: decode(s.slice(i + 1, end)) });
          i = end + 1;
          continue;
        }
      }
      if (EMPHASIS[c] && canOpen(s, i)) {
        const end = findClose(s, i);
        if (end > 0) {
          flush();
          out.push({ type: EMPHASIS[c], children: parse(s.slice(i + 1, end)) });
          i = end + 1;
          continue;
        }
      }
      if (c === ':') {
        const match = /^:([a-z0-9_+-]+):/.exec(s.slice(i, i + 64));
        if (match && Object.hasOwn(EMOJI, match[1])) {
          flush();
          out.push({ type: 'emoji', name: match[1], text: EMOJI[match[1]] });
          i += match[0].length;
          continue;
        }
      }
      buffer += c;
      i += 1;
    }
    flush();
    return out;
  }

  /** Plain text (a `plain_text` object): shown as is, with emoji shortcodes when `emoji` allows. */
  function parsePlain(source, emoji) {
    const s = String(source ?? '');
    if (emoji === false) return [{ type: 'text', text: s }];
    const out = [];
    let last = 0;
    for (const match of s.matchAll(/:([a-z0-9_+-]+):/g)) {
      if (!Object.hasOwn(EMOJI, match[1])) continue;
      if (match.index > last) out.push({ type: 'text', text: s.slice(last, match.index) });
      out.push({ type: 'emoji', name: match[1], text: EMOJI[match[1]] });
      last = match.index + match[0].length;
    }
    if (last < s.length) out.push({ type: 'text', text: s.slice(last) });
    return out;
  }

  /** An emphasis mark opens at a word's start and is followed by a non-space. */
  function canOpen(s, i) {
    const before = i === 0 ? '' : s[i - 1];
    const after = s[i + 1];
    return after !== undefined && !SPACE.test(after) && after !== s[i] && !(before && WORD.test(before));
  }

  /** The mark closing the one at `i` on the same line, skipping tokens and code spans; -1 if none. */
  function findClose(s, i) {
    const mark = s[i];
    for (let k = i + 1; k < s.length; k += 1) {
      const c = s[k];
      if (c === '\n') return -1;
      if (c === '<' || c === '`') {
        const end = s.indexOf(c === '<' ? '>' : '`', k + 1);
        if (end > k) {
          k = end;
          continue;
        }
      }
      if (c === mark && k > i + 1 && !SPACE.test(s[k - 1]) && !(k + 1 < s.length && WORD.test(s[k + 1]))) {
        return k;
      }
    }
    return -1;
  }

  /** The inside of `<…>`: a link, mention, broadcast or date. Anything else is shown as typed. */
  function angle(inner) {
    const bar = inner.indexOf('|');
    const target = bar < 0 ? inner : inner.slice(0, bar);
    const label = bar < 0 ? undefined : decode(inner.slice(bar + 1));
    if (target.startsWith('@')) return { type: 'user', id: target.slice(1), label };
    if (target.startsWith('#')) return { type: 'channel', id: target.slice(1), label };
    if (target.startsWith('!date^')) {
      const [, seconds, format, link] = target.split('^');
      return {
        type: 'date',
        seconds: Number(seconds),
        format: decode(format ?? ''),
        link: link === undefined ? undefined : decode(link),
        fallback: label ?? '',
      };
    }
    if (target.startsWith('!subteam^')) return { type: 'usergroup', label: label ?? '@group' };
    if (target.startsWith('!')) return { type: 'broadcast', name: target.slice(1) };
    const url = decode(target);
    if (SAFE_URL.test(url)) return { type: 'link', url, text: label ?? url };
    return { type: 'text', text: `<${decode(inner)}>` };
  }

  const DAY = 86_400_000;

  /**
   * A Slack date token's format (`{date_short_pretty} at {time}`) for epoch seconds, in `timeZone`
   * (default: the browser's, as Slack shows each reader their own). Unknown tokens stay as typed.
   */
  function formatDate(seconds, format, options = {}) {
    const ms = Number(seconds) * 1000;
    if (!Number.isFinite(ms)) return undefined;
    const now = options.now ?? Date.now();
    const zone = options.timeZone;
    const date = new Date(ms);
    const part = (opts) => new Intl.DateTimeFormat('en-US', { timeZone: zone, ...opts }).format(date);
    const dayKey = (at) =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(new Date(at));
    const pretty = (otherwise) => {
      const day = dayKey(ms);
      if (day === dayKey(now)) return 'Today';
      if (day === dayKey(now - DAY)) return 'Yesterday';
      if (day === dayKey(now + DAY)) return 'Tomorrow';
      return otherwise();
    };
    const long = () =>
      `${part({ month: 'long' })} ${ordinal(Number(part({ day: 'numeric' })))}, ${part({ year: 'numeric' })}`;
    const short = () => part({ month: 'short', day: 'numeric', year: 'numeric' });
    const withDay = () => `${part({ weekday: 'long' })}, ${long()}`;
    const tokens = {
      date_num: () => dayKey(ms),
      date: long,
      date_short: short,
      date_long: withDay,
      date_pretty: () => pretty(long),
      date_short_pretty: () => pretty(short),
      date_long_pretty: () => pretty(withDay),
      time: () => part({ hour: 'numeric', minute: '2-digit' }),
      time_secs: () => part({ hour: 'numeric', minute: '2-digit', second: '2-digit' }),
      ago: () => ago(now - ms),
    };
    return format.replace(/\{(\w+)\}/g, (match, name) =>
      Object.hasOwn(tokens, name) ? tokens[name]() : match,
    );
  }

  function ordinal(n) {
    const tens = n % 100;
    if (tens >= 11 && tens <= 13) return `${n}th`;
    return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`;
  }

  function ago(elapsed) {
    const future = elapsed < 0;
    const seconds = Math.round(Math.abs(elapsed) / 1000);
    const [value, unit] =
      seconds < 60
        ? [seconds, 'second']
        : seconds < 3600
          ? [Math.round(seconds / 60), 'minute']
          : seconds < 86_400
            ? [Math.round(seconds / 3600), 'hour']
            : [Math.round(seconds / 86_400), 'day'];
    const text = `${value} ${unit}${value === 1 ? '' : 's'}`;
    return future ? `in ${text}` : `${text} ago`;
  }

  /**
   * Tokens → a DocumentFragment. `context.userName(id)` / `context.channelName(id)` name mentions;
   * `context.timeZone` pins dates (tests). Links open in a new tab and only for http(s)/mailto.
   */
  function render(tokens, context = {}, doc = globalThis.document) {
    const fragment = doc.createDocumentFragment();
    for (const token of tokens) fragment.appendChild(node(token, context, doc));
    return fragment;
  }

  function element(doc, tag, className, text) {
    const el = doc.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function link(doc, url, child) {
    const a = doc.createElement('a');
    a.href = url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.appendChild(child);
    return a;
  }

  function node(token, context, doc) {
    switch (token.type) {
      case 'text':
        return doc.createTextNode(token.text);
      case 'br':
        return doc.createElement('br');
      case 'bold':
      case 'italic':
      case 'strike': {
        const el = doc.createElement({ bold: 'strong', italic: 'em', strike: 's' }[token.type]);
        el.appendChild(render(token.children, context, doc));
        return el;
      }
      case 'code':
        return element(doc, 'code', '', token.text);
      case 'pre':
        return element(doc, 'pre', '', token.text);
      case 'emoji': {
        const label = `:${token.name}:`;
        if (context.emojiAsText) return element(doc, 'span', 'emoji emoji-text', label);
        const el = element(doc, 'span', 'emoji', token.text);
        el.title = label;
        el.setAttribute?.('role', 'img');
        el.setAttribute?.('aria-label', label);
        return el;
      }
      case 'link':
        return link(doc, token.url, doc.createTextNode(token.text));
      case 'user':
        return element(doc, 'span', 'mention', `@${token.label ?? context.userName?.(token.id) ?? token.id}`);
      case 'channel':
        return element(
          doc,
          'span',
          'mention',
          `#${token.label ?? context.channelName?.(token.id) ?? token.id}`,
        );
      case 'broadcast':
        return element(doc, 'span', 'mention broadcast', `@${token.name}`);
      case 'usergroup':
        return element(doc, 'span', 'mention', token.label);
      case 'date': {
        const text = formatDate(token.seconds, token.format, {
          timeZone: context.timeZone,
          now: context.now,
        });
        if (text === undefined) return doc.createTextNode(token.fallback);
        const time = element(doc, 'time', '', text);
        time.dateTime = new Date(token.seconds * 1000).toISOString();
        time.title = token.fallback;
        return token.link && SAFE_URL.test(token.link) ? link(doc, token.link, time) : time;
      }
      default:
        return doc.createTextNode('');
    }
  }

  globalThis.SlackMrkdwn = { parse, parsePlain, decode, formatDate, render };
})();
