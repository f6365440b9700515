/**
 * The small folds behind the metric fold (reports/metrics-fold.ts, the thin dispatcher that feeds
 * them the log's records): each owns its state in packed arrays and gives its part of the summary
 * and of the framework and job rows. Each metric's row in reports/catalogue.ts names the fold that
 * computes it. They import only the log's types, the kernel's IntMap and reports' leaf modules.
 */
export { ClusterFold, type ClusterSummary } from './cluster.js';
export { DecisionsFold, type DecisionsFrameworkRow, type DecisionsSummary } from './decisions.js';
export { JobsFold, type JobsFrameworkRow, type JobsJobRow, type JobsSummary } from './jobs.js';
export { LocalityFold, type LocalityJobRow, type LocalitySummary } from './locality.js';
export { LogInvariantError } from './log-invariant.js';
export { OffersFold, type OffersFrameworkRow, type OffersSummary } from './offers.js';
export { SeriesFold, type Sample } from './series.js';
export { SharesFold, type SharesFrameworkRow, type SharesSummary } from './shares.js';
export { TasksFold, type TasksSummary } from './tasks.js';
export { YarnFold, type YarnFrameworkRow, type YarnJobRow, type YarnSummary } from './yarn.js';
