// Which vital-sign values the page highlights. Heart rate, respiratory rate and SpO2 use the ESI v4
// danger-zone bands by age, systolic BP and temperature the values that score 3 on NEWS2: both tables
// come from src/clinical, so the highlight always agrees with the scores and the triage floor.
import { dangerZoneBand } from '../src/clinical/scores/danger-zone.ts';
import { sbpPoints, temperaturePoints } from '../src/clinical/scores/news2.ts';
import type { VitalKind } from '../src/clinical/types.ts';

/** Returns why the value is in the danger zone, or null. Unknown age uses the adult band. */
export function dangerZone(kind: VitalKind, value: number, ageMonths: number | null): string | null {
  const band = dangerZoneBand(ageMonths);
  switch (kind) {
    case 'heartRate':
      return value > band.heartRateAbove ? `above ${band.heartRateAbove}/min` : null;
    case 'respiratoryRate':
      return value > band.respiratoryRateAbove ? `above ${band.respiratoryRateAbove}/min` : null;
    case 'spo2':
      return value < band.spo2Below ? `below ${band.spo2Below} %` : null;
    case 'systolicBP':
      return sbpPoints(value) === 3 ? (value <= 90 ? 'at or below 90 mmHg' : 'at or above 220 mmHg') : null;
    case 'temperature':
      return temperaturePoints(value) === 3 ? 'at or below 35.0 °C' : null;
    default:
      return null;
  }
}
