/**
 * Browser stand-in for functions/domain/addresses.ts (swapped in by scripts/build-web.mjs). The server module holds
 * every unit and the legacy-ward mapping (~0.8 MB); the browser loads the list per province instead (web/src/addresses.ts)
 * and leaves mapping legacy ward codes to the server.
 */
import type { Commune, OldWard, Province } from '#domain/addresses.js';

export const mapOldWard = (_code: string): OldWard | undefined => undefined;
export const communeByCode = (_code: string): Commune | undefined => undefined;
export const provinceByCode = (_code: string): Province | undefined => undefined;
export const communeLabel = (_code: string): string | undefined => undefined;
export const allProvinces = (): Province[] => [];
export const communesOfProvince = (_code: string): Commune[] => [];
