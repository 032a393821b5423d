/**
 * The embedded desktop panel's bearer token (docs/desktop.md, Embedding), held in this frame's memory only: never in
 * storage, so a reloaded frame needs a new handshake from the app that embeds it and nothing outlives the page.
 * Every API call and the panel's stream send it while it is set; the rest of the app signs in by cookie.
 */
let panelToken: string | null = null;

export function setPanelToken(token: string | null): void {
  panelToken = token;
}

/** The Authorization header for the panel's requests, or none outside an embedded panel. */
export function panelAuthorization(): Record<string, string> {
  return panelToken ? { authorization: `Bearer ${panelToken}` } : {};
}
