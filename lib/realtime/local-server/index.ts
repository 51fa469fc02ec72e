export type { Log as LocalPusherLogger, LogEntry } from './log';
export type { LocalPusherServer, LocalPusherServerConfig } from './server';
export { startLocalPusherServer } from './server';
