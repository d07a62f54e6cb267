import {
  accountLabel,
  connectionStatusMessage,
  connectPrompt,
  deliveredByDmNote,
  invalidCommandMessage,
} from '../../../src/blocks/notices';
import { assertWithinSlackLimits } from '../../support/block-limits';

describe('invalidCommandMessage', () => {
  it('echoes what was typed, escaped, so nothing typed can mention or link', () => {
    const message = invalidCommandMessage('The count must be from 1 to 25.', '99 <!channel> `x`');
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('/inbox 99 &lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('(shortened)');
  });

  it('stays inside Slack limits for a pasted wall of text, and says it shortened the echo', () => {
    const typed = `500 ${'<&>'.repeat(5_000)}\n${'x'.repeat(40_000)}`;
    const message = invalidCommandMessage('The count must be from 1 to 25.', typed);
    assertWithinSlackLimits(message.blocks);
    expect(JSON.stringify(message.blocks)).toContain('(shortened)');
    // Cut between entities, never inside one.
    expect(JSON.stringify(message.blocks)).not.toMatch(/&(l|lt|g|gt|a|am|amp)?`/);
  });
});

describe('connectPrompt', () => {
  const TEN_MINUTES = 600_000;

  it('puts a link of up to 3,000 characters in a button', () => {
    const url = `https://arcade.example/oauth?state=${'s'.repeat(2900)}`.slice(0, 3000);
    const message = connectPrompt(url, 'first_time', TEN_MINUTES);
    expect(JSON.stringify(message.blocks)).toContain(`"url":"${url}"`);
    assertWithinSlackLimits(message.blocks);
  });

  it('puts a longer link, whole and usable, in the text of a message without blocks', () => {
    const url = `https://arcade.example/oauth?a=1&b=${'x'.repeat(4000)}|<y>`;
    const message = connectPrompt(url, 'first_time', TEN_MINUTES);
    expect(message.blocks).toBeUndefined();
    // `&` escaped as Slack asks; `|`, `<`, `>` cannot end the link target.
    expect(message.text).toContain(
      `<https://arcade.example/oauth?a=1&amp;b=${'x'.repeat(4000)}%7C%3Cy%3E|Connect Gmail>`,
    );
    expect(message.text).toMatch(/read-only/);
    expect(message.text).toContain('/inbox');
  });

  it("says why there is no link when even a text link would break Slack's 40,000 characters", () => {
    const message = connectPrompt(`https://arcade.example/${'x'.repeat(45_000)}`, 'first_time', TEN_MINUTES);
    expect(message.text.length).toBeLessThan(4000);
    expect(message.text).toMatch(/too long for Slack/);
    expect(message.text).toMatch(/admin/);
  });
});

describe('accounts Arcade reports', () => {
  it('are one line, escaped and cut, whatever their length', () => {
    const label = accountLabel(`<!channel>\n${'a'.repeat(5000)}@example.com`);
    expect(label).not.toContain('<');
    expect(label).not.toContain('\n');
    expect(label.length).toBeLessThanOrEqual(254);
    assertWithinSlackLimits(connectionStatusMessage({ connected: true, account: 'x'.repeat(10_000) }).blocks);
  });
});

describe('deliveredByDmNote', () => {
  it('says why the channel refused the post', () => {
    expect(deliveredByDmNote('C1')).toMatch(/<#C1> \(the app isn't in that conversation/);
    expect(deliveredByDmNote('C1', 'is_archived')).toMatch(/archived/);
    expect(deliveredByDmNote('C1', 'ekm_access_denied')).toMatch(/Enterprise Key Management/);
  });
});
