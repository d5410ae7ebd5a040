// The registry of CDS services. Adding a service = one new module + one line here.
import { encounterStart } from './encounter-start.ts';
import { orderSelect } from './order-select.ts';
import { orderSign } from './order-sign.ts';
import { patientView } from './patient-view.ts';
import type { CdsServiceModule } from './service.ts';

export const CDS_SERVICES: readonly CdsServiceModule[] = [
  patientView,
  encounterStart,
  orderSelect,
  orderSign,
];

export type { CdsServiceModule } from './service.ts';
