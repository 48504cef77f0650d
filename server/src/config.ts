/**
 * The settings schema, once: every key with its type, default and a line of documentation.
 * The server reads `workspace/configuration` section `deepcodeseek` and runs it through
 * `resolveSettings`; clients mirror this schema (the VS Code client's `contributes.configuration`
 * is checked against it by a test).
 */

type SettingType = 'number' | 'boolean' | 'string' | 'string[]';

export interface SettingSpec<T> {
  type: SettingType;
  default: T;
  description: string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
}

function spec<T>(s: SettingSpec<T>): SettingSpec<T> {
  return s;
}

/** Keys are dotted paths under the `deepcodeseek` section. */
export const SETTINGS = {
  'index.maxFileSize': spec<number>({
    type: 'number',
    default: 1_500_000,
    minimum: 1_000,
    // A parse holds several times the text in memory: past this, one file could take the machine.
    maximum: 20_000_000,
    description: 'Largest script (in characters) that is parsed; larger files are indexed by name only.',
  }),
  'index.exclude': spec<string[]>({
    type: 'string[]',
    default: ['node_modules', '.git', '.deepcodeseek', '.vscode', 'out', 'dist'],
    description: 'Folder names that are never walked when indexing the workspace.',
  }),
  'index.allowOutside': spec<string[]>({
    type: 'string[]',
    default: [],
    description: 'Folders outside the workspace that symbolic links in it may lead to (absolute paths); links leading anywhere else are not followed.',
  }),
  'index.cacheDir': spec<string>({
    type: 'string',
    default: '.deepcodeseek',
    description: 'Where the persisted index lives, relative to the workspace root (or absolute).',
  }),
  'index.watch': spec<string>({
    type: 'string',
    default: 'auto',
    enum: ['auto', 'client', 'server', 'off'],
    description:
      'Who watches files: the client (didChangeWatchedFiles), the server (its own recursive watcher), auto (client when it can), or off.',
  }),
  'completion.maxItems': spec<number>({
    type: 'number',
    default: 40,
    minimum: 1,
    maximum: 200,
    description: 'How many ranked API suggestions a completion list holds.',
  }),
  'completion.latencyBudgetMs': spec<number>({
    type: 'number',
    default: 40,
    minimum: 5,
    maximum: 2_000,
    description: 'Time budget for a whole completion; reranking is skipped when it would not fit.',
  }),
  'completion.pipeline': spec<string>({
    type: 'string',
    default: 'full',
    enum: ['full', 'retrieval', 'lexical'],
    description: 'Ranking stages: full (retrieval then reranking), retrieval (no reranking), or lexical (BM25 only, for the slowest machines).',
  }),
  'rerank.enabled': spec<boolean>({
    type: 'boolean',
    default: true,
    description: 'Rerank retrieval candidates with an ONNX model.',
  }),
  'rank.learnWorkspace': spec<boolean>({
    type: 'boolean',
    default: true,
    description: "Learn ranking weights from the workspace's own call sites after indexing (kept only when they beat the shipped ones on held-back cases).",
  }),
  'rerank.useWorkspaceModel': spec<boolean>({
    type: 'boolean',
    default: false,
    description: "Use a reranker model that 'deepcodeseek train --workspace' left in the cache folder. Off by default: a cloned repository can ship that folder, and a model file is code run natively.",
  }),
  'rerank.model': spec<string>({
    type: 'string',
    default: '',
    description: 'Path of an ONNX reranker to use instead of the shipped compact model (empty: the shipped model).',
  }),
  'rerank.modelKind': spec<string>({
    type: 'string',
    default: 'auto',
    enum: ['auto', 'compact-reranker', 'cross-encoder', 'qwen3-reranker'],
    description: 'The contract of rerank.model; auto decides from the model inputs and the tokenizer.',
  }),
  'rerank.tokenizer': spec<string>({
    type: 'string',
    default: '',
    description: 'Path of the tokenizer.json of a cross-encoder (empty: tokenizer.json beside the model).',
  }),
  'rerank.threads': spec<number>({
    type: 'number',
    default: 1,
    minimum: 1,
    maximum: 64,
    description: 'Intra-op threads of the ONNX runtime session.',
  }),
  'embedder.model': spec<string>({
    type: 'string',
    default: '',
    description: 'Path of an ONNX sentence-embedding model for dense retrieval (empty: embeddings learned from the workspace).',
  }),
  'diagnostics.enabled': spec<boolean>({
    type: 'boolean',
    default: true,
    description: 'Report calls to unknown methods, cross-scope calls to private Script Includes and GlideAjax calls to ones that are not client-callable.',
  }),
  'log.level': spec<string>({
    type: 'string',
    default: 'info',
    enum: ['error', 'warn', 'info', 'debug'],
    description: 'How much the server writes to its log.',
  }),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { [K in SettingKey]: (typeof SETTINGS)[K]['default'] };

export function defaultSettings(): Settings {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(SETTINGS)) {
    out[key] = Array.isArray(s.default) ? [...s.default] : s.default;
  }
  return out as Settings;
}

/** Reads a dotted key from a nested object (`{ index: { maxFileSize: 1 } }`) or a flat one (`{ 'index.maxFileSize': 1 }`). */
function lookup(raw: Record<string, unknown>, key: string): unknown {
  if (key in raw) return raw[key];
  let cur: unknown = raw;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function accepts(s: SettingSpec<unknown>, v: unknown): boolean {
  switch (s.type) {
    case 'number':
      return (
        typeof v === 'number' &&
        Number.isFinite(v) &&
        (s.minimum === undefined || v >= s.minimum) &&
        (s.maximum === undefined || v <= s.maximum)
      );
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string' && (!s.enum || s.enum.includes(v));
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
  }
}

/**
 * Fills defaults and drops values of the wrong type. Returns the settings and one message per
 * rejected value, so the caller can log them; never throws.
 */
export function resolveSettings(raw: unknown): { settings: Settings; rejected: string[] } {
  const settings = defaultSettings() as Record<string, unknown>;
  const rejected: string[] = [];
  if (raw && typeof raw === 'object') {
    for (const [key, s] of Object.entries(SETTINGS) as [string, SettingSpec<unknown>][]) {
      const v = lookup(raw as Record<string, unknown>, key);
      if (v === undefined || v === null) continue;
      if (accepts(s, v)) settings[key] = v;
      else rejected.push(`setting deepcodeseek.${key} ignored: expected ${s.type}${s.enum ? ` (${s.enum.join('|')})` : ''}, got ${JSON.stringify(v)}`);
    }
  }
  return { settings: settings as Settings, rejected };
}
