/** What a workspace holds on disk, for asserting that the server wrote nothing outside its cache. */
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';

/** Every regular file under root (links not followed, the cache folder left out) with a hash of its bytes. */
export async function snapshotFiles(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  async function walk(dir: string): Promise<void> {
    for (const d of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, d.name);
      if (d.name === '.deepcodeseek' || d.isSymbolicLink()) continue;
      if (d.isDirectory()) await walk(full);
      else if (d.isFile()) out.set(path.relative(root, full), createHash('sha256').update(await fs.readFile(full)).digest('hex'));
    }
  }
  await walk(root);
  return out;
}
