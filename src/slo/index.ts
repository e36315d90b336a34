// The x-slo layer's surface, used by createApi, the CLI and src/index.ts.
export { compileSlos, toBudget } from './compile-slos';
export type { CompileSlosOptions } from './compile-slos';
export {
  addThresholdBuckets,
  describeDurationBuckets,
  PROM_CLIENT_DEFAULT_BUCKETS,
} from './buckets';
export type { DurationBuckets } from './buckets';
export { SLO_SCHEMA_FILE } from './check-schema';
export { buildRuleFile, renderRuleFile, ratioRecord, BURN_ALERT, BURN_CONDITIONS } from './rules';
export type { RuleFile, RecordingRule, AlertingRule, SloKind } from './rules';
export { buildDashboard, listDashboardQueries } from './dashboard';
export type * from './dashboard-types';
export {
  compileObservability,
  generateRules,
  generateRuleFile,
  generateDashboard,
} from './observability';
export type { GenerateSloOptions, SpecObservability } from './observability';
export type * from './types';
