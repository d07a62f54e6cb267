/**
 * Block Kit → DOM for the sandbox page: the blocks the app sends (section with mrkdwn text, fields
 * and a button accessory; context; actions with link buttons; header; divider), drawn from the
 * message JSON exactly as the Slack stand-in received it. Unknown blocks say so instead of vanishing.
 * Images are shown by their alt text only: the sandbox never loads anything from the internet.
 * https://docs.slack.dev/reference/block-kit/blocks
 *
 * A classic script after mrkdwn.js; defines `globalThis.SlackBlockKit`.
 */
(() => {
  const mrkdwn = globalThis.SlackMrkdwn;
  const SAFE_URL = /^(https?:|mailto:)/i;

  function element(doc, tag, className) {
    const el = doc.createElement(tag);
    if (className) el.className = className;
    return el;
  }

  /** A text object: mrkdwn is formatted, plain_text shown as is (emoji shortcodes aside). */
  function text(object, context, doc) {
    if (!object || typeof object.text !== 'string') return doc.createTextNode('');
    const tokens =
      object.type === 'mrkdwn' ? mrkdwn.parse(object.text) : mrkdwn.parsePlain(object.text, object.emoji);
    return mrkdwn.render(tokens, context, doc);
  }

  /** A button: a link button opens its URL in a new tab; others cannot do anything here. */
  function button(spec, context, doc) {
    const style = spec.style === 'primary' || spec.style === 'danger' ? ` ${spec.style}` : '';
    const url = typeof spec.url === 'string' && SAFE_URL.test(spec.url) ? spec.url : undefined;
    const el = element(doc, url ? 'a' : 'button', `sk-button${style}`);
    el.appendChild(text(spec.text, context, doc));
    if (spec.action_id) el.dataset.actionId = spec.action_id;
    if (url) {
      el.href = url;
      el.target = '_blank';
      el.rel = 'noopener noreferrer';
      el.addEventListener('click', () => context.onButton?.(spec));
    } else {
      el.type = 'button';
      el.disabled = true;
      el.title = 'Only link buttons work in the sandbox';
    }
    return el;
  }

  function blockElement(spec, context, doc) {
    if (!spec || typeof spec !== 'object') return doc.createTextNode('');
    if (spec.type === 'button') return button(spec, context, doc);
    if (spec.type === 'mrkdwn' || spec.type === 'plain_text') {
      const span = element(doc, 'span', 'context-text');
      span.appendChild(text(spec, context, doc));
      return span;
    }
    if (spec.type === 'image') {
      const span = element(doc, 'span', 'image-alt');
      span.textContent = `[image: ${spec.alt_text ?? ''}]`;
      return span;
    }
    const span = element(doc, 'span', 'unsupported');
    span.textContent = `[unsupported element: ${String(spec.type)}]`;
    return span;
  }

  function block(spec, context, doc) {
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
          accessory.appendChild(blockElement(spec.accessory, context, doc));
          el.appendChild(accessory);
        }
        return el;
      }
      case 'context': {
        const el = element(doc, 'div', 'block context');
        for (const item of spec.elements ?? []) el.appendChild(blockElement(item, context, doc));
        return el;
      }
      case 'actions': {
        const el = element(doc, 'div', 'block actions');
        for (const item of spec.elements ?? []) el.appendChild(blockElement(item, context, doc));
        return el;
      }
      case 'header': {
        const el = element(doc, 'h3', 'block header');
        el.appendChild(text(spec.text, context, doc));
        return el;
      }
      case 'divider':
        return element(doc, 'hr', 'block divider');
      case 'image': {
        const el = element(doc, 'div', 'block image-alt');
        el.textContent = `[image: ${spec.alt_text ?? ''}]`;
        return el;
      }
      default: {
        const el = element(doc, 'div', 'block unsupported');
        el.textContent = `[unsupported block: ${String(spec?.type)}]`;
        return el;
      }
    }
  }

  /** A message's body: its blocks when it has any, else its `text` as mrkdwn (as Slack does). */
  function renderMessage(message, context = {}, doc = globalThis.document) {
    const el = element(doc, 'div', 'message-content');
    if (Array.isArray(message.blocks) && message.blocks.length > 0) {
      for (const spec of message.blocks) el.appendChild(block(spec, context, doc));
    } else {
      const textEl = element(doc, 'div', 'block section-text');
      textEl.appendChild(mrkdwn.render(mrkdwn.parse(message.text ?? ''), context, doc));
      el.appendChild(textEl);
    }
    return el;
  }

  globalThis.SlackBlockKit = { renderMessage };
})();
