/**
 * `bench/acks.ts --only …` measures some rows of the issue-14 table again. The rows it did not
 * measure are kept from the last full run rather than dropped, in their place, and the header says
 * which rows are newer, so a partial run never passes for a whole one.
 */

/** A table row's key: its first cell ("ack p99, `/inbox 10` at 500/s for 3 s: bare node:http"). */
function rowKey(row: string): string {
  return row.split(' | ')[0]?.replace(/^\| /, '') ?? row;
}

export function mergeAckReport(
  previous: string,
  next: { header: string; rows: string[]; notes: string[]; only: string },
): string {
  const lines = previous.split('\n');
  const oldHeader = lines.find((line) => line.startsWith('Measured ')) ?? '';
  const oldRows = lines.filter(
    (line) => line.startsWith('| ') && !line.startsWith('| what') && !line.startsWith('| ---'),
  );
  const oldNotes = lines.filter((line) => line.length > 0 && !line.startsWith('|') && line !== oldHeader);
  const fresh = new Map(next.rows.map((row) => [rowKey(row), row]));
  const merged = oldRows.map((row) => fresh.get(rowKey(row)) ?? row);
  const oldKeys = new Set(oldRows.map(rowKey));
  merged.push(...next.rows.filter((row) => !oldKeys.has(rowKey(row))));
  const when = /^Measured ([^,]+? UTC)/.exec(next.header)?.[1] ?? 'now';
  // Each partial run adds its note, newest first, so every row's date can be told from the header.
  // A note whose parts have all been measured again since says nothing true any more, so it goes.
  const [, opening = oldHeader, rest = ''] =
    /^(Measured [^;]+?;)((?: rows of `--only [^`]+` measured again [^;]+;)*)/.exec(oldHeader) ?? [];
  const remeasured = new Set(next.only.split(','));
  const kept: string[] = [];
  for (const note of rest.match(/ rows of `--only [^`]+` measured again [^;]+;/g) ?? []) {
    const parts = (/`--only ([^`]+)`/.exec(note)?.[1] ?? '').split(',');
    if (!parts.every((part) => remeasured.has(part))) kept.push(note);
    for (const part of parts) remeasured.add(part);
  }
  const header = `${opening} rows of \`--only ${next.only}\` measured again ${when};${kept.join('')}${oldHeader.slice(opening.length + rest.length)}`;
  return [
    header,
    '',
    '| what | measured | ratio | target |',
    '| --- | --- | --- | --- |',
    ...merged,
    ...(next.notes.length > 0 ? next.notes : oldNotes),
    '',
  ].join('\n');
}
