/** Every store check, in the order they run: basics first, then rule by rule. */
import type { Check } from '../check.js';
import { badKeyChecks } from './bad-keys.js';
import { badRecordChecks } from './bad-records.js';
import { badUserIdChecks } from './bad-user-ids.js';
import { basicCrudChecks } from './basic-crud.js';
import { casChecks } from './cas.js';
import { casRaceChecks } from './cas-race.js';
import { corruptChecks } from './corrupt.js';
import { lifecycleChecks } from './lifecycle.js';
import { listChecks } from './list.js';
import { namespaceChecks } from './namespaces.js';
import { payloadCodecChecks } from './payload-codec.js';
import { payloadLimitChecks } from './payload-limits.js';
import { payloadChecks } from './payloads.js';
import { physicalRemovalChecks } from './physical-removal.js';
import { ttlSetExpiredChecks } from './ttl-set-expired.js';
import { ttlTouchChecks } from './ttl-touch.js';
import { ttlVisibilityChecks } from './ttl-visibility.js';
import { userIndexChecks } from './user-index.js';
import { userIndexOwnershipChecks } from './user-index-ownership.js';

/** All store checks, whatever the backend; `selectChecks` narrows them to one. */
export const storeChecks: readonly Check[] = [
  ...basicCrudChecks,
  ...ttlVisibilityChecks,
  ...ttlSetExpiredChecks,
  ...ttlTouchChecks,
  ...physicalRemovalChecks,
  ...casChecks,
  ...casRaceChecks,
  ...userIndexChecks,
  ...userIndexOwnershipChecks,
  ...listChecks,
  ...namespaceChecks,
  ...badKeyChecks,
  ...badUserIdChecks,
  ...badRecordChecks,
  ...payloadChecks,
  ...payloadLimitChecks,
  ...payloadCodecChecks,
  ...corruptChecks,
  ...lifecycleChecks,
];
