// Preloaded into the app under test (`node --expose-gc --require bench/memory-probe.cjs`): on
// SIGUSR2 it collects garbage and writes the process's memory, as the app itself sees it, to
// BENCH_PROBE_OUT. RSS from outside cannot tell the JS heap from sockets and native buffers; this can.
const { renameSync, writeFileSync } = require('node:fs');
const v8 = require('node:v8');

const out = process.env.BENCH_PROBE_OUT;
let probes = 0;
if (out) {
  process.on('SIGUSR2', async () => {
    // FinalizationRegistry callbacks run as tasks after a collection: undici's fetch keeps each
    // request's abort listener on the caller's signal until its callback runs, so without this
    // pause the last summaries' signals (~200 of them, ~11 listeners each) count as retained.
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
    global.gc?.();
    const resources = {};
    for (const name of process.getActiveResourcesInfo()) resources[name] = (resources[name] ?? 0) + 1;
    const snapshotDir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
    probes += 1;
    const snapshot = snapshotDir
      ? v8.writeHeapSnapshot(`${snapshotDir}/probe-${process.pid}-${probes}.heapsnapshot`)
      : undefined;
    const spaces = {};
    for (const space of v8.getHeapSpaceStatistics()) spaces[space.space_name] = space.space_used_size;
    writeFileSync(
      `${out}.tmp`,
      JSON.stringify({ probe: probes, memory: process.memoryUsage(), spaces, resources, snapshot }),
    );
    renameSync(`${out}.tmp`, out);
  });
}
