// Public surface of the semantic layer package: what the CLI and other packages use.
export { loadServerConfig, type ServerConfig } from './config.ts';
export { startServer, serverCommand, type RunningServer } from './api/server-command.ts';
export { refreshCommand } from './preagg/refresh-command.ts';
