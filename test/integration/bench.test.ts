import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Keeps `npm run bench` working: runs it once at a tiny size (no timing asserted: the machines
 * are shared and noisy) and checks it measured every scenario and wrote its report.
 */
const ROOT = join(__dirname, '../..');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

it('npm run bench runs end to end at a tiny size and writes its report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'inbox-bench-'));
  const out = join(dir, 'BENCHMARKS.md');
  writeFileSync(
    out,
    '# Benchmarks\n\nhand-written analysis stays\n\n<!-- bench:start -->\nold\n<!-- bench:end -->\n',
  );
  try {
    let stderr = '';
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', TSX, join(ROOT, 'bench/run.ts'), '--tiny', '--entry', 'src', '--out', out],
        { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '' } },
      );
      child.stderr?.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('exit', resolve);
    });
    if (code !== 0) process.stderr.write(stderr);
    expect(code).toBe(0);
    const report = readFileSync(out, 'utf8');
    expect(report).toContain('hand-written analysis stays');
    expect(report).not.toContain('\nold\n');
    for (const row of [
      'connected, 10 messages',
      'after consent',
      '20 at once',
      'summaries per second',
      'pending consents',
      'start-up',
    ]) {
      expect(report).toContain(row);
    }
    expect(report).toMatch(/each to its own channel[\s\S]*\| yes \|/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
