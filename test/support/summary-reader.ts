/**
 * Reads a posted summary the way a person would: which Gmail messages it links to, wherever the
 * layout puts the links, so integration tests check content, not markup.
 */

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as captured off the wire
type Block = any;

const MESSAGE_LINK = /<(https:\/\/mail\.google\.com\/[^|>]*(?:rfc822msgid|#all\/)[^|>]*)\|/g;

/** The "Open in Gmail" URLs of the messages a summary shows, in order (not the footer's inbox link). */
export function messageLinks(blocks: Block[] | undefined): string[] {
  const links: string[] = [];
  for (const block of blocks ?? []) {
    if (block.type !== 'section' || typeof block.text?.text !== 'string') continue;
    for (const match of block.text.text.matchAll(MESSAGE_LINK)) links.push(match[1]);
  }
  return links;
}
