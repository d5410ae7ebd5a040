// What every route of the plugin shares.
import type { Runtime } from '../src/server/runtime.ts';
import type { ExpiringStore } from './expiring-store.ts';
import type { LaunchState, SmartSession } from './session.ts';
import type { SmartSettings } from './settings.ts';

export interface SmartAppContext {
  runtime: Runtime;
  settings: SmartSettings;
  launches: ExpiringStore<LaunchState>;
  sessions: ExpiringStore<SmartSession>;
}
