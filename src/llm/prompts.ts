// Prompt templates are data: one Markdown file per prompt version under prompts/, with front
// matter (id, version, output schema name, task kind) and a body holding a `## system` and a
// `## user` section in mustache syntax. Their id, version and the SHA-256 of the rendered text
// travel with every result so an audit can show exactly what the model was asked.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isOutputSchemaName, type OutputSchemaName } from './schemas.ts';
import type { AdviceKind } from './types.ts';

export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

const frontMatterSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  version: z.union([z.string().min(1), z.number().int().positive()]).transform(String),
  output: z.string().refine(isOutputSchemaName, 'unknown output schema'),
  kind: z.enum(['summary', 'triage']),
  description: z.string().optional(),
});

export interface PromptTemplate {
  id: string;
  version: string;
  output: OutputSchemaName;
  kind: AdviceKind;
  system: string;
  user: string;
  file: string;
}

export interface RenderedPrompt {
  messages: Array<{ role: 'system' | 'user'; content: string }>;
  sha256: string;
}

export class PromptFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'PromptFileError';
  }
}

export function parsePromptFile(text: string, file: string): PromptTemplate {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!m) throw new PromptFileError(file, 'missing front matter');
  const fm = frontMatterSchema.safeParse(parseYaml(m[1]));
  if (!fm.success) throw new PromptFileError(file, fm.error.issues.map((i) => i.message).join('; '));
  const sections = splitSections(m[2]);
  if (!sections.system || !sections.user) {
    throw new PromptFileError(file, 'body needs a "## system" and a "## user" section');
  }
  return {
    id: fm.data.id,
    version: fm.data.version,
    output: fm.data.output as OutputSchemaName,
    kind: fm.data.kind,
    system: sections.system,
    user: sections.user,
    file,
  };
}

function splitSections(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  let current: string | undefined;
  const lines: string[] = [];
  const flush = () => {
    if (current) out[current] = lines.join('\n').trim();
    lines.length = 0;
  };
  for (const line of body.split(/\r?\n/)) {
    const h = /^## (system|user)\s*$/.exec(line);
    if (h) {
      flush();
      current = h[1];
    } else if (current) {
      lines.push(line);
    }
  }
  flush();
  return out;
}

/** Loads every `*.v<N>.md` prompt; several versions of one id may coexist. */
export function loadPrompts(dir: string = DEFAULT_PROMPTS_DIR): PromptTemplate[] {
  return readdirSync(dir)
    .filter((f) => /\.v\d+\.md$/.test(f))
    .sort()
    .map((f) => parsePromptFile(readFileSync(join(dir, f), 'utf8'), f));
}

/** The newest version of the prompt for a task kind (or a pinned id@version). */
export function selectPrompt(prompts: PromptTemplate[], kind: AdviceKind, pinned?: string): PromptTemplate {
  const candidates = prompts.filter((p) => p.kind === kind);
  const chosen = pinned
    ? candidates.find((p) => `${p.id}@${p.version}` === pinned)
    : candidates.sort((a, b) => Number(b.version) - Number(a.version))[0];
  if (!chosen) throw new PromptFileError(pinned ?? kind, `no prompt for task "${kind}"`);
  return chosen;
}

export function chatTemplate(prompt: PromptTemplate): ChatPromptTemplate {
  return ChatPromptTemplate.fromMessages(
    [
      ['system', prompt.system],
      ['human', prompt.user],
    ],
    { templateFormat: 'mustache' },
  );
}

/** Renders the template exactly as the chain will, and fingerprints the result. */
export async function renderPrompt(
  prompt: PromptTemplate,
  values: Record<string, string>,
): Promise<RenderedPrompt> {
  const formatted = await chatTemplate(prompt).formatMessages(values);
  const messages = formatted.map((m) => ({
    role: m.getType() === 'system' ? ('system' as const) : ('user' as const),
    content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content),
  }));
  const sha256 = createHash('sha256').update(JSON.stringify(messages)).digest('hex');
  return { messages, sha256 };
}
