export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  socketId?: string;
}

export type Log = (entry: LogEntry) => void;

/** The server stays silent unless the caller asks to hear from it. */
export const silentLog: Log = () => {};
