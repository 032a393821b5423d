import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets the server must read back, at rest: identity providers' client secrets and webhook
 * signing secrets. AES-256-GCM under a key derived (HKDF) from the auth secret with the purpose
 * as its info, so a copy of the database without the host's secret reveals none of them, and a
 * text sealed for one purpose does not open as another. Changing the auth secret means entering
 * the client secrets again and rotating the webhook secrets.
 */
export type SealPurpose = 'sso client secret' | 'webhook secret';

function keyOf(authSecret: string, purpose: SealPurpose): Buffer {
  // `sso client secret v1` is the info SSO secrets were first sealed under: unchanged, they still open.
  return Buffer.from(hkdfSync('sha256', authSecret, 'switchboard', `${purpose} v1`, 32));
}

export function sealSecret(authSecret: string, purpose: SealPurpose, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(authSecret, purpose), iv);
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** Throws when the text was sealed under another secret or purpose, or altered. */
export function openSecret(authSecret: string, purpose: SealPurpose, text: string): string {
  const [version, iv, tag, sealed] = text.split('.');
  if (version !== 'v1' || !iv || !tag || sealed === undefined) throw new Error('not a sealed secret');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(authSecret, purpose), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
}
