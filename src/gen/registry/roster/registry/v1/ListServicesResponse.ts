// Original file: proto/roster/registry.proto

import type { ServiceSummary as _roster_registry_v1_ServiceSummary, ServiceSummary__Output as _roster_registry_v1_ServiceSummary__Output } from '../../../roster/registry/v1/ServiceSummary.js';
import type { QueryMeta as _roster_registry_v1_QueryMeta, QueryMeta__Output as _roster_registry_v1_QueryMeta__Output } from '../../../roster/registry/v1/QueryMeta.js';

export interface ListServicesResponse {
  'services'?: (_roster_registry_v1_ServiceSummary)[];
  'meta'?: (_roster_registry_v1_QueryMeta | null);
}

export interface ListServicesResponse__Output {
  'services': (_roster_registry_v1_ServiceSummary__Output)[];
  'meta': (_roster_registry_v1_QueryMeta__Output | null);
}
