/**
 * The sandbox page: a Slack-shaped channel view over GET /api/state (polled; a version number keeps
 * unchanged polls tiny), a composer that sends `/inbox …` through POST /api/command as the chosen
 * person, and link-button clicks reported through POST /api/click, as Slack reports them to the app.
 * Everything is drawn with DOM nodes and textContent (see mrkdwn.js and block-kit.js).
 */
(() => {
  const POLL_MS = 400;
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
    messages: $('messages'),
    composer: $('composer'),
    input: $('message'),
    hint: $('hint'),
  };
  const state = {
    viewer: localStorage.getItem('sandbox.viewer') ?? '',
    conversation: localStorage.getItem('sandbox.conversation') ?? '',
    version: -1,
    data: undefined,
    /** Entries already seen per conversation, for the sidebar's "new activity" dot. */
    seen: new Map(),
    timer: undefined,
  };

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
        name: `${data.bot.name} (app)`,
        topic: `Your direct messages with the ${data.bot.name} app${viewer ? `, as ${viewer.name}` : ''}`,
        kind: 'dm',
      },
    ];
  }

  function currentConversation() {
    const all = conversations();
    return all.find((conversation) => conversation.id === state.conversation) ?? all[0];
  }

  function renderContext() {
    const data = state.data;
    const names = new Map([[data.bot.id, data.bot.name], ...data.people.map((p) => [p.id, p.name])]);
    return {
      userName: (id) => names.get(id),
      channelName: (id) => data.channels.find((channel) => channel.id === id)?.name,
      onButton: (spec) => {
        post('/api/click', {
          viewer: data.viewer,
          channel: currentConversation()?.id,
          actionId: spec.action_id ?? '',
          url: spec.url ?? '',
        }).catch(() => {});
      },
    };
  }

  function timeText(at) {
    return new Date(at).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
  }

  function entryElement(entry, context) {
    const el = element('div', `entry ${entry.kind}`);
    el.dataset.kind = entry.kind;
    el.dataset.key = entry.key;
    const fromApp = entry.kind !== 'command';
    const author = fromApp ? state.data.bot.name : (person(state.data.viewer)?.name ?? 'You');
    el.appendChild(element('div', `avatar${fromApp ? ' app' : ''}`, fromApp ? '\u{1F4E5}' : [...author][0]));
    const body = element('div', 'entry-body');
    const head = element('div', 'entry-head');
    head.appendChild(element('span', 'author', author));
    if (fromApp) head.appendChild(element('span', 'badge', 'APP'));
    head.appendChild(element('span', 'time', timeText(entry.at)));
    body.appendChild(head);
    if (entry.kind === 'command') {
      body.appendChild(element('code', 'typed', entry.typed));
    } else {
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
      const label =
        conversation.kind === 'dm'
          ? conversation.name
          : `${conversation.isPrivate ? '\u{1F512} ' : '#'}${conversation.name}`;
      const button = element('button', 'conversation-link', label);
      button.type = 'button';
      button.dataset.conversation = conversation.id;
      const count = data.entries[conversation.id]?.length ?? 0;
      if (conversation.id === current.id) {
        button.classList.add('active');
        button.setAttribute('aria-current', 'true');
      } else if (count > (state.seen.get(conversation.id) ?? 0)) {
        button.classList.add('unread');
      }
      button.addEventListener('click', () => {
        state.conversation = conversation.id;
        localStorage.setItem('sandbox.conversation', conversation.id);
        render();
        ui.input.focus();
      });
      li.appendChild(button);
      return li;
    };
    const all = conversations();
    ui.channels.replaceChildren(...all.filter((c) => c.kind === 'channel').map(item));
    ui.dms.replaceChildren(...all.filter((c) => c.kind === 'dm').map(item));
  }

  function render() {
    if (!state.data) return;
    const current = currentConversation();
    state.conversation = current.id;
    renderSidebar(current);
    ui.name.textContent =
      current.kind === 'dm' ? current.name : `${current.isPrivate ? '\u{1F512} ' : '#'}${current.name}`;
    ui.topic.textContent = current.topic ?? '';
    ui.input.placeholder = `Message ${current.kind === 'dm' ? current.name : `#${current.name}`}: try /inbox 5`;

    const entries = state.data.entries[current.id] ?? [];
    const box = ui.messages;
    const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
    const grew = entries.length > (state.seen.get(current.id) ?? 0);
    state.seen.set(current.id, entries.length);
    box.setAttribute('aria-label', `Messages in ${ui.name.textContent}`);
    const context = renderContext();
    if (entries.length === 0) {
      box.replaceChildren(element('p', 'empty', 'No messages yet. Type /inbox below to try the app.'));
    } else {
      box.replaceChildren(...entries.map((entry) => entryElement(entry, context)));
    }
    if (nearBottom || grew) box.scrollTop = box.scrollHeight;
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

  /** One poll at a time: a poll asked for meanwhile runs as soon as the current one ends. */
  let polling = false;
  let pollAgain = false;

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
    poll();
  });

  ui.disconnect.addEventListener('click', async () => {
    try {
      await post('/api/disconnect', { viewer: state.data?.viewer });
      hint('Disconnected: the next /inbox asks to connect Gmail again.');
    } catch (error) {
      hint(`Could not disconnect: ${error.message}`);
    }
    poll();
  });

  poll();
})();
