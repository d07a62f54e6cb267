import * as limits from '../../../src/blocks/limits';
import { assertWithinSlackLimits, listSlackLimitViolations } from '../../support/block-limits';

const section = (text: string, accessory?: Record<string, unknown>) => ({
  type: 'section',
  text: { type: 'mrkdwn', text },
  ...(accessory ? { accessory } : {}),
});
const button = (overrides: Record<string, unknown> = {}) => ({
  type: 'button',
  text: { type: 'plain_text', text: 'Open' },
  action_id: 'a',
  url: 'https://example.com',
  ...overrides,
});

/** The helper guards every other rendering test, so it must itself catch each broken limit. */
describe('listSlackLimitViolations', () => {
  it('accepts a message inside every limit', () => {
    expect(
      listSlackLimitViolations([
        section('hi', button()),
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'x' }] },
      ]),
    ).toEqual([]);
    expect(() => assertWithinSlackLimits([section('hi')])).not.toThrow();
  });

  it.each([
    ['more than 50 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), /51 blocks/],
    ['an overlong section text', [section('x'.repeat(3001))], /text 3001 > 3000/],
    ['an empty section text', [section('')], /empty text/],
    [
      'a long header',
      [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      /text 151 > 150/,
    ],
    ['a mrkdwn header', [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }], /expected plain_text/],
    [
      'a long button label',
      [section('s', button({ text: { type: 'plain_text', text: 'b'.repeat(76) } }))],
      /> 75/,
    ],
    [
      'a long button url',
      [section('s', button({ url: `https://x/${'u'.repeat(3000)}` }))],
      /url 3010 > 3000/,
    ],
    ['a long button value', [section('s', button({ value: 'v'.repeat(2001) }))], /value 2001 > 2000/],
    ['a long action_id', [section('s', button({ action_id: 'a'.repeat(256) }))], /action_id > 255/],
    ['duplicate action_ids', [section('s', button()), section('t', button())], /duplicate action_id a/],
    [
      'too many context elements',
      [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) }],
      /11 elements/,
    ],
    [
      'too much JSON in total',
      Array.from({ length: 5 }, () => section('x'.repeat(2900))),
      /JSON\.stringify\(blocks\)\.length \d+ > 12000/,
    ],
    ['an unknown block type', [{ type: 'mystery' }], /unchecked block type mystery/],
  ])('reports %s', (_, blocks, problem) => {
    expect(listSlackLimitViolations(blocks).join('\n')).toMatch(problem);
    expect(() => assertWithinSlackLimits(blocks)).toThrow(problem);
  });
});

describe('limits', () => {
  it("are Slack's published caps, and the total stays below the size Slack refused (bolt-js #2509)", () => {
    expect(limits).toEqual({
      MAX_BLOCKS: 50,
      MAX_SECTION_TEXT: 3000,
      MAX_SECTION_FIELDS: 10,
      MAX_FIELD_TEXT: 2000,
      MAX_TEXT_OBJECT: 3000,
      MAX_CONTEXT_ELEMENTS: 10,
      MAX_HEADER_TEXT: 150,
      MAX_BUTTON_TEXT: 75,
      MAX_BUTTON_URL: 3000,
      MAX_BUTTON_VALUE: 2000,
      MAX_ACTION_ID: 255,
      MAX_BLOCKS_JSON: 12_000,
    });
    expect(limits.MAX_BLOCKS_JSON).toBeLessThan(13_200);
  });
});
