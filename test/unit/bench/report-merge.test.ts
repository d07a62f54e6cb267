import { mergeAckReport } from '../../../bench/report-merge';

const previous = [
  'Measured 2026-12-03 14:38 UTC, Node v20.20.2; server alone on core 0; 3 rounds, medians.',
  '',
  '| what | measured | ratio | target |',
  '| --- | --- | --- | --- |',
  '| ack p99 at 500/s: the app | 144 / 84 / 135 ms | **2.01×** bare Bolt | ≤ 1.5× |',
  '| start to `/healthz` (built entry, no Redis) | 567 ms vs bare Bolt 366 ms | **1.55×** bare Bolt | ≤ 1.3× |',
  '| RSS over 5,000 → 50,000 summaries | 188 MB → 195 MB | **0.5%** | within 10% |',
  '',
  'Without a click or a long-poll, a consent is asked every 398 s.',
  '',
].join('\n');

describe('mergeAckReport (bench/acks.ts --only)', () => {
  const merged = mergeAckReport(previous, {
    header: 'Measured 2026-12-03 17:44 UTC, Node v20.20.2; server alone on core 0; 3 rounds, medians.',
    rows: [
      '| start to `/healthz` (built entry, no Redis) | 411 ms vs bare Bolt 443 ms | **0.93×** bare Bolt | ≤ 1.3× |',
    ],
    notes: [],
    only: 'start-up',
  });
  const rows = merged.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| what'));

  it('replaces the rows measured again, in their place, and keeps the others', () => {
    expect(rows.slice(1).map((row) => row.split(' | ')[1])).toEqual([
      '144 / 84 / 135 ms',
      '411 ms vs bare Bolt 443 ms',
      '188 MB → 195 MB',
    ]);
  });

  it('says in the header which rows are newer, and when', () => {
    expect(merged.split('\n')[0]).toBe(
      'Measured 2026-12-03 14:38 UTC, Node v20.20.2; rows of `--only start-up` measured again 2026-12-03 17:44 UTC; server alone on core 0; 3 rounds, medians.',
    );
  });

  it('keeps the notes under the table when the partial run wrote none', () => {
    expect(merged).toContain('Without a click or a long-poll, a consent is asked every 398 s.');
  });

  it('adds a row the last run did not have', () => {
    const more = mergeAckReport(previous, {
      header: 'Measured 2026-12-04 09:00 UTC, x;',
      rows: ['| new row | 1 | 1 | 1 |'],
      notes: [],
      only: 'e2e',
    });
    expect(more).toContain('| new row | 1 | 1 | 1 |');
    expect(more).toContain('| ack p99 at 500/s: the app |');
  });
});

describe('mergeAckReport, run after run', () => {
  const run = (doc: string, only: string, when: string) =>
    mergeAckReport(doc, {
      header: `Measured ${when} UTC, Node v20.20.2; server alone on core 0; 3 rounds, medians.`,
      rows: [],
      notes: [],
      only,
    });

  it('drops the note of an earlier partial run once its parts are all measured again', () => {
    let doc = run(previous, 'acks,e2e,start-up', '2026-12-03 18:26');
    doc = run(doc, 'e2e', '2026-12-04 13:27');
    doc = run(doc, 'acks', '2026-12-04 13:28');
    doc = run(doc, 'acks', '2026-12-04 18:59');
    expect(doc.split('\n')[0]).toBe(
      'Measured 2026-12-03 14:38 UTC, Node v20.20.2; rows of `--only acks` measured again 2026-12-04 18:59 UTC; rows of `--only e2e` measured again 2026-12-04 13:27 UTC; rows of `--only acks,e2e,start-up` measured again 2026-12-03 18:26 UTC; server alone on core 0; 3 rounds, medians.',
    );
    doc = run(doc, 'start-up', '2026-12-04 19:10');
    expect(doc.split('\n')[0]).toBe(
      'Measured 2026-12-03 14:38 UTC, Node v20.20.2; rows of `--only start-up` measured again 2026-12-04 19:10 UTC; rows of `--only acks` measured again 2026-12-04 18:59 UTC; rows of `--only e2e` measured again 2026-12-04 13:27 UTC; server alone on core 0; 3 rounds, medians.',
    );
  });
});
