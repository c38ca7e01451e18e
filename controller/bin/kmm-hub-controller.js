#!/usr/bin/env node
// The package ships TypeScript sources; tsx compiles them on load (require and import()) so
// `npx kmm-hub-controller` works right after `npm ci`.
require('tsx/cjs');
require('tsx/esm/api').register();
require('../src/cli.ts');
