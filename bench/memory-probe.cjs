// Preloaded into the app under test (`node --expose-gc --require bench/memory-probe.cjs`): on
// SIGUSR2 it collects garbage and writes the process's memory, as the app itself sees it, to
// BENCH_PROBE_OUT. RSS from outside cannot tell the JS heap from sockets and native buffers; this can.
const { renameSync, writeFileSync } = require('node:fs');
const v8 = require('node:v8');

const out = process.env.BENCH_PROBE_OUT;
let probes = 0;
if (out) {
  process.on('SIGUSR2', () => {
    // Twice: the first pass can leave weak callbacks that free more on the second.
    global.gc?.();
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
