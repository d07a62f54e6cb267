import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCTION_NODE_FLAGS } from '../../../bench/app-process';

// The benchmarks measure the app as `npm start` runs it; the two lists of Node flags must not drift.
test('npm start runs the built app with the flags the benchmarks measure it with', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  expect(pkg.scripts.start).toContain(`exec node ${PRODUCTION_NODE_FLAGS.join(' ')} dist/index.js`);
});
