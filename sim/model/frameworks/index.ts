/**
 * The framework behaviours (scheduler models) of the model: batch (elastic jobs, delay scheduling),
 * gang (rigid jobs) and service (long-running tasks), each a FrameworkBehaviour with its options
 * and their defaults. Their scenario options and registry are in scenarios/behaviours/.
 * Imports model modules and the kernel only.
 */
export { BATCH_DEFAULTS, BatchFramework, type BatchOptions } from './batch.js';
export { SKIP_RESETS, type SkipReset } from './delay-scheduling.js';
export { GANG_DEFAULTS, GangFramework, type GangOptions } from './gang.js';
export { SERVICE_DEFAULTS, SERVICE_UNRESERVE, ServiceFramework, type ServiceOptions, type ServiceUnreserve } from './service.js';
