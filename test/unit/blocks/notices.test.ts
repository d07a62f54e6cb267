import { invalidCommandMessage } from '../../../src/blocks/notices';
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
