// Original file: proto/roster/registry.proto

import type { Item as _roster_registry_v1_Item, Item__Output as _roster_registry_v1_Item__Output } from '../../../roster/registry/v1/Item.js';
import type { Long } from '@grpc/proto-loader';

// Original file: proto/roster/registry.proto

export const _roster_registry_v1_Change_Type = {
  ADDED: 'ADDED',
  CHANGED: 'CHANGED',
  REMOVED: 'REMOVED',
} as const;

export type _roster_registry_v1_Change_Type =
  | 'ADDED'
  | 0
  | 'CHANGED'
  | 1
  | 'REMOVED'
  | 2

export type _roster_registry_v1_Change_Type__Output = typeof _roster_registry_v1_Change_Type[keyof typeof _roster_registry_v1_Change_Type]

export interface Change {
  'type'?: (_roster_registry_v1_Change_Type);
  'revision'?: (number | string | Long);
  'item'?: (_roster_registry_v1_Item | null);
  'previous'?: (_roster_registry_v1_Item | null);
}

export interface Change__Output {
  'type': (_roster_registry_v1_Change_Type__Output);
  'revision': (string);
  'item': (_roster_registry_v1_Item__Output | null);
  'previous': (_roster_registry_v1_Item__Output | null);
}
