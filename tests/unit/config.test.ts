import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('has embedded defaults that need nothing set', () => {
    const c = loadConfig({});
    assert.equal(c.PORT, 3000);
    assert.equal(c.HOST, '127.0.0.1');
    assert.equal(c.PUBLIC_BASE_URL, 'http://localhost:3000');
    assert.equal(c.AUDIT_DATABASE_URL, 'sqlite:./data/audit.db');
    assert.equal(c.LLM_PROVIDER, 'none');
    assert.equal(c.CDS_AUTH, 'required');
    assert.deepEqual(c.SMART_ALLOWED_ISSUERS, ['http://localhost:3000/fhir']);
    // The embedded demo server can launch the app without OAuth, outside production only.
    assert.deepEqual(c.SMART_OPEN_SERVERS, ['http://localhost:3000/fhir']);
    assert.deepEqual(loadConfig({ DEMO_FHIR: 'off' }).SMART_OPEN_SERVERS, []);
    assert.deepEqual(
      loadConfig({ NODE_ENV: 'production', FHIR_SERVERS_ALLOWED: 'https://ehr.example.org/fhir' })
        .SMART_OPEN_SERVERS,
      [],
    );
    // The open demo server is never on in production unless asked for.
    assert.equal(c.DEMO_FHIR, 'on');
    assert.equal(
      loadConfig({ NODE_ENV: 'production', FHIR_SERVERS_ALLOWED: 'https://ehr.example.org/fhir' }).DEMO_FHIR,
      'off',
    );
  });

  it('turns the model on when a key is set', () => {
    assert.equal(loadConfig({ OPENAI_API_KEY: 'k' }).LLM_PROVIDER, 'openai');
  });

  it('names the variable and the problem', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty' }),
      (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith('PORT ')),
    );
    assert.throws(
      () => loadConfig({ AUDIT_DATABASE_URL: 'mysql://x' }),
      (e: unknown) => e instanceof ConfigError && /AUDIT_DATABASE_URL must be sqlite:PATH/.test(e.message),
    );
  });

  it('refuses CDS_AUTH=disabled in production', () => {
    assert.throws(
      () => loadConfig({ CDS_AUTH: 'disabled', NODE_ENV: 'production' }),
      /CDS_AUTH may not be "disabled"/,
    );
  });

  it('requires a key when the openai provider is chosen explicitly, unless a local base URL is given', () => {
    assert.throws(() => loadConfig({ LLM_PROVIDER: 'openai' }), /OPENAI_API_KEY is required/);
    const local = loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' });
    assert.equal(local.LLM_PROVIDER, 'openai');
  });

  it('refuses LangChain variables that would print or send prompts', () => {
    assert.throws(() => loadConfig({ LANGCHAIN_VERBOSE: 'true' }), /LANGCHAIN_VERBOSE must not be set/);
    assert.throws(() => loadConfig({ LANGSMITH_TRACING: 'true' }), /LANGSMITH_TRACING must not be set/);
    assert.equal(loadConfig({ LANGSMITH_TRACING: 'false' }).LLM_PROVIDER, 'none');
  });
});
