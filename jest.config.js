/** Jest runs the TypeScript sources through ts-jest (transpile only; `tsc` type-checks separately). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 20000,
  // Most suites wait on sockets and child processes, not CPU: two workers halve the wall time on the
  // 2-core CI machine (about 80 s instead of 2 minutes). The one test that asserts a time, the
  // 500-person load test against Slack's 3 seconds, runs alone afterwards (see "test" in package.json).
  maxWorkers: 2,
  // Each test file loads its own copy of the SDKs (Bolt, googleapis, BullMQ…), and a worker's heap
  // grew to ~800 MB over the run; once it ran out of memory on a busy machine. A worker past this
  // is replaced between files.
  workerIdleMemoryLimit: '512MB',
};
