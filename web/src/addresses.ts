/**
 * The official list of provinces and communes (units since 1 July 2025), fetched on demand: the provinces once
 * (~2 KB) and each province's communes when a picker needs them, from the hashed JSON files scripts/build-web.mjs
 * writes. Never the whole 3.9 MB source package.
 */
declare const __ASSETS__: {
  provinces: string;
  communes: Record<string, string>;
  fonts: { regular: string; bold: string };
};

export const assets = __ASSETS__;
export type Unit = [code: string, name: string];

interface ProvinceFile {
  provinces: Unit[];
  /** [firstCommuneCode, lastCommuneCode, provinceCode]: consecutive commune codes of one province. */
  runs: [string, string, string][];
}

const cache = new Map<string, Promise<unknown>>();
const getJson = <T>(file: string): Promise<T> => {
  let p = cache.get(file);
  if (!p) {
    p = fetch(`/assets/${file}`).then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return r.json();
    });
    p.catch(() => cache.delete(file));
    cache.set(file, p);
  }
  return p as Promise<T>;
};

const provinceFile = () => getJson<ProvinceFile>(assets.provinces);
export const loadProvinces = async (): Promise<Unit[]> => (await provinceFile()).provinces;
export const loadCommunes = (provinceCode: string): Promise<Unit[]> => {
  const file = assets.communes[provinceCode];
  return file ? getJson<Unit[]>(file) : Promise.resolve([]);
};
/** The province of a commune code (to preset the pickers with the officer's own commune). */
export const provinceOfCommune = async (communeCode: string): Promise<string | undefined> =>
  (await provinceFile()).runs.find(([a, b]) => communeCode >= a && communeCode <= b)?.[2];

/** "Phường Ba Đình, Thành phố Hà Nội"; the code itself when unknown. */
export const communeLabel = async (communeCode: string, provinceCode?: string): Promise<string> => {
  const prov = provinceCode ?? (await provinceOfCommune(communeCode));
  if (!prov) return communeCode;
  const [provinces, communes] = await Promise.all([loadProvinces(), loadCommunes(prov)]);
  const c = communes.find(([code]) => code === communeCode)?.[1];
  const p = provinces.find(([code]) => code === prov)?.[1];
  return [c ?? communeCode, p].filter(Boolean).join(', ');
};
