/** The last few completion answers, so a repeated request (same document version, offset and index generation) costs a lookup. */
import { CompletionList } from 'vscode-languageserver';

const CACHE_SIZE = 16;

export class CompletionCache {
  private readonly entries = new Map<string, CompletionList>();
  hits = 0;

  get(key: string): CompletionList | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      // Refresh its place: the map's order is the eviction order.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, list: CompletionList): void {
    this.entries.set(key, list);
    if (this.entries.size > CACHE_SIZE) this.entries.delete(this.entries.keys().next().value!);
  }
}

