/**
 * `defineConfig` gives editors the types of an ecosystem file (in .js via JSDoc inference,
 * in .ts directly) and returns its argument unchanged.
 */
import type { AppConfig, EcosystemConfig } from './app-config.js';

export function defineConfig<const T extends EcosystemConfig | AppConfig[] | AppConfig>(config: T): T {
  return config;
}
