/**
 * Reading a Hugging Face `tokenizer.json` (and its optional `tokenizer_config.json`) for the ONNX
 * models a user points the server at. Sizes are checked before anything is read, and errors name
 * the file and the problem, never its content (a path setting can point anywhere).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Tokenizer } from '@huggingface/tokenizers' with { 'resolution-mode': 'import' };

// The package is an ES module whose CommonJS build Node picks for `require`; TypeScript (which
// sees only the ESM typings) would refuse a static import from this CommonJS file.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const tokenizers = require('@huggingface/tokenizers') as typeof import('@huggingface/tokenizers', { with: { 'resolution-mode': 'import' } });

/** Larger files are refused unread: real tokenizers are a few megabytes. */
export const MAX_TOKENIZER_BYTES = 64 * 1024 * 1024;

export type TokenizerFile = { ok: true; tokenizer: Tokenizer; config: Record<string, unknown> } | { ok: false; error: string };

/** Loads a tokenizer; `what` names it in errors (`cross-encoder tokenizer`, `embedding tokenizer`). */
export function loadTokenizerFile(file: string, what: string): TokenizerFile {
  const json = readJsonFile(file);
  if (!json.ok) return { ok: false, error: `${what} ${json.error}` };
  let config: Record<string, unknown> = {};
  // tokenizer_config.json is optional: special tokens are in tokenizer.json's added_tokens.
  const cfg = readJsonFile(path.join(path.dirname(file), 'tokenizer_config.json'));
  if (cfg.ok && cfg.value && typeof cfg.value === 'object' && !Array.isArray(cfg.value)) config = cfg.value as Record<string, unknown>;
  try {
    return { ok: true, tokenizer: new tokenizers.Tokenizer(json.value as never, config as never), config };
  } catch (err) {
    return { ok: false, error: `${what} ${file} is not a tokenizer.json (${(err as Error).name ?? 'error'})` };
  }
}

/** A JSON file read whole after its size is checked; errors without the file's content. */
export function readJsonFile(file: string, maxBytes = MAX_TOKENIZER_BYTES): { ok: true; value: unknown } | { ok: false; error: string } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, error: code === 'ENOENT' ? `not found: ${file}` : `unreadable: ${file} (${code ?? 'error'})` };
  }
  if (!stat.isFile()) return { ok: false, error: `${file} is not a file` };
  if (stat.size > maxBytes) return { ok: false, error: `${file} is ${stat.size} bytes, more than ${maxBytes}; not read` };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return { ok: false, error: `unreadable: ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // JSON.parse's message quotes the text it choked on: never echo a file's content.
    return { ok: false, error: `${file} is not valid JSON` };
  }
}
