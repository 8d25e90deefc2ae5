/** The signed-in identity of the e2e suite: created by the web server command, signed in by global-setup. */
export const E2E_ADMIN = { email: "admin@e2e.test", password: "e2e admin password" } as const;
export const E2E_AUTH_STATE = "test-results/e2e-auth.json";

/** A password long enough for Gate's rule (10 characters), for accounts the specs create. */
export const E2E_PASSWORD = "e2e user password";

/** Specs about signing in start signed out; everything else inherits the admin's session. */
export const SIGNED_OUT = { cookies: [], origins: [] };
