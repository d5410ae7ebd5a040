// Builds one service's transparency page as data; the HTML view and `?format=json` both render it.
import type { Config } from '../config.ts';
import type { GuidelineIndex } from '../guidelines/types.ts';
import type { Advisor } from '../llm/types.ts';
import type { EvalFigures } from './eval-figures.ts';
import {
  COMMON_CAUTIONS,
  COMMON_LIMITATIONS,
  INPUT_VARIABLES,
  MAINTENANCE,
  type ServiceFacts,
} from './service-facts.ts';

export interface AboutServiceInfo {
  id: string;
  hook: string;
  title: string;
  description: string;
  prefetch: Record<string, string>;
}

/** A service as its about page needs it: the discovery descriptor and its facts (a CdsServiceModule). */
export interface AboutService {
  descriptor: AboutServiceInfo;
  facts: ServiceFacts;
}

export interface AboutSources {
  config: Pick<Config, 'LLM_PROVIDER' | 'LLM_MODEL' | 'LLM_TEMPERATURE'>;
  guidelines: Pick<GuidelineIndex, 'corpusVersion' | 'size'>;
  advisor: Pick<Advisor, 'enabled' | 'describe'>;
  /** The drug table behind the medication review (its version is on the page). */
  drugTable?: { version: string };
}

export interface AboutPage {
  service: { id: string; hook: string; title: string; description: string };
  regulatoryBasis: string[];
  developer: string;
  funding: string;
  release: {
    softwareVersion: string;
    guidelineCorpusVersion: string;
    guidelinePassages: number;
    drugTableVersion?: string;
  };
  intendedUse: string;
  intendedUsers: string[];
  intendedPopulation: string;
  decisionRole: string;
  outputs: string[];
  inputs: {
    fhirData: Array<{ key: string; query: string }>;
    variables: typeof INPUT_VARIABLES;
  };
  logic: {
    deterministic: string;
    retrieval: string;
    model: {
      configured: boolean;
      description: string;
      provider?: string;
      name?: string;
      temperature?: number;
    };
    safeguards: string[];
  };
  sources: string[];
  reviewBasis: string;
  cautionedUses: string[];
  limitations: string[];
  evaluation: EvalFigures;
  maintenance: readonly string[];
}

export function buildAboutPage(
  { descriptor: service, facts }: AboutService,
  sources: AboutSources,
  softwareVersion: string,
  evaluation: EvalFigures,
): AboutPage {
  const { config, guidelines, advisor } = sources;
  return {
    service: { id: service.id, hook: service.hook, title: service.title, description: service.description },
    regulatoryBasis: [
      'Source attributes as listed by ONC HTI-1, 45 CFR 170.315(b)(11)(iv) (evidence-based and, when a model is configured, predictive decision support interventions).',
      'Basis for independent review as described by FDA’s Clinical Decision Support Software guidance, criterion 4.',
    ],
    developer: MAINTENANCE.developer,
    funding: MAINTENANCE.funding,
    release: {
      softwareVersion,
      guidelineCorpusVersion: guidelines.corpusVersion,
      guidelinePassages: guidelines.size,
      ...(sources.drugTable ? { drugTableVersion: sources.drugTable.version } : {}),
    },
    intendedUse: facts.intendedUse,
    intendedUsers: facts.intendedUsers,
    intendedPopulation: facts.intendedPopulation,
    decisionRole: facts.decisionRole,
    outputs: facts.outputs,
    inputs: {
      fhirData: Object.entries(service.prefetch).map(([key, query]) => ({ key, query })),
      variables: INPUT_VARIABLES,
    },
    logic: {
      deterministic:
        'Published scores and thresholds coded as rules (no training data): each finding names the rule, the input values and the FHIR resources they came from.',
      retrieval:
        'Guideline passages are retrieved from a bundled, versioned corpus by lexical search with clinical synonyms and code boosting; every citation carries an exact quote from the passage.',
      model: advisor.enabled
        ? {
            configured: true,
            description: advisor.describe(),
            provider: config.LLM_PROVIDER,
            name: config.LLM_MODEL,
            temperature: config.LLM_TEMPERATURE,
          }
        : { configured: false, description: advisor.describe() },
      safeguards: [
        'The model never makes a patient less urgent than the deterministic rules require.',
        'A model sentence is shown only if every patient fact it states points to an input resource and every guideline claim quotes a retrieved passage exactly; others are dropped and counted.',
        'Suggested actions come from a fixed catalogue, never from model text.',
        'No direct identifiers are sent to a model: age (capped at 90+), sex, relative times and opaque evidence tokens only.',
        'Every decision is written to a hash-chained audit trail before any card is returned.',
      ],
    },
    sources: facts.sources,
    reviewBasis:
      'Each card shows the input values and where they came from, the rule that fired and the guideline passage it cites, so the clinician can check the reasoning rather than rely on it.',
    cautionedUses: [...COMMON_CAUTIONS, ...facts.cautionedUses],
    limitations: [...COMMON_LIMITATIONS, ...facts.limitations],
    evaluation,
    maintenance: MAINTENANCE.schedule,
  };
}
