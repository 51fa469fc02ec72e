export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  socketId?: string;
}

export type Log = (entry: LogEntry) => void;

/** The server stays silent unless the caller asks to hear from it. */
export const silentLog: Log = () => {};

/** Reports a failure without letting a logger that throws turn it into a second, uncaught one. */
export function logSafely(log: Log, entry: LogEntry): void {
  try {
    log(entry);
  } catch {
    // Nothing is left to report it to.
  }
}
