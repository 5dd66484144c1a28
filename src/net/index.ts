export { type DropRule, type NetworkConditions, defaultConditions } from './conditions.ts';
export { ConnectivityMonitor, type ConnectivityState } from './connectivity.ts';
export { DeviceEndpoint } from './device-endpoint.ts';
export type { FetchHeaders, FetchInit, FetchPort, FetchResponse } from './fetch-types.ts';
export { SERVER, type HttpShape, type Message, type NetworkNode, type NodeId } from './message.ts';
export { type ConnectionType, Network, type NetworkStats, type Outgoing } from './network.ts';
export { PartitionTable } from './partitions.ts';
export { type HttpHandler, type HttpReply, type RealHttpHandler, ServerEndpoint } from './server-endpoint.ts';
export { SimResponse } from './sim-response.ts';
