/**
 * Block Kit limits for a message. Slack refuses a message that breaks any of them
 * (`invalid_blocks`, `msg_blocks_too_long`), so the renderer must stay inside them for any input.
 * https://docs.slack.dev/reference/block-kit/blocks
 */

/** Blocks per message (modals and Home tabs allow 100). */
export const MAX_BLOCKS = 50;

/** Characters in a section's `text`. https://docs.slack.dev/reference/block-kit/blocks/section-block */
export const MAX_SECTION_TEXT = 3000;

/** Items in a section's `fields`. */
export const MAX_SECTION_FIELDS = 10;

/** Characters in one section field. */
export const MAX_FIELD_TEXT = 2000;

/** Characters in any text object (context elements included). */
export const MAX_TEXT_OBJECT = 3000;

/** Elements in a context block. https://docs.slack.dev/reference/block-kit/blocks/context-block */
export const MAX_CONTEXT_ELEMENTS = 10;

/** Characters in a header block's plain_text. https://docs.slack.dev/reference/block-kit/blocks/header-block */
export const MAX_HEADER_TEXT = 150;

/** Characters in a button's label. https://docs.slack.dev/reference/block-kit/block-elements/button-element */
export const MAX_BUTTON_TEXT = 75;

/** Characters in a button's `url`. */
export const MAX_BUTTON_URL = 3000;

/** Characters in a button's `value`. */
export const MAX_BUTTON_VALUE = 2000;

/** Characters in an `action_id` (and `block_id`). */
export const MAX_ACTION_ID = 255;

/**
 * `JSON.stringify(blocks).length` we allow ourselves. Slack publishes no total cap, yet refused a
 * message of about 13.2k characters whose blocks were each within their caps
 * (https://github.com/slackapi/bolt-js/issues/2509); 12k keeps a margin below that.
 */
export const MAX_BLOCKS_JSON = 12_000;
