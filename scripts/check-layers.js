#!/usr/bin/env node
// The layer check of the build (`npm run build`, `npm test`): the core that ships in the server
// never imports the lab (synthetic instances, training, eval, bench), `syntax/` and the leaf
// modules import nothing above them, and value imports form no cycle. Reads the TypeScript
// sources' import lines; prints one line per violation and exits 1 when there is any.
'use strict';
const fs = require('fs');
const path = require('path');

const SRC = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'server', 'src'));
const LAB = ['training', 'eval', 'bench'];
/** Folders and what they may import (value or type), besides themselves and the root leaf files. */
const LEAVES = { text: [], platform: [], onnx: [], syntax: ['text', 'platform'] };
const ROOT_LEAVES = ['model', 'random', 'config', 'editor', 'hash', 'stats', 'cancellation', 'version', 'worker-job'];

function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const rel = (p) => path.relative(SRC, p).split(path.sep).join('/').replace(/\.ts$/, '');
const folderOf = (m) => (m.includes('/') ? m.split('/')[0] : '');

/** Imports of a file: { target module (relative to src), typeOnly }. */
function importsOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const out = [];
  const re = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"](\.[^'"]+)['"]|require\(['"](\.[^'"]+)['"]\)/gm;
  for (let m; (m = re.exec(text)); ) {
    const spec = m[3] ?? m[4];
    const target = rel(path.resolve(path.dirname(file), spec));
    out.push({ target, typeOnly: !!m[2] });
  }
  return out;
}

const problems = [];
const graph = new Map();
for (const file of walk(SRC)) {
  const from = rel(file);
  const fromFolder = folderOf(from);
  const isLab = LAB.includes(fromFolder) || from === 'cli';
  const edges = [];
  // The native runtime is loaded through onnx/runtime.ts alone, which turns its telemetry off first.
  if (from !== 'onnx/runtime' && /from\s+['"]onnxruntime-node['"]|require\(['"]onnxruntime-node['"]\)/.test(fs.readFileSync(file, 'utf8').replace(/^\s*import\s+type\b[^\n]*/gm, ''))) {
    problems.push(`${from} loads onnxruntime-node directly; go through onnx/runtime`);
  }
  for (const { target, typeOnly } of importsOf(file)) {
    const toFolder = folderOf(target);
    if (!isLab && LAB.includes(toFolder)) problems.push(`${from} (core) imports ${target} (lab)`);
    const allowed = LEAVES[fromFolder];
    if (allowed && toFolder !== fromFolder && !allowed.includes(toFolder) && !(toFolder === '' && ROOT_LEAVES.includes(target)) && !typeOnly) {
      problems.push(`${from} (${fromFolder}/) imports ${target}, above it`);
    }
    if (!typeOnly) edges.push(target);
  }
  graph.set(from, edges);
}

// Cycles among value imports (type-only imports vanish at run time).
const state = new Map();
const stack = [];
function visit(m) {
  state.set(m, 1);
  stack.push(m);
  for (const n of graph.get(m) ?? []) {
    if (!graph.has(n)) continue;
    if (state.get(n) === 1) problems.push(`import cycle: ${[...stack.slice(stack.indexOf(n)), n].join(' -> ')}`);
    else if (!state.has(n)) visit(n);
  }
  stack.pop();
  state.set(m, 2);
}
for (const m of graph.keys()) if (!state.has(m)) visit(m);

if (problems.length) {
  for (const p of problems) process.stderr.write(`layers: ${p}\n`);
  process.exit(1);
}
