// AES-256-GCM sealing for values kept in a shared store (Redis): SMART sessions hold OAuth tokens
// and cached model answers hold statements about a patient, so a Redis dump or a Redis shared with
// other services must show neither. Each purpose derives its own key from SESSION_SECRET.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface SealedBox {
  seal(text: string): string;
  /** The text, or undefined when sealed under another key (rotated secret) or tampered with. */
  open(sealed: string): string | undefined;
}

export function sealedBox(secret: string, purpose: string): SealedBox {
  const key = createHash('sha256').update(`${purpose}:${secret}`).digest();
  return {
    seal(text) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      try {
        const raw = Buffer.from(sealed, 'base64');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
