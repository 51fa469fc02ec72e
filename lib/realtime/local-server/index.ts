export type { LogEntry } from './log';
export type { LocalPusherServer, LocalPusherServerConfig } from './server';
export { startLocalPusherServer } from './server';
