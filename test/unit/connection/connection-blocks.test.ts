import {
  connectionStatusMessage,
  disconnectConfirmMessage,
  disconnectedMessage,
  helpMessage,
  privateSummary,
} from '../../../src/blocks/notices';
import { homeView } from '../../../src/connection/home-view';
import { assertWithinSlackLimits } from '../../support/block-limits';

describe('connection messages and the Home tab', () => {
  it.each([
    ['disconnect question', disconnectConfirmMessage()],
    ['disconnected', disconnectedMessage(1)],
    ['nothing to disconnect', disconnectedMessage(0)],
    ['status: connected', connectionStatusMessage({ connected: true, account: '<!channel>@example.com' })],
    ['status: not connected', connectionStatusMessage({ connected: false })],
    ['help (private)', helpMessage('private')],
    [
      'private summary',
      privateSummary({ text: 't', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }] }, 'v'),
    ],
  ])('%s stays within Block Kit limits', (_name, message) => {
    assertWithinSlackLimits(message.blocks);
  });

  it('escapes the account in the status', () => {
    expect(connectionStatusMessage({ connected: true, account: '<!channel>' }).text).toContain(
      '&lt;!channel&gt;',
    );
  });

  it.each([
    ['connected', { kind: 'connected', account: `${'a'.repeat(300)}@example.com` }],
    ['not connected', { kind: 'not_connected', connectUrl: `https://arcade.example/${'x'.repeat(2900)}` }],
    ['unavailable', { kind: 'unavailable', text: ':cloud: Arcade is not answering.' }],
  ] as const)('the %s Home tab stays within Block Kit limits', (_name, state) => {
    const view = homeView({ state, visibility: 'channel', notice: 'Done.' });
    expect(view.type).toBe('home');
    assertWithinSlackLimits(view.blocks);
  });

  it('explains where summaries go, per visibility', () => {
    const channel = JSON.stringify(homeView({ state: { kind: 'connected' }, visibility: 'channel' }));
    const privately = JSON.stringify(homeView({ state: { kind: 'connected' }, visibility: 'private' }));
    expect(channel).toMatch(/everyone there sees/);
    expect(privately).toMatch(/shown only to you/);
  });
});
