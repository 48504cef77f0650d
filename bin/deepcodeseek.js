#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in out/ (built by `npm ci` through the prepare script).
require('../out/server/src/cli.js').main(process.argv.slice(2)).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(`deepcodeseek: ${err && err.stack ? err.stack : err}`); process.exitCode = 1; },
);
