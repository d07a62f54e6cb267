import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The page's static files (HTML, CSS, browser scripts), kept as real files in src/sandbox/assets so
 * that they are edited, linted and unit-tested as what they are. The build bundles code only, so the
 * built app (dist/index.js) reads them from src/sandbox/assets.
 */

/** One file as served: its bytes and Content-Type. */
export interface Asset {
  body: Buffer;
  contentType: string;
}

/** The files, by name; `index.html` is the page, the rest are served under /assets/. */
export const ASSET_NAMES = ['index.html', 'sandbox.css', 'mrkdwn.js', 'block-kit.js', 'page.js'] as const;

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

/** The assets directory: beside this module (src, run by tsx or ts-jest), else the one in src (dist). */
export function assetsDir(): string {
  const candidates = [join(__dirname, 'assets'), join(__dirname, '..', 'src', 'sandbox', 'assets')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`the sandbox page's files are missing; looked in ${candidates.join(' and ')}`);
  return found;
}

/** Reads every asset once, at start-up. */
export function loadAssets(dir: string = assetsDir()): Map<string, Asset> {
  return new Map(
    ASSET_NAMES.map((name) => [
      name,
      {
        body: readFileSync(join(dir, name)),
        contentType: TYPES[name.split('.').pop() ?? ''] ?? 'text/plain',
      },
    ]),
  );
}
