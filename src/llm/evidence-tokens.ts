// Opaque evidence tokens: the model sees "E7", never "Observation/abc". The map stays in this
// process, so a real resource id never leaves in a request and a token the model invents
// resolves to nothing.
import type { ResourceRef } from '../clinical/types.ts';

export class EvidenceTokens {
  private readonly byRef = new Map<ResourceRef, string>();
  private readonly byToken = new Map<string, ResourceRef>();

  /** The token for a reference, assigned in first-seen order (E1, E2, …). */
  tokenFor(ref: ResourceRef): string {
    let token = this.byRef.get(ref);
    if (!token) {
      token = `E${this.byRef.size + 1}`;
      this.byRef.set(ref, token);
      this.byToken.set(token, ref);
    }
    return token;
  }

  resolve(token: string): ResourceRef | undefined {
    return this.byToken.get(token.trim().toUpperCase());
  }

  get size(): number {
    return this.byRef.size;
  }

  entries(): Array<[token: string, ref: ResourceRef]> {
    return [...this.byToken.entries()];
  }
}
