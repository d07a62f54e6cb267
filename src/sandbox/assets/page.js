/**
 * The sandbox page: a Slack-shaped client over GET /api/state (polled; a version number keeps
 * unchanged polls tiny). The composer sends `/inbox …` through POST /api/command as the chosen
 * person; every interactive element the app sent (buttons, with Slack's confirm dialog, link
 * buttons, overflow menus, selects) is reported through POST /api/action, which the sandbox turns
 * into Slack's signed `block_actions`; opening the app's Home tab posts /api/home-opened (Slack's
 * `app_home_opened`), and the tab shows what the app last published with `views.publish`.
 * Everything is drawn with DOM nodes and textContent (see mrkdwn.js and block-kit.js).
 */
(() => {
  const POLL_MS = 400;
  const NARROW = globalThis.matchMedia?.('(max-width: 760px)');
  const $ = (id) => document.getElementById(id);
  const ui = {
    viewer: $('viewer'),
    about: $('viewer-about'),
    status: $('viewer-status'),
    disconnect: $('disconnect'),
    channels: $('channels'),
    dms: $('dms'),
    name: $('conversation-name'),
    topic: $('conversation-topic'),
    tabs: $('tabs'),
    home: $('home'),
    messages: $('messages'),
    composerArea: $('composer-area'),
    composer: $('composer'),
    input: $('message'),
    hint: $('hint'),
    sidebar: $('sidebar'),
    scrim: $('scrim'),
    toggle: $('sidebar-toggle'),
    close: $('sidebar-close'),
    dialog: $('confirm'),
  };
  const state = {
    viewer: localStorage.getItem('sandbox.viewer') ?? '',
    conversation: localStorage.getItem('sandbox.conversation') ?? '',
    /** On the app's conversation: 'home' or 'messages', as Slack's tabs. */
    tab: localStorage.getItem('sandbox.tab') === 'home' ? 'home' : 'messages',
    version: -1,
    data: undefined,
    /** Entries already seen per conversation, for the sidebar's "new" marker. */
    seen: new Map(),
    timer: undefined,
  };

  /**
   * Whether this machine draws emoji: without an emoji font every emoji is an empty box, so they
   * are then shown by name (`:lock:`). Measured once by drawing one into a canvas.
   */
  const emojiAsText = (() => {
    try {
      const canvas = document.createElement('canvas');
      canvas.width = 32;
      canvas.height = 32;
      const g = canvas.getContext('2d', { willReadFrequently: true });
      if (!g) return false;
      g.textBaseline = 'top';
      g.font = '24px sans-serif';
      g.fillText('\u{1F535}', 0, 0);
      const pixels = g.getImageData(0, 0, 32, 32).data;
      // A colour emoji paints coloured pixels; a missing glyph paints a grey/black box or nothing.
      for (let i = 0; i < pixels.length; i += 4) {
        const [r, gr, b, a] = [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]];
        if (a > 0 && (Math.abs(r - gr) > 40 || Math.abs(gr - b) > 40 || Math.abs(r - b) > 40)) return false;
      }
      return true;
    } catch {
      return false;
    }
  })();
  document.body.classList.toggle('no-emoji-font', emojiAsText);

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function person(id) {
    return state.data?.people.find((candidate) => candidate.id === id);
  }

  function conversations() {
    const data = state.data;
    if (!data) return [];
    const viewer = person(data.viewer);
    return [
      ...data.channels.map((channel) => ({ ...channel, kind: 'channel' })),
      {
        id: data.directMessageId,
        name: data.bot.name,
        topic: `The ${data.bot.name} app: its Home tab, and your direct messages with it${viewer ? `, as ${viewer.name}` : ''}`,
        kind: 'app',
      },
    ];
  }

  function currentConversation() {
    const all = conversations();
    return all.find((conversation) => conversation.id === state.conversation) ?? all[0];
  }

  /** `#name`, or a private channel's lock (said in words where emoji would be empty boxes). */
  function channelTitle(channel, hash) {
    if (!channel.isPrivate) return `${hash}${channel.name}`;
    return emojiAsText ? `${channel.name} (private)` : `\u{1F512} ${channel.name}`;
  }

  function onHomeTab() {
    return currentConversation()?.kind === 'app' && state.tab === 'home';
  }

  /** Slack's confirm dialog for a button's `confirm` object; resolves true on confirm. */
  function confirmDialog(spec) {
    const dialog = ui.dialog;
    const mrkdwn = globalThis.SlackMrkdwn;
    const textOf = (object) =>
      object?.type === 'mrkdwn'
        ? mrkdwn.render(mrkdwn.parse(object.text ?? ''), renderContext(), document)
        : mrkdwn.render(mrkdwn.parsePlain(object?.text ?? ''), renderContext(), document);
    $('confirm-title').replaceChildren(textOf(spec.title ?? { text: 'Are you sure?' }));
    $('confirm-text').replaceChildren(textOf(spec.text));
    const ok = $('confirm-ok');
    ok.replaceChildren(textOf(spec.confirm ?? { text: 'Yes' }));
    ok.className = `sk-button ${spec.style === 'danger' ? 'danger' : 'primary'}`;
    $('confirm-deny').replaceChildren(textOf(spec.deny ?? { text: 'Cancel' }));
    return new Promise((resolve) => {
      dialog.returnValue = '';
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
      dialog.showModal();
      $('confirm-deny').focus();
    });
  }

  function renderContext(extra = {}) {
    const data = state.data;
    const names = new Map([[data.bot.id, data.bot.name], ...data.people.map((p) => [p.id, p.name])]);
    return {
      emojiAsText,
      userName: (id) => names.get(id),
      channelName: (id) => data.channels.find((channel) => channel.id === id)?.name,
      confirm: confirmDialog,
      ...extra,
    };
  }

  async function sendAction(body) {
    try {
      await post('/api/action', { viewer: state.data.viewer, ...body });
    } catch (error) {
      hint(`That click did not go through: ${error.message}`);
    }
    poll();
  }

  function timeText(at) {
    return new Date(at).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
  }

  function entryElement(entry, conversationId) {
    const el = element('div', `entry ${entry.kind}`);
    el.dataset.kind = entry.kind;
    el.dataset.key = entry.key;
    const fromApp = entry.kind !== 'command';
    const author = fromApp ? state.data.bot.name : (person(state.data.viewer)?.name ?? 'You');
    const avatar = element('div', `avatar${fromApp ? ' app' : ''}`, fromApp ? 'in' : [...author][0]);
    avatar.setAttribute('aria-hidden', 'true');
    el.appendChild(avatar);
    const body = element('div', 'entry-body');
    const head = element('div', 'entry-head');
    head.appendChild(element('span', 'author', author));
    if (fromApp) head.appendChild(element('span', 'badge', 'APP'));
    head.appendChild(element('span', 'time', timeText(entry.at)));
    body.appendChild(head);
    if (entry.kind === 'command') {
      body.appendChild(element('code', 'typed', entry.typed));
    } else {
      const context = renderContext({
        focusPrefix: `${conversationId}:${entry.key}`,
        onAction: (path) =>
          sendAction({ surface: 'message', channel: conversationId, entryKey: entry.key, ...path }),
      });
      body.appendChild(globalThis.SlackBlockKit.renderMessage(entry, context));
    }
    if (entry.kind !== 'message') body.appendChild(element('div', 'only-you', 'Only visible to you'));
    el.appendChild(body);
    return el;
  }

  function renderSidebar(current) {
    const data = state.data;
    if (ui.viewer.options.length !== data.people.length) {
      ui.viewer.replaceChildren(
        ...data.people.map((p) => {
          const option = element('option', '', p.name);
          option.value = p.id;
          return option;
        }),
      );
    }
    ui.viewer.value = data.viewer;
    const viewer = person(data.viewer);
    ui.about.textContent = viewer?.about ?? '';
    ui.status.textContent = viewer?.connected ? 'Gmail: connected' : 'Gmail: not connected';
    ui.status.className = `status ${viewer?.connected ? 'on' : 'off'}`;
    ui.disconnect.hidden = !viewer?.connected;

    const item = (conversation) => {
      const li = element('li');
      const label = conversation.kind === 'app' ? conversation.name : channelTitle(conversation, '# ');
      const button = element('button', 'conversation-link', label);
      button.type = 'button';
      button.dataset.conversation = conversation.id;
      const count = data.entries[conversation.id]?.length ?? 0;
      if (conversation.id === current.id) {
        button.classList.add('active');
        button.setAttribute('aria-current', 'true');
      } else if (count > (state.seen.get(conversation.id) ?? 0)) {
        // Bold, and said in words: never a colour or a dot alone.
        button.classList.add('unread');
        button.appendChild(element('span', 'new-badge', 'new'));
      }
      button.addEventListener('click', () => {
        state.conversation = conversation.id;
        localStorage.setItem('sandbox.conversation', conversation.id);
        setSidebar(false);
        render();
        if (onHomeTab()) homeOpened();
        else ui.input.focus();
      });
      li.appendChild(button);
      return li;
    };
    const all = conversations();
    ui.channels.replaceChildren(...all.filter((c) => c.kind === 'channel').map(item));
    ui.dms.replaceChildren(...all.filter((c) => c.kind === 'app').map(item));
  }

  function renderHome() {
    const home = state.data.home;
    if (!home) {
      ui.home.replaceChildren(element('p', 'empty', 'Opening the Home tab… (the app publishes it)'));
      return;
    }
    const context = renderContext({
      focusPrefix: 'home',
      onAction: (path) => sendAction({ surface: 'home', ...path }),
    });
    const view = globalThis.SlackBlockKit.renderBlocks(home.blocks, context);
    view.classList.add('home-view');
    ui.home.replaceChildren(view);
  }

  /** Re-drawing replaces the nodes: keep the keyboard where it was. */
  function focusedKey() {
    return document.activeElement?.dataset?.focusKey;
  }

  function restoreFocus(key) {
    if (!key) return;
    const again = [...document.querySelectorAll('[data-focus-key]')].find(
      (el) => el.dataset.focusKey === key,
    );
    again?.focus();
  }

  function render() {
    if (!state.data) return;
    const focused = focusedKey();
    const current = currentConversation();
    state.conversation = current.id;
    renderSidebar(current);
    const title = current.kind === 'app' ? current.name : channelTitle(current, '#');
    ui.name.textContent = title;
    ui.topic.textContent = current.topic ?? '';
    ui.input.placeholder = `Message ${current.kind === 'app' ? current.name : `#${current.name}`}: try /inbox 5`;

    const isApp = current.kind === 'app';
    const home = isApp && state.tab === 'home';
    ui.tabs.hidden = !isApp;
    $('tab-home').setAttribute('aria-selected', String(home));
    $('tab-messages').setAttribute('aria-selected', String(isApp && !home));
    ui.home.hidden = !home;
    ui.messages.hidden = home;
    ui.composerArea.hidden = home;
    if (home) renderHome();

    const entries = state.data.entries[current.id] ?? [];
    const box = ui.messages;
    const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
    const grew = entries.length > (state.seen.get(current.id) ?? 0);
    if (!home) state.seen.set(current.id, entries.length);
    box.setAttribute('aria-label', `Messages in ${title}`);
    if (entries.length === 0) {
      box.replaceChildren(element('p', 'empty', 'No messages yet. Type /inbox below to try the app.'));
    } else {
      box.replaceChildren(...entries.map((entry) => entryElement(entry, current.id)));
    }
    if (!home && (nearBottom || grew)) box.scrollTop = box.scrollHeight;
    restoreFocus(focused);
  }

  async function post(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error ?? `HTTP ${response.status}`);
    return answer;
  }

  async function homeOpened() {
    if (!state.data) return;
    try {
      await post('/api/home-opened', { viewer: state.data.viewer });
    } catch (error) {
      hint(`Could not open the Home tab: ${error.message}`);
    }
    poll();
  }

  /** One poll at a time: a poll asked for meanwhile runs as soon as the current one ends. */
  let polling = false;
  let pollAgain = false;
  let firstState = true;

  async function poll() {
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    clearTimeout(state.timer);
    const asked = state.viewer;
    try {
      const query = new URLSearchParams({ viewer: asked, known: String(state.version) });
      const response = await fetch(`/api/state?${query}`, { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = await response.json();
      if (document.body.classList.contains('offline')) {
        document.body.classList.remove('offline');
        hint('');
      }
      // An answer for someone else than the person now chosen is stale.
      if (!body.unchanged && asked === state.viewer) {
        state.data = body;
        state.version = body.version;
        state.viewer = body.viewer;
        render();
        if (firstState) {
          firstState = false;
          if (onHomeTab()) homeOpened();
        }
      }
    } catch {
      document.body.classList.add('offline');
      hint('The sandbox is not answering. Is it still running?');
    }
    polling = false;
    if (pollAgain) {
      pollAgain = false;
      poll();
    } else {
      state.timer = setTimeout(poll, POLL_MS);
    }
  }

  function hint(text) {
    ui.hint.textContent = text;
  }

  function setSidebar(open) {
    document.body.classList.toggle('sidebar-open', open);
    ui.scrim.hidden = !open;
    ui.toggle.setAttribute('aria-expanded', String(open));
    if (open) ui.viewer.focus();
  }

  ui.toggle.addEventListener('click', () => setSidebar(!document.body.classList.contains('sidebar-open')));
  ui.close.addEventListener('click', () => {
    setSidebar(false);
    ui.toggle.focus();
  });
  ui.scrim.addEventListener('click', () => setSidebar(false));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && document.body.classList.contains('sidebar-open')) {
      setSidebar(false);
      ui.toggle.focus();
    }
  });
  NARROW?.addEventListener?.('change', () => setSidebar(false));

  for (const tab of ui.tabs.querySelectorAll('[data-tab]')) {
    tab.addEventListener('click', () => {
      state.tab = tab.dataset.tab;
      localStorage.setItem('sandbox.tab', state.tab);
      render();
      if (state.tab === 'home') homeOpened();
      else ui.input.focus();
    });
  }

  ui.composer.addEventListener('submit', async (event) => {
    event.preventDefault();
    const typed = ui.input.value.trim();
    if (!typed) return;
    if (!/^\/inbox(\s|$)/.test(typed)) {
      hint(
        typed.startsWith('/')
          ? `${typed.split(/\s/)[0]} is not a command here: this sandbox only runs /inbox.`
          : 'This sandbox does not keep chat messages: try /inbox 5.',
      );
      return;
    }
    ui.input.value = '';
    hint('');
    try {
      await post('/api/command', {
        viewer: state.data?.viewer,
        channel: currentConversation()?.id,
        text: typed,
      });
    } catch (error) {
      hint(`Could not send the command: ${error.message}`);
    }
    poll();
  });

  for (const chip of document.querySelectorAll('[data-example]')) {
    chip.addEventListener('click', () => {
      ui.input.value = chip.dataset.example;
      ui.input.focus();
    });
  }

  ui.viewer.addEventListener('change', () => {
    state.viewer = ui.viewer.value;
    state.version = -1;
    localStorage.setItem('sandbox.viewer', state.viewer);
    hint('');
    firstState = true;
    poll();
  });

  ui.disconnect.addEventListener('click', async () => {
    try {
      await post('/api/disconnect', { viewer: state.data?.viewer });
      hint('Forgotten: the next /inbox asks to connect Gmail again.');
    } catch (error) {
      hint(`Could not disconnect: ${error.message}`);
    }
    poll();
  });

  // Focus starts where a newcomer types, not on the page body.
  ui.input.focus();
  poll();
})();
