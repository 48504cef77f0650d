/** Small types every feature shares. */

/** What features need of a cancellation token (LSP's CancellationToken satisfies it). */
export interface CancellationLike {
  readonly isCancellationRequested: boolean;
}

export const NEVER_CANCELLED: CancellationLike = { isCancellationRequested: false };
