/**
 * Fixture helpers for the workspace tests: temporary workspaces built from a map of files, and
 * positions found by searching the fixture text, so assertions never hold magic line numbers.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Position } from '../../server/src/model';

/** Creates a temporary workspace holding `files` (workspace-relative path -> content). */
export async function makeWorkspace(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'dcs-ws-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, ...rel.split('/'));
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, content);
  }
  return root;
}

export async function removeWorkspace(root: string): Promise<void> {
  // Restore permissions first: a test may have made a folder unreadable.
  await fs.chmod(root, 0o755).catch(() => undefined);
  await fs.rm(root, { recursive: true, force: true });
}

/** The position of the first occurrence of `needle` in `text` (after `from`, if given). */
export function positionOf(text: string, needle: string, from = 0): Position {
  const offset = text.indexOf(needle, from);
  if (offset < 0) throw new Error(`fixture does not contain ${JSON.stringify(needle)}`);
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Whether this process ignores file permissions (root), so chmod 000 does not block reads. */
export function ignoresPermissions(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
