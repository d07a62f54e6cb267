/**
 * Block Kit → DOM for the sandbox page, for messages and the Home tab alike: section (text, fields,
 * accessory), context, actions, header, divider, image (alt text only: nothing is loaded from the
 * internet), rich_text, and the interactive elements button (with its `confirm` dialog), link
 * button, overflow menu and static select. It draws the JSON exactly as the Slack stand-in received
 * it, so a new block the app starts sending shows up without a change here; a block it does not
 * know says so instead of vanishing. https://docs.slack.dev/reference/block-kit/blocks
 *
 * Interactive elements call `context.onAction(path)` with where they are ({blockIndex, element:
 * index | 'accessory', optionIndex?}); the page turns that into Slack's signed `block_actions`. A
 * `confirm` object is shown first through `context.confirm(dialog)` (a Promise of true/false).
 *
 * A classic script after mrkdwn.js; defines `globalThis.SlackBlockKit`.
 */
(() => {
  const mrkdwn = globalThis.SlackMrkdwn;
  const SAFE_URL = /^(https?:|mailto:)/i;

  function element(doc, tag, className, textContent) {
    const el = doc.createElement(tag);
    if (className) el.className = className;
    if (textContent !== undefined) el.textContent = textContent;
    return el;
  }

  /** A text object: mrkdwn is formatted, plain_text shown as is (emoji shortcodes aside). */
  function text(object, context, doc) {
    if (!object || typeof object.text !== 'string') return doc.createTextNode('');
    const tokens =
      object.type === 'mrkdwn' ? mrkdwn.parse(object.text) : mrkdwn.parsePlain(object.text, object.emoji);
    return mrkdwn.render(tokens, context, doc);
  }

  /** A text object's words, for labels and titles. */
  function plain(object) {
    return object && typeof object.text === 'string' ? object.text : '';
  }

  /** Runs `act` after the element's confirm dialog (if any) says yes; Slack sends nothing on "no". */
  function confirmed(spec, context, act) {
    if (!spec.confirm || typeof context.confirm !== 'function') return act();
    return Promise.resolve(context.confirm(spec.confirm)).then((yes) => (yes ? act() : undefined));
  }

  function report(el, path, context) {
    if (typeof context.onAction !== 'function') return undefined;
    el.classList?.add('busy');
    el.setAttribute?.('aria-busy', 'true');
    return Promise.resolve(context.onAction(path)).finally(() => {
      el.classList?.remove('busy');
      el.removeAttribute?.('aria-busy');
    });
  }

  function focusKey(el, path, context) {
    if (context.focusPrefix !== undefined) {
      el.dataset.focusKey = `${context.focusPrefix}:${path.blockIndex}:${path.element}`;
    }
  }

  /** A button: a link button opens its URL in a new tab (and Slack still tells the app). */
  function button(spec, path, context, doc) {
    const style = spec.style === 'primary' || spec.style === 'danger' ? ` ${spec.style}` : '';
    const url = typeof spec.url === 'string' && SAFE_URL.test(spec.url) ? spec.url : undefined;
    const hasUrl = typeof spec.url === 'string';
    const el = element(doc, url ? 'a' : 'button', `sk-button${style}`);
    el.appendChild(text(spec.text, context, doc));
    if (spec.action_id) el.dataset.actionId = spec.action_id;
    if (spec.accessibility_label) el.setAttribute?.('aria-label', spec.accessibility_label);
    focusKey(el, path, context);
    if (url) {
      el.href = url;
      el.target = '_blank';
      el.rel = 'noopener noreferrer';
      el.addEventListener('click', () => report(el, path, context));
    } else if (hasUrl) {
      // A URL that is not http(s)/mailto is never followed.
      el.type = 'button';
      el.disabled = true;
      el.title = 'This button links somewhere the sandbox does not open';
    } else {
      el.type = 'button';
      el.addEventListener('click', () => confirmed(spec, context, () => report(el, path, context)));
    }
    return el;
  }

  /** An overflow menu: a "…" button that opens a list of options; each option is a click. */
  function overflow(spec, path, context, doc) {
    const wrap = element(doc, 'span', 'sk-overflow');
    const toggle = element(doc, 'button', 'sk-button sk-overflow-toggle', '\u22EF');
    toggle.type = 'button';
    toggle.setAttribute?.('aria-label', 'More actions');
    toggle.setAttribute?.('aria-haspopup', 'menu');
    toggle.setAttribute?.('aria-expanded', 'false');
    focusKey(toggle, path, context);
    const menu = element(doc, 'div', 'sk-menu');
    menu.setAttribute?.('role', 'menu');
    menu.hidden = true;
    (Array.isArray(spec.options) ? spec.options : []).forEach((option, optionIndex) => {
      const item = element(doc, 'button', 'sk-menu-item');
      item.type = 'button';
      item.setAttribute?.('role', 'menuitem');
      item.appendChild(text(option.text, context, doc));
      item.addEventListener('click', () => {
        menu.hidden = true;
        toggle.setAttribute?.('aria-expanded', 'false');
        if (typeof option.url === 'string' && SAFE_URL.test(option.url)) {
          globalThis.open?.(option.url, '_blank', 'noopener,noreferrer');
        }
        return confirmed(spec, context, () => report(toggle, { ...path, optionIndex }, context));
      });
      menu.appendChild(item);
    });
    toggle.addEventListener('click', () => {
      menu.hidden = !menu.hidden;
      toggle.setAttribute?.('aria-expanded', String(!menu.hidden));
    });
    wrap.appendChild(toggle);
    wrap.appendChild(menu);
    return wrap;
  }

  /** A static select: a native select; choosing an option is a click. */
  function select(spec, path, context, doc) {
    const el = element(doc, 'select', 'sk-select');
    el.setAttribute?.('aria-label', plain(spec.placeholder) || 'Choose an option');
    focusKey(el, path, context);
    const placeholder = element(doc, 'option', '', plain(spec.placeholder) || 'Choose…');
    placeholder.value = '';
    el.appendChild(placeholder);
    const options = Array.isArray(spec.options) ? spec.options : [];
    options.forEach((option, optionIndex) => {
      const item = element(doc, 'option', '', plain(option.text));
      item.value = String(optionIndex);
      el.appendChild(item);
    });
    el.addEventListener('change', () => {
      if (el.value === '') return;
      const optionIndex = Number(el.value);
      return confirmed(spec, context, () => report(el, { ...path, optionIndex }, context));
    });
    return el;
  }

  function blockElement(spec, path, context, doc) {
    if (!spec || typeof spec !== 'object') return doc.createTextNode('');
    switch (spec.type) {
      case 'button':
        return button(spec, path, context, doc);
      case 'overflow':
        return overflow(spec, path, context, doc);
      case 'static_select':
        return select(spec, path, context, doc);
      case 'mrkdwn':
      case 'plain_text': {
        const span = element(doc, 'span', 'context-text');
        span.appendChild(text(spec, context, doc));
        return span;
      }
      case 'image':
        return element(doc, 'span', 'image-alt', `[image: ${spec.alt_text ?? ''}]`);
      default:
        return element(doc, 'span', 'unsupported', `[unsupported element: ${String(spec.type)}]`);
    }
  }

  /** rich_text's inline elements: text with a style, links, emoji, mentions, dates. */
  function richInline(item, context, doc) {
    if (!item || typeof item !== 'object') return doc.createTextNode('');
    let node;
    switch (item.type) {
      case 'text':
        node = doc.createTextNode(String(item.text ?? ''));
        break;
      case 'link': {
        const url = typeof item.url === 'string' && SAFE_URL.test(item.url) ? item.url : undefined;
        const label = doc.createTextNode(String(item.text ?? item.url ?? ''));
        if (!url) {
          node = label;
          break;
        }
        node = element(doc, 'a');
        node.href = url;
        node.target = '_blank';
        node.rel = 'noopener noreferrer';
        node.appendChild(label);
        break;
      }
      case 'emoji':
        node = mrkdwn.render(mrkdwn.parse(`:${String(item.name ?? '')}:`), context, doc);
        break;
      case 'user':
        node = mrkdwn.render([{ type: 'user', id: String(item.user_id ?? '') }], context, doc);
        break;
      case 'channel':
        node = mrkdwn.render([{ type: 'channel', id: String(item.channel_id ?? '') }], context, doc);
        break;
      case 'broadcast':
        node = mrkdwn.render([{ type: 'broadcast', name: String(item.range ?? 'here') }], context, doc);
        break;
      case 'date':
        node = mrkdwn.render(
          [
            {
              type: 'date',
              seconds: Number(item.timestamp),
              format: String(item.format ?? '{date_short_pretty}'),
              fallback: String(item.fallback ?? ''),
            },
          ],
          context,
          doc,
        );
        break;
      default:
        return element(doc, 'span', 'unsupported', `[unsupported element: ${String(item.type)}]`);
    }
    const style = item.style ?? {};
    for (const [flag, tag] of [
      ['code', 'code'],
      ['strike', 's'],
      ['italic', 'em'],
      ['bold', 'strong'],
    ]) {
      if (style[flag]) {
        const wrap = element(doc, tag);
        wrap.appendChild(node);
        node = wrap;
      }
    }
    return node;
  }

  function richElement(spec, context, doc) {
    const inline = (parent, items) => {
      for (const item of Array.isArray(items) ? items : [])
        parent.appendChild(richInline(item, context, doc));
      return parent;
    };
    switch (spec?.type) {
      case 'rich_text_section':
        return inline(element(doc, 'div', 'rt-section'), spec.elements);
      case 'rich_text_preformatted':
        return inline(element(doc, 'pre', 'rt-pre'), spec.elements);
      case 'rich_text_quote':
        return inline(element(doc, 'blockquote', 'rt-quote'), spec.elements);
      case 'rich_text_list': {
        const list = element(doc, spec.style === 'ordered' ? 'ol' : 'ul', 'rt-list');
        if (Number(spec.indent) > 0 && list.style) list.style.marginLeft = `${Number(spec.indent) * 16}px`;
        for (const item of Array.isArray(spec.elements) ? spec.elements : []) {
          const li = element(doc, 'li');
          li.appendChild(richElement(item, context, doc));
          list.appendChild(li);
        }
        return list;
      }
      default:
        return element(doc, 'div', 'unsupported', `[unsupported element: ${String(spec?.type)}]`);
    }
  }

  function block(spec, blockIndex, context, doc) {
    const at = (index) => ({ blockIndex, element: index });
    switch (spec?.type) {
      case 'section': {
        const el = element(doc, 'div', 'block section');
        const body = element(doc, 'div', 'section-body');
        if (spec.text) {
          const textEl = element(doc, 'div', 'section-text');
          textEl.appendChild(text(spec.text, context, doc));
          body.appendChild(textEl);
        }
        if (Array.isArray(spec.fields)) {
          const fields = element(doc, 'div', 'section-fields');
          for (const field of spec.fields) {
            const fieldEl = element(doc, 'div', 'section-field');
            fieldEl.appendChild(text(field, context, doc));
            fields.appendChild(fieldEl);
          }
          body.appendChild(fields);
        }
        el.appendChild(body);
        if (spec.accessory) {
          const accessory = element(doc, 'div', 'section-accessory');
          accessory.appendChild(blockElement(spec.accessory, at('accessory'), context, doc));
          el.appendChild(accessory);
        }
        return el;
      }
      case 'context': {
        const el = element(doc, 'div', 'block context');
        (spec.elements ?? []).forEach((item, index) => {
          el.appendChild(blockElement(item, at(index), context, doc));
        });
        return el;
      }
      case 'actions': {
        const el = element(doc, 'div', 'block actions');
        (spec.elements ?? []).forEach((item, index) => {
          el.appendChild(blockElement(item, at(index), context, doc));
        });
        return el;
      }
      case 'header': {
        const el = element(doc, 'h3', 'block header');
        el.appendChild(text(spec.text, context, doc));
        return el;
      }
      case 'divider':
        return element(doc, 'hr', 'block divider');
      case 'image':
        return element(doc, 'div', 'block image-alt', `[image: ${spec.alt_text ?? ''}]`);
      case 'rich_text': {
        const el = element(doc, 'div', 'block rich-text');
        for (const item of spec.elements ?? []) el.appendChild(richElement(item, context, doc));
        return el;
      }
      default:
        return element(doc, 'div', 'block unsupported', `[unsupported block: ${String(spec?.type)}]`);
    }
  }

  /** A list of blocks (a message's, or a Home tab's). */
  function renderBlocks(blocks, context = {}, doc = globalThis.document) {
    const el = element(doc, 'div', 'message-content');
    (Array.isArray(blocks) ? blocks : []).forEach((spec, index) => {
      el.appendChild(block(spec, index, context, doc));
    });
    return el;
  }

  /** A message's body: its blocks when it has any, else its `text` as mrkdwn (as Slack does). */
  function renderMessage(message, context = {}, doc = globalThis.document) {
    if (Array.isArray(message.blocks) && message.blocks.length > 0) {
      return renderBlocks(message.blocks, context, doc);
    }
    const el = element(doc, 'div', 'message-content');
    const textEl = element(doc, 'div', 'block section-text');
    textEl.appendChild(mrkdwn.render(mrkdwn.parse(message.text ?? ''), context, doc));
    el.appendChild(textEl);
    return el;
  }

  globalThis.SlackBlockKit = { renderMessage, renderBlocks };
})();
