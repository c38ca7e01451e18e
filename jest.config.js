// One jest run, one project per environment: the plugin renders in jsdom, everything else runs in node.
// Type checking is `npm run typecheck`'s job, so ts-jest only transpiles (isolatedModules in tsconfig.base.json).
const tsJest = [
  'ts-jest',
  {
    tsconfig: {
      module: 'commonjs',
      moduleResolution: 'node10',
      jsx: 'react-jsx',
      isolatedModules: true,
    },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      roots: ['<rootDir>/controller', '<rootDir>/sandbox', '<rootDir>/integration-tests'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.tsx?$': tsJest },
    },
    {
      displayName: 'plugin',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      transform: { '^.+\\.tsx?$': tsJest },
      moduleNameMapper: {
        '\\.(css|scss)$': '<rootDir>/src/__mocks__/style.ts',
        // The real SDK needs the console around it; tests use a mock typed as the real exports.
        '^@openshift-console/dynamic-plugin-sdk$': '<rootDir>/src/__mocks__/dynamic-plugin-sdk.tsx',
      },
      setupFiles: ['<rootDir>/src/test-utils/polyfills.ts'],
      setupFilesAfterEnv: ['<rootDir>/src/test-utils/setup.ts'],
    },
  ],
};
