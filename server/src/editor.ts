/**
 * The narrow interface through which the server reaches the editor. server.ts implements it over
 * the LSP connection; the CLI implements it over stderr; tests supply a few-line fake.
 */

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface Progress {
  report(message: string, percentage?: number): void;
  done(message?: string): void;
}

export interface Editor {
  log(level: LogLevel, message: string): void;
  showMessage(level: 'error' | 'warn' | 'info', message: string): void;
  /** Starts a work-done progress (`$/progress` begin); resolves once the client has accepted it. */
  startProgress(title: string): Promise<Progress>;
}

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export function shouldLog(threshold: LogLevel, level: LogLevel): boolean {
  return ORDER[level] <= ORDER[threshold];
}

/** An editor for command-line use: logs to stderr above a threshold, progress is silent. */
export function consoleEditor(threshold: LogLevel = 'warn'): Editor {
  return {
    log(level, message) {
      if (shouldLog(threshold, level)) process.stderr.write(`[${level}] ${message}\n`);
    },
    showMessage(level, message) {
      process.stderr.write(`[${level}] ${message}\n`);
    },
    async startProgress() {
      return { report() {}, done() {} };
    },
  };
}
