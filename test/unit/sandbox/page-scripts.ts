import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { assetsDir } from '../../../src/sandbox/assets';

/**
 * Loads the page's browser scripts (src/sandbox/assets/*.js) into a fresh `node:vm` context, the way
 * the page loads them (classic scripts sharing one global), with a small fake DOM: enough to build
 * nodes, and to read back which elements and text nodes were made. No innerHTML exists on it, so a
 * renderer that reached for it would fail here.
 */

/** A fake DOM node: an element (tag set) or a text node (`text` set). */
export interface FakeNode {
  tag?: string;
  text?: string;
  className: string;
  attributes: Record<string, string>;
  dataset: Record<string, string>;
  children: FakeNode[];
  /** What a browser's textContent would be. */
  readonly textContent: string;
  appendChild(child: FakeNode): FakeNode;
  addEventListener(type: string, listener: () => void): void;
  listeners: Record<string, (() => void)[]>;
  [property: string]: unknown;
}

// These are the DOM properties the renderers set; they are kept as attributes to assert on.
const REFLECTED = ['href', 'target', 'rel', 'title', 'dateTime', 'type', 'disabled'];

function fakeNode(tag?: string, text?: string): FakeNode {
  const node = {
    tag,
    text,
    className: '',
    attributes: {} as Record<string, string>,
    dataset: {} as Record<string, string>,
    children: [] as FakeNode[],
    listeners: {} as Record<string, (() => void)[]>,
    get textContent(): string {
      return node.text ?? node.children.map((child) => child.textContent).join('');
    },
    set textContent(value: string) {
      node.children = [fakeNode(undefined, value)];
    },
    appendChild(child: FakeNode): FakeNode {
      // A fragment's children move over, as in the DOM.
      if (child.tag === '#fragment') node.children.push(...child.children);
      else node.children.push(child);
      return child;
    },
    addEventListener(type: string, listener: () => void): void {
      node.listeners[type] = [...(node.listeners[type] ?? []), listener];
    },
  };
  return new Proxy(node as unknown as FakeNode, {
    set(target, property, value) {
      if (typeof property === 'string' && REFLECTED.includes(property)) {
        target.attributes[property] = String(value);
        return true;
      }
      return Reflect.set(target, property, value);
    },
  });
}

/** A document with the four factory methods the renderers use. */
export const fakeDocument = {
  createElement: (tag: string) => fakeNode(tag.toLowerCase()),
  createTextNode: (text: string) => fakeNode(undefined, String(text)),
  createDocumentFragment: () => fakeNode('#fragment'),
};

/** Every element below `root` (depth first), `root` included. */
export function elements(root: FakeNode): FakeNode[] {
  const found: FakeNode[] = [];
  const visit = (node: FakeNode) => {
    if (node.tag) found.push(node);
    for (const child of node.children) visit(child);
  };
  visit(root);
  return found;
}

/** Runs the named scripts, in order, in one fresh context; returns its global object. */
// biome-ignore lint/suspicious/noExplicitAny: the scripts' globals are untyped browser code
export function loadPageScripts(...names: string[]): any {
  const context = createContext({ document: fakeDocument });
  for (const name of names) {
    runInContext(readFileSync(join(assetsDir(), name), 'utf8'), context, { filename: name });
  }
  return context;
}
