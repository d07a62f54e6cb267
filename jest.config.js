/** Jest runs the TypeScript sources through ts-jest (transpile only; `tsc` type-checks separately). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 20000,
  // Most suites wait on sockets and child processes, not CPU: two workers halve the wall time on the
  // 2-core CI machine (about 77 s instead of 2 minutes), and nothing timed is asserted tighter than
  // Slack's 3 seconds.
  maxWorkers: 2,
};
