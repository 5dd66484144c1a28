export { RemoteServerError } from './http-exchange.ts';
export { RemoteServer, type RemoteTarget } from './remote-server.ts';
export type { RemoteTask } from './end-state.ts';
export { resetServer } from './reset.ts';
