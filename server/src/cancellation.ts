/** The slice of an LSP CancellationToken the core needs; LSP's token satisfies it, tests pass a plain object. */
export interface CancellationLike {
  readonly isCancellationRequested: boolean;
}
