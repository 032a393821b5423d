/**
 * Why a single sign-on was refused: the code the server puts in the sign-in page's address
 * (`/sign-in?sso_error=…`) and the sentence the page shows for it, defined once for both.
 */
export const ssoErrors = {
  no_connection: 'No organisation signs in with single sign-on for this e-mail domain. Sign in with your password, or ask your administrator.',
  discovery: 'The identity provider could not be reached or did not describe itself. Try again; if it persists, ask your administrator to check the issuer.',
  state: 'This sign-in was already completed or has expired. Start again.',
  provider: 'The identity provider refused the sign-in.',
  audience: 'The identity provider issued the sign-in for another application (wrong audience). Ask your administrator to check the client id.',
  expired: 'The identity provider’s sign-in had expired by the time it arrived. Try again; if it persists, check the identity provider’s clock.',
  invalid: 'The identity provider’s answer could not be verified.',
  email_missing: 'The identity provider did not say which verified e-mail address you have.',
  domain: 'Your e-mail domain is not allowed to sign in to this organisation.',
  other_tenant: 'This e-mail address belongs to another organisation.',
  not_invited: 'You have no account in this organisation yet: ask an administrator to invite you.',
  deactivated: 'Your account is deactivated: ask an administrator.',
} as const;

export type SsoErrorCode = keyof typeof ssoErrors;

export function ssoErrorMessage(code: string | null | undefined): string | null {
  return code && Object.hasOwn(ssoErrors, code) ? ssoErrors[code as SsoErrorCode] : null;
}
