#!/usr/bin/env node
'use strict';
/**
 * Packs the VS Code extension into a .vsix without vsce (which needs a newer Node and the network).
 * A .vsix is a zip holding `[Content_Types].xml`, `extension.vsixmanifest` and `extension/`.
 *
 * The extension carries its own server so that installing it is all a user does:
 *
 *   extension/package.json, README.md, out/extension.js      the client
 *   extension/node_modules/                                   vscode-languageclient and what it needs
 *   extension/server/bin/deepcodeseek.js, server/out/server/  the compiled server
 *   extension/server/models/                                  the shipped ONNX models
 *   extension/server/node_modules/                            the server's production dependencies
 *
 * Size: the server depends on native addons (tree-sitter, hnswlib-node, onnxruntime-node). Their
 * npm packages carry binaries for every platform (onnxruntime-node alone is ~290 MB), so the
 * package is made platform-specific, as VS Code allows (`TargetPlatform` in the manifest): only
 * this machine's binaries go in, with native sources, build leftovers, type declarations, source
 * maps, build leftovers (makefiles, object files) and install-time-only packages left out. Each
 * native package contributes one copy of its binary: the one Node will load (`build/Release`
 * when this machine built it, else `prebuilds/<target>/`, else onnxruntime's
 * `bin/napi-vN/<platform>/<arch>/`). The script lists the native files it took, with sizes.
 *
 * `--target` packs for another platform (`linux-x64`, `linux-arm64`, `darwin-x64`,
 * `darwin-arm64`, `win32-x64`) from the prebuilt binaries the installed packages carry; a package
 * that has none for that target (one built from source here, such as hnswlib-node) stops it with
 * one line saying so: build that package on its platform.
 *
 * usage: node clients/vscode/package-vsix.js [--out DIR] [--target PLATFORM-ARCH] [--no-compile]
 * Writes <name>-<target>-<version>.vsix. Needs the server built first (`npm run build`).
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { parseArgs } = require('util');

const CLIENT_DIR = __dirname;
const ROOT = path.resolve(CLIENT_DIR, '..', '..');

/** The platforms a package can be built for (VS Code's target names). */
const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64'];

/** Native binaries and the libraries they load. */
const NATIVE_FILE = /\.(node|so(\.\d+)*|dylib|dll)$/;

/** Packages needed only to build or install a dependency, never when the server runs. */
const INSTALL_ONLY = new Set(['node-addon-api', 'adm-zip', 'global-agent']);

function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { out: { type: 'string' }, target: { type: 'string' }, 'no-compile': { type: 'boolean' } } }));
  } catch (err) {
    return fail(err.message);
  }
  const outDir = path.resolve(values.out || CLIENT_DIR);
  const manifest = readJson(path.join(CLIENT_DIR, 'package.json'));
  const host = `${process.platform}-${process.arch}`;
  const target = values.target || host;
  if (!TARGETS.includes(target)) return fail(`unknown --target ${target}; one of ${TARGETS.join(', ')}`);

  if (!fs.existsSync(path.join(ROOT, 'out', 'server', 'src', 'cli.js'))) {
    return fail('the server is not built: run `npm run build` at the repository root first');
  }
  if (!values['no-compile']) {
    const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
    const r = spawnSync(process.execPath, [tsc, '-p', CLIENT_DIR], { stdio: 'inherit' });
    if (r.status !== 0) return fail('compiling the extension failed');
  }

  /** zip path -> file on disk */
  const files = new Map();
  const add = (zipPath, diskPath) => files.set(zipPath, diskPath);

  add('extension/package.json', path.join(CLIENT_DIR, 'package.json'));
  addIfExists(add, 'extension/README.md', path.join(CLIENT_DIR, 'README.md'));
  addIfExists(add, 'extension/LICENSE.txt', path.join(ROOT, 'LICENSE'));
  addTree(add, 'extension/out', path.join(CLIENT_DIR, 'out'), (rel) => rel.endsWith('.js'));
  const natives = [];
  const missing = [];
  const pack = (prefix, names) => addPackages(add, prefix, names, target, target === host, natives, missing);
  pack('extension/node_modules', ['vscode-languageclient']);

  const rootPkg = readJson(path.join(ROOT, 'package.json'));
  add('extension/server/bin/deepcodeseek.js', path.join(ROOT, 'bin', 'deepcodeseek.js'));
  addTree(add, 'extension/server/out/server/src', path.join(ROOT, 'out', 'server', 'src'), (rel) => rel.endsWith('.js'));
  addTree(add, 'extension/server/models', path.join(ROOT, 'models'), () => true);
  pack('extension/server/node_modules', Object.keys(rootPkg.dependencies || {}));
  if (missing.length) return fail(`no ${target} binary for ${missing.join(', ')} in node_modules; build the package on ${target}`);
  const serverPkg = { name: 'deepcodeseek-server', version: rootPkg.version, private: true, license: rootPkg.license, dependencies: rootPkg.dependencies };

  const vsixPath = path.join(outDir, `${manifest.name}-${target}-${manifest.version}.vsix`);
  fs.mkdirSync(outDir, { recursive: true });
  return writeZip(vsixPath, files, {
    '[Content_Types].xml': contentTypes([...files.keys(), 'extension/server/package.json']),
    'extension.vsixmanifest': vsixManifest(manifest, target, files.has('extension/README.md'), files.has('extension/LICENSE.txt')),
    'extension/server/package.json': JSON.stringify(serverPkg, null, 2) + '\n',
  }).then(() => {
    const size = fs.statSync(vsixPath).size;
    let nativeBytes = 0;
    for (const n of natives.sort((x, y) => (x.zipPath < y.zipPath ? -1 : 1))) {
      nativeBytes += n.size;
      process.stdout.write(`native ${(n.size / 1e6).toFixed(2).padStart(7)} MB  ${n.zipPath}\n`);
    }
    process.stdout.write(`native files: ${natives.length}, ${(nativeBytes / 1e6).toFixed(1)} MB unpacked\n`);
    process.stdout.write(`wrote ${vsixPath} (${files.size + 3} files, ${(size / 1e6).toFixed(1)} MB, ${target})\n`);
    return 0;
  });
}

function fail(message) {
  process.stderr.write(`package-vsix: ${message}\n`);
  return Promise.resolve(1);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function addIfExists(add, zipPath, diskPath) {
  if (fs.existsSync(diskPath)) add(zipPath, diskPath);
}

/** Adds every file under `dir` whose path relative to it passes `keep`; nested node_modules are skipped (dependencies are resolved separately). */
function addTree(add, zipPrefix, dir, keep) {
  if (!fs.existsSync(dir)) return;
  const walk = (rel) => {
    for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (d.name !== 'node_modules') walk(r);
      } else if (d.isFile() && keep(r)) {
        add(`${zipPrefix}/${r}`, path.join(dir, r));
      }
    }
  };
  walk('');
}

/**
 * Adds the production closure of `names` (dependencies and optional dependencies, resolved the
 * way Node resolves them from the root node_modules) under `zipPrefix`, keeping each package's
 * place in the node_modules tree so that nested versions still win. Native binaries taken are
 * pushed to `natives`; a native package without a binary for `target` to `missing`.
 */
function addPackages(add, zipPrefix, names, target, isHost, natives, missing) {
  const nodeModules = path.join(ROOT, 'node_modules');
  const seen = new Set();
  const visit = (name, fromDir) => {
    if (INSTALL_ONLY.has(name)) return;
    const dir = resolvePackage(name, fromDir, nodeModules);
    if (!dir || seen.has(dir)) return;
    seen.add(dir);
    const pkg = readJson(path.join(dir, 'package.json'));
    const source = binarySource(dir, target, isHost);
    if (source === 'none') missing.push(pkg.name);
    const rel = path.relative(nodeModules, dir).split(path.sep).join('/');
    addTree((zipPath, diskPath) => {
      add(zipPath, diskPath);
      if (NATIVE_FILE.test(zipPath)) natives.push({ zipPath, size: fs.statSync(diskPath).size });
    }, `${zipPrefix}/${rel}`, dir, (r) => keepPackageFile(r, source, target));
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep, dir);
  };
  for (const name of names) visit(name, nodeModules);
}

/**
 * Where a package's binary for `target` comes from: `pure` (no native code), `build` (compiled
 * on this machine: `build/Release/*.node`, which node-gyp-build loads first), `prebuilds`
 * (`prebuilds/<target>/`), `napi` (onnxruntime's `bin/napi-vN/<platform>/<arch>/`), or `none`.
 */
function binarySource(dir, target, isHost) {
  const [platform, arch] = target.split('-');
  const hasNode = (d) => fs.existsSync(d) && fs.readdirSync(d).some((f) => f.endsWith('.node'));
  const napiRoot = path.join(dir, 'bin');
  const napi = fs.existsSync(napiRoot) ? fs.readdirSync(napiRoot).filter((d) => /^napi-v\d+$/.test(d)) : [];
  const native = fs.existsSync(path.join(dir, 'binding.gyp')) || fs.existsSync(path.join(dir, 'prebuilds')) || napi.length > 0;
  if (!native) return 'pure';
  if (isHost && hasNode(path.join(dir, 'build', 'Release'))) return 'build';
  if (fs.existsSync(path.join(dir, 'prebuilds', target))) return 'prebuilds';
  if (napi.some((v) => fs.existsSync(path.join(napiRoot, v, platform, arch)))) return 'napi';
  return 'none';
}

/** Node's lookup: `<dir>/node_modules/<name>`, then each parent's, up to the root node_modules. */
function resolvePackage(name, fromDir, nodeModules) {
  let dir = fromDir;
  for (;;) {
    const base = path.basename(dir) === 'node_modules' ? dir : path.join(dir, 'node_modules');
    const candidate = path.join(base, name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === nodeModules || !dir.startsWith(nodeModules)) return undefined;
    dir = path.dirname(dir);
  }
}

/** Which files of a dependency ship: runtime code and one copy of the target's binaries. */
function keepPackageFile(rel, source, target) {
  const [platform, arch] = target.split('-');
  if (/\.(d\.ts|d\.mts|d\.cts|map|md|markdown|ts|tsbuildinfo|wasm|gyp|gypi|cc|cpp|c|h|hpp|mk|o|a|lib|pdb|exp)$/i.test(rel) && !/^license/i.test(path.basename(rel))) return false;
  if (/(^|\/)(test|tests|__tests__|docs|example|examples|\.github)\//.test(rel)) return false;
  if (/(^|\/)(Makefile|config\.gypi|binding\.Makefile)$/.test(rel)) return false;
  if (source === 'pure') return true;
  // Build leftovers and the header-only addon API some packages vendor.
  if (/(^|\/)(node-addon-api|obj\.target|\.deps)\//.test(rel) || rel.startsWith('vendor/')) return false;
  // prebuildify layout: prebuilds/<platform>-<arch>/...
  if (rel.startsWith('prebuilds/')) return source === 'prebuilds' && rel.startsWith(`prebuilds/${target}/`);
  // onnxruntime-node layout: bin/napi-v<N>/<platform>/<arch>/...
  const napi = /^bin\/napi-v\d+\/([^/]+)\/([^/]+)\//.exec(rel);
  if (napi) return source === 'napi' && napi[1] === platform && napi[2] === arch;
  if (rel.startsWith('build/')) return source === 'build' && /^build\/Release\/[^/]+\.node$/.test(rel);
  // tree-sitter grammars load src/node-types.json at run time; the C sources are not needed.
  if (rel.startsWith('src/')) return rel.endsWith('.json');
  return true;
}

function xmlEscape(s) {
  return String(s).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

/** One Default content type per file extension in the package (the OPC convention a .vsix follows). */
function contentTypes(zipPaths) {
  const types = { '.json': 'application/json', '.js': 'application/javascript', '.cjs': 'application/javascript', '.mjs': 'application/javascript', '.md': 'text/markdown', '.txt': 'text/plain', '.xml': 'text/xml', '.vsixmanifest': 'text/xml' };
  const exts = new Set(['.vsixmanifest']);
  for (const p of zipPaths) {
    const ext = path.extname(p).toLowerCase();
    if (ext) exts.add(ext);
  }
  const lines = [...exts].sort().map((ext) => `  <Default Extension="${xmlEscape(ext)}" ContentType="${types[ext] || 'application/octet-stream'}"/>`);
  return `<?xml version="1.0" encoding="utf-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\n${lines.join('\n')}\n</Types>\n`;
}

function vsixManifest(pkg, target, hasReadme, hasLicense) {
  const property = (id, value) => `      <Property Id="${id}" Value="${xmlEscape(value)}"/>`;
  return `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id="${xmlEscape(pkg.name)}" Version="${xmlEscape(pkg.version)}" Publisher="${xmlEscape(pkg.publisher)}" TargetPlatform="${xmlEscape(target)}"/>
    <DisplayName>${xmlEscape(pkg.displayName || pkg.name)}</DisplayName>
    <Description xml:space="preserve">${xmlEscape(pkg.description || '')}</Description>
    <Tags>${xmlEscape((pkg.keywords || []).join(','))}</Tags>
    <Categories>${xmlEscape((pkg.categories || []).join(','))}</Categories>
    <GalleryFlags>Public</GalleryFlags>
    <Properties>
${[
  property('Microsoft.VisualStudio.Code.Engine', pkg.engines.vscode),
  property('Microsoft.VisualStudio.Code.ExtensionDependencies', ''),
  property('Microsoft.VisualStudio.Code.ExtensionPack', ''),
  property('Microsoft.VisualStudio.Code.ExtensionKind', 'workspace'),
  property('Microsoft.VisualStudio.Code.ExecutesCode', 'true'),
].join('\n')}
    </Properties>${hasLicense ? '\n    <License>extension/LICENSE.txt</License>' : ''}
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code"/>
  </Installation>
  <Dependencies/>
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true"/>${
      hasReadme ? '\n    <Asset Type="Microsoft.VisualStudio.Services.Content.Details" Path="extension/README.md" Addressable="true"/>' : ''
    }${hasLicense ? '\n    <Asset Type="Microsoft.VisualStudio.Services.Content.License" Path="extension/LICENSE.txt" Addressable="true"/>' : ''}
  </Assets>
</PackageManifest>
`;
}

function writeZip(vsixPath, files, generated) {
  const yazl = require(require.resolve('yazl', { paths: [ROOT] }));
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(generated)) zip.addBuffer(Buffer.from(text, 'utf8'), name);
  for (const [zipPath, diskPath] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) zip.addFile(diskPath, zipPath);
  const tmp = `${vsixPath}.tmp`;
  return new Promise((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(tmp)).on('close', resolve).on('error', reject);
    zip.end();
  }).then(() => fs.renameSync(tmp, vsixPath));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`package-vsix: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
