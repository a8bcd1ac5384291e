/** The auth gate the configuration asks for, built once at boot (see gate.ts for the modes). */
import type { ServerConfig } from "../config.ts";
import { isLoopbackName } from "../http/host-guard.ts";
import type { Logger } from "../logger.ts";
import type { ApiKeyStore } from "../stores/api-keys.ts";
import { ApiKeyAuthenticator } from "./api-keys.ts";
import { CustomAuth, type CustomAuthSettings } from "./custom.ts";
import { CustomGate, OwnerGate, openGate, type AuthGate } from "./gate.ts";
import { JwtAuthenticator } from "./jwt.ts";
import type { AuthMode } from "./types.ts";

export interface AuthPlan {
  mode: AuthMode;
  /** langgraph.json's `auth` section, when it has one. */
  custom: CustomAuthSettings | null;
}

/**
 * The mode in force: THREADGATE_AUTH, or with `auto`, custom when langgraph.json names an auth file
 * (`custom`: its `auth` section, or null).
 */
export function planAuth(config: ServerConfig, custom: CustomAuthSettings | null): AuthPlan {
  const mode = config.authMode === "auto" ? (custom ? "custom" : "none") : config.authMode;
  if (mode === "custom" && !custom)
    throw new Error(`THREADGATE_AUTH=custom needs "auth": {"path": "./auth.ts:auth"} in ${config.graphsConfigPath}`);
  if (mode === "jwt" && !config.jwt.secret === !config.jwt.jwksUrl)
    throw new Error("THREADGATE_AUTH=jwt needs exactly one of THREADGATE_JWT_SECRET and THREADGATE_JWT_JWKS_URL");
  return { mode, custom };
}

export async function createAuthGate(
  config: ServerConfig,
  plan: AuthPlan,
  apiKeys: ApiKeyStore,
  logger: Logger,
): Promise<AuthGate> {
  switch (plan.mode) {
    case "none":
      return openGate;
    case "api-keys":
      return new OwnerGate("api-keys", new ApiKeyAuthenticator(apiKeys));
    case "jwt":
      return new OwnerGate(
        "jwt",
        new JwtAuthenticator({
          secret: config.jwt.secret,
          jwksUrl: config.jwt.jwksUrl,
          audience: config.jwt.audience.length ? config.jwt.audience : undefined,
          issuer: config.jwt.issuer.length ? config.jwt.issuer : undefined,
        }),
      );
    case "custom": {
      const settings = plan.custom!;
      const studio = isLoopbackName(config.host) && !settings.disableStudioAuth;
      if (!studio && !settings.disableStudioAuth)
        logger.info(
          { host: config.host },
          "custom auth: requests saying x-auth-scheme: langsmith go through authenticate (Studio is let in without it on a loopback address only)",
        );
      return new CustomGate(await CustomAuth.load(settings, logger), studio);
    }
  }
}
