/**
 * Checks a message's blocks against the Block Kit limits Slack enforces, so any test (unit or
 * integration, on blocks built or blocks captured off the wire) can assert a message would be accepted.
 */

import {
  MAX_ACTION_ID,
  MAX_BLOCKS,
  MAX_BLOCKS_JSON,
  MAX_BUTTON_TEXT,
  MAX_BUTTON_URL,
  MAX_BUTTON_VALUE,
  MAX_CONTEXT_ELEMENTS,
  MAX_FIELD_TEXT,
  MAX_HEADER_TEXT,
  MAX_SECTION_FIELDS,
  MAX_SECTION_TEXT,
  MAX_TEXT_OBJECT,
} from '../../src/blocks/limits';

/** Slack caps an actions block at 25 elements. */
const MAX_ACTIONS_ELEMENTS = 25;

type Json = Record<string, unknown>;

/** Every limit `blocks` breaks, one readable line each; empty when Slack would accept them. */
export function listSlackLimitViolations(blocks: unknown): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  if (blocks.length > MAX_BLOCKS) problems.push(`${blocks.length} blocks > ${MAX_BLOCKS}`);
  const json = JSON.stringify(blocks).length;
  if (json > MAX_BLOCKS_JSON) problems.push(`JSON.stringify(blocks).length ${json} > ${MAX_BLOCKS_JSON}`);

  const actionIds = new Set<string>();
  const checkText = (where: string, value: unknown, max: number, kind?: string) => {
    if (!isObject(value) || typeof value.text !== 'string') {
      problems.push(`${where}: missing text object`);
      return;
    }
    if (kind && value.type !== kind) problems.push(`${where}: type ${String(value.type)}, expected ${kind}`);
    if (value.text.length === 0) problems.push(`${where}: empty text`);
    if (value.text.length > max) problems.push(`${where}: text ${value.text.length} > ${max}`);
  };
  const checkElement = (where: string, element: unknown) => {
    if (!isObject(element)) {
      problems.push(`${where}: not an object`);
      return;
    }
    if (typeof element.action_id === 'string') {
      if (element.action_id.length > MAX_ACTION_ID) problems.push(`${where}: action_id > ${MAX_ACTION_ID}`);
      if (actionIds.has(element.action_id))
        problems.push(`${where}: duplicate action_id ${element.action_id}`);
      actionIds.add(element.action_id);
    }
    if (element.type !== 'button') return;
    checkText(`${where}.text`, element.text, MAX_BUTTON_TEXT, 'plain_text');
    if (typeof element.url === 'string' && element.url.length > MAX_BUTTON_URL) {
      problems.push(`${where}: url ${element.url.length} > ${MAX_BUTTON_URL}`);
    }
    if (typeof element.value === 'string' && element.value.length > MAX_BUTTON_VALUE) {
      problems.push(`${where}: value ${element.value.length} > ${MAX_BUTTON_VALUE}`);
    }
  };

  for (const [i, block] of (blocks as unknown[]).entries()) {
    const where = `blocks[${i}]`;
    if (!isObject(block)) {
      problems.push(`${where}: not an object`);
      continue;
    }
    if (typeof block.block_id === 'string' && block.block_id.length > MAX_ACTION_ID) {
      problems.push(`${where}: block_id > ${MAX_ACTION_ID}`);
    }
    switch (block.type) {
      case 'section': {
        if (block.text === undefined && block.fields === undefined)
          problems.push(`${where}: no text or fields`);
        if (block.text !== undefined) checkText(`${where}.text`, block.text, MAX_SECTION_TEXT);
        if (Array.isArray(block.fields)) {
          if (block.fields.length > MAX_SECTION_FIELDS)
            problems.push(`${where}: > ${MAX_SECTION_FIELDS} fields`);
          for (const [j, field] of (block.fields as unknown[]).entries()) {
            checkText(`${where}.fields[${j}]`, field, MAX_FIELD_TEXT);
          }
        }
        if (block.accessory !== undefined) checkElement(`${where}.accessory`, block.accessory);
        break;
      }
      case 'header':
        checkText(`${where}.text`, block.text, MAX_HEADER_TEXT, 'plain_text');
        break;
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0 || elements.length > MAX_CONTEXT_ELEMENTS) {
          problems.push(`${where}: ${elements.length} elements, expected 1..${MAX_CONTEXT_ELEMENTS}`);
        }
        for (const [j, element] of (elements as unknown[]).entries()) {
          if (isObject(element) && (element.type === 'mrkdwn' || element.type === 'plain_text')) {
            checkText(`${where}.elements[${j}]`, element, MAX_TEXT_OBJECT);
          }
        }
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0 || elements.length > MAX_ACTIONS_ELEMENTS) {
          problems.push(`${where}: ${elements.length} elements, expected 1..${MAX_ACTIONS_ELEMENTS}`);
        }
        for (const [j, element] of (elements as unknown[]).entries())
          checkElement(`${where}.elements[${j}]`, element);
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`${where}: unchecked block type ${String(block.type)}`);
    }
  }
  return problems;
}

/** Throws, listing every violation, unless Slack would accept `blocks` as a message's blocks. */
export function assertWithinSlackLimits(blocks: unknown): void {
  const problems = listSlackLimitViolations(blocks);
  if (problems.length > 0) throw new Error(`Blocks break Slack's limits:\n  - ${problems.join('\n  - ')}`);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
