// Cluster mode (DESIGN §7): workers share their registries, the primary aggregates them.
export {
  ClusterAggregator,
  startClusterMetricsServer,
  DEFAULT_CLUSTER_TIMEOUT_MS,
} from './cluster-aggregator';
export { shareWorkerMetrics } from './cluster-worker';
export { aggregateFamilies, CLUSTER_WORKERS_METRIC } from './cluster-aggregate';
export type { ClusterAggregatorOptions, ClusterScrape } from './cluster-aggregator';
export type { ShareWorkerMetricsOptions, SharedWorkerMetrics } from './cluster-worker';
export type { WorkerAnswer } from './cluster-collect';
export type { WorkerCounts, WorkerState } from './cluster-aggregate';
