// Public surface of the explainer: event or port -> Explanation, its severity, and its text rendering.
export { classifyAddress, looksLikeSubnetBroadcast } from './addresses.js';
export { explainEvent, protoName, scoreEvent } from './explain-event.js';
export { explainPort, type PortProto } from './explain-port.js';
export { readFlags } from './flags.js';
export { icmpFamily } from './icmp.js';
export { renderExplanation } from './render.js';
export { SEVERITY_CACHE_LIMIT, severityKey, severityOf, severitySumOf } from './severity.js';
export { guessInitialTtl } from './ttl.js';
export {
  clampSeverity,
  type Explanation,
  type Localized,
  type Score,
  type Section,
  type SeverityReason,
  type Topic,
} from './types.js';
