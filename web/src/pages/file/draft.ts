/** The filing form's draft: paths into it, the schema's labels, and the dossier the API gets from it. */
import { Dossier } from '#domain/dossier.js';
import type { Text } from '../../i18n';

export type Draft = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------------
// Paths and labels
// ---------------------------------------------------------------------------------------------------------------

export const getAt = (o: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o);

export const setAt = (o: Draft, path: string, value: unknown): Draft => {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const copy = { ...o };
  copy[head] = rest.length ? setAt((o[head] as Draft) ?? {}, rest.join('.'), value) : value;
  return copy;
};

export const fieldId = (path: string) => `f-${path.replace(/\./g, '-')}`;

/** The schema's own description of a field ("vi · en", bracketed portal codes removed). */
export const schemaLabel = (path: string): Text | undefined => {
  type Def = { type?: string; innerType?: unknown; in?: unknown; shape?: Record<string, unknown> };
  const defOf = (n: unknown) => (n as { _zod?: { def?: Def } })._zod?.def;
  let node: unknown = Dossier;
  let found: string | undefined;
  const unwrap = (n: unknown) => {
    for (let i = 0; i < 10; i++) {
      const desc = (n as { description?: string }).description;
      if (desc) found = desc;
      const def = defOf(n);
      if (def?.innerType) n = def.innerType;
      else if (def?.type === 'pipe' && def.in) n = def.in;
      else break;
    }
    return n;
  };
  node = unwrap(node);
  for (const key of path.split('.')) {
    found = undefined;
    const def = defOf(node);
    if (def?.type !== 'object' || !def.shape?.[key]) return undefined;
    node = unwrap(def.shape[key]);
  }
  if (!found) return undefined;
  const [vi, en] = found.split(' · ');
  return vi && en ? { vi: vi.replace(/\s*\[[^\]]*\]/g, ''), en } : undefined;
};

// ---------------------------------------------------------------------------------------------------------------
// Draft → dossier
// ---------------------------------------------------------------------------------------------------------------

const NUMBERS = new Set([
  'child.birthOrder',
  'copies',
  'birthCertificate.weightGrams',
  'birthCertificate.childrenBorn',
]);

/** Empty strings become "not given", numbers become numbers, empty groups disappear. */
const clean = (v: unknown, path = ''): unknown => {
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return undefined;
    if (NUMBERS.has(path)) return /^\d+$/.test(s) ? Number(s) : s;
    return v;
  }
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const c = clean(x, path ? `${path}.${k}` : k);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
};

export const hasFather = (c: string) => c === 'BOTH_PARENTS' || c === 'MOTHER_UNKNOWN';
export const hasMother = (c: string) => c === 'BOTH_PARENTS' || c === 'FATHER_UNKNOWN';
export const isFoundling = (c: string) => c === 'ABANDONED' || c === 'NEITHER_KNOWN';

export const toDossier = (draft: Draft): Record<string, unknown> => {
  const d = { ...draft } as Record<string, unknown>;
  const birthCase = String(d.birthCase ?? '');
  const ui = (d.ui ?? {}) as { married?: boolean };
  delete d.ui;
  if (!hasFather(birthCase)) delete d.father;
  if (!hasMother(birthCase)) delete d.mother;
  if (!isFoundling(birthCase)) delete d.foundling;
  if (!ui.married) delete d.marriage;
  if (d.birthProof !== 'BIRTH_CERTIFICATE') delete d.birthCertificate;
  const idCard = d.idCard as { requested?: boolean } | undefined;
  if (!idCard?.requested) d.delivery = { ...(d.delivery as Draft), idCard: '' };
  if (!hasFather(birthCase) || !hasMother(birthCase)) delete d.fatherSameResidenceAsMother;
  return (clean(d) as Record<string, unknown>) ?? {};
};

const blankAddress = (provinceCode = '', communeCode = '') => ({ provinceCode, communeCode, detail: '' });
const blankParent = () => ({
  fullName: '',
  dateOfBirth: '',
  personalId: '',
  ethnicity: { code: '01', other: '' },
  nationality: 'VN',
  residence: blankAddress(),
});

export const blankDraft = (unit: string): Draft => ({
  birthCase: 'BOTH_PARENTS',
  registrationCommuneCode: unit,
  child: {
    surname: '',
    middleName: '',
    givenName: '',
    sex: '',
    dateOfBirth: '',
    timeOfBirth: '',
    birthOrder: '1',
    ethnicity: { code: '01', other: '' },
    nationality: 'VN',
    placeOfBirth: { country: 'VN', address: blankAddress(), facilityName: '' },
    hometown: { country: 'VN', provinceCode: '', communeCode: '' },
  },
  mother: blankParent(),
  father: blankParent(),
  fatherSameResidenceAsMother: false,
  foundling: { foundOn: '', foundAt: blankAddress(), recordNumber: '' },
  marriage: { certificateNumber: '', bookNumber: '', issuedOn: '', issuedBy: '' },
  applicant: { fullName: '', personalId: '', relationship: '', phone: '', email: '' },
  birthProof: 'BIRTH_CERTIFICATE',
  birthCertificate: { number: '', facilityCode: '', issuedOn: '', sex: '', weightGrams: '' },
  residence: {
    requested: true,
    joining: 'BOTH_PARENTS',
    address: blankAddress(),
    householdHead: { fullName: '', personalId: '', relationship: 'CHILD' },
    headIsParent: 'NEITHER',
    consent: 'NONE',
  },
  healthInsurance: { initialCareFacility: '', guardianOnCard: '' },
  idCard: { requested: false },
  delivery: { birth: 'ELECTRONIC', residence: 'ELECTRONIC', healthInsurance: 'ELECTRONIC', idCard: 'ELECTRONIC' },
  copies: '0',
  ui: { married: false },
});
