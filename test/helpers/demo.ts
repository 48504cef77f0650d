/** A private copy of the demo workspace for a test, without the repository checkout's cache. */
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

export const DEMO = path.resolve(__dirname, '..', '..', '..', 'examples', 'demo-instance');

/** Copies the demo into a fresh temporary folder (an empty `.deepcodeseek/` in it) and returns its path. */
export async function copyDemoWorkspace(prefix = 'dcs-demo-'): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  await fs.cp(DEMO, root, { recursive: true, filter: (src) => path.basename(src) !== '.deepcodeseek' });
  await fs.mkdir(path.join(root, '.deepcodeseek'));
  return root;
}
