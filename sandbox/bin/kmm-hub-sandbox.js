#!/usr/bin/env node
// The package ships TypeScript sources; tsx compiles them on load so `npx kmm-hub-sandbox` works right after `npm ci`.
require('tsx/cjs');
require('../src/cli.ts');
