// Public surface of the detection engine: create an engine, load its config, the finding types.
import type { KnowledgeBase } from '../knowledge/index.js';
import { buildEngine } from './engine.js';

export {
  DEFAULT_MAX_FINDINGS_PER_DETECTOR,
  finishFindings,
  finishShards,
  mergeOmitted,
  omittedCount,
  SOURCE_SHARDS,
} from './engine.js';

import type { DetectionConfig, DetectionEngine, EngineOptions } from './types.js';

export {
  defaultDetectionConfig,
  detectorTunables,
  loadDetectionConfig,
  parseDetectionConfig,
} from './config.js';
export { ALL_SPECS } from './detectors/index.js';
export type {
  ClosedEarly,
  DetectionConfig,
  DetectionEngine,
  DetectorId,
  EmittedFinding,
  EngineOptions,
  Evidence,
  Finding,
  Localized,
  OmittedFindings,
  ShardFindings,
  Tunable,
} from './types.js';
export { DETECTOR_IDS } from './types.js';

/**
 * Create a detection engine. Call `push` once per parsed event in input order (with `ev.file`/`ev.line`
 * set), then `finish` for the findings, sorted by severity (highest first) then first-seen time.
 * Time is the events' own time; the same input always gives the same findings.
 */
export function createDetectionEngine(
  opts: {
    kb: KnowledgeBase;
    config?: DetectionConfig;
  } & EngineOptions,
): DetectionEngine {
  return buildEngine(opts.kb, opts.config, opts);
}
