// Mutation testing (docs/testing.md): `npm run mutate` mutates src/ and runs the node:test
// suites (TAP) through tsx against each mutant; the TypeScript checker drops mutants that
// do not compile. A whole run takes hours on two cores: run it on the area you touch with
// `npm run mutate -- --mutate 'src/lang/**/*.ts'`, and incrementally (`--incremental`, on by
// default here: only mutants in changed code are run again, see reports/stryker-incremental.json).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  mutate: [
    'src/lang/**/*.ts',
    'src/engine/**/*.ts',
    'src/events/**/*.ts',
    'src/fastpath/**/*.ts',
    'src/rules/**/*.ts',
    'src/policy/**/*.ts',
    '!src/**/index.ts',
  ],
  testRunner: 'tap',
  tap: {
    testFiles: [
      'tests/lang/**/*.test.ts',
      'tests/engine/**/*.test.ts',
      'tests/events/**/*.test.ts',
      'tests/fastpath/**/*.test.ts',
      'tests/rules/**/*.test.ts',
      'tests/policy/**/*.test.ts',
      'tests/fields/**/*.test.ts',
    ],
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap'],
    forceBail: true,
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  concurrency: 2,
  timeoutMS: 60000,
  ignoreStatic: true,
  tempDirName: '.stryker-tmp',
};
