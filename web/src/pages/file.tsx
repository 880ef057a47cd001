/**
 * Filing the family's one dossier (POST /applications). Loaded on demand: it bundles zod and the very schema the API
 * validates with (functions/domain/dossier.ts), so the form checks every field as the officer types, with the same
 * bilingual messages (`issueFromZod`) and the schema's own "vi · en" field descriptions as labels. Drafts are kept in
 * localStorage; each submission carries a `requestId` so a double click or a retry never files twice.
 */
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { z } from 'zod';
import { ETHNICITY_NAMES } from '#domain/birthCertificate.js';
import { Dossier, issueFromZod } from '#domain/dossier.js';
import { loadCommunes, loadProvinces, provinceOfCommune, type Unit } from '../addresses';
import { ApiError, call, newRequestId, session } from '../api';
import { lang, pick, type Text, t, tx } from '../i18n';
import { useSignal } from '../signal';
import { Field, Notice, usePageTitle } from '../ui';
import { type Filed, Receipt } from './receipt';

type Draft = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------------
// Paths and labels
// ---------------------------------------------------------------------------------------------------------------

const getAt = (o: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o);

const setAt = (o: Draft, path: string, value: unknown): Draft => {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const copy = { ...o };
  copy[head] = rest.length ? setAt((o[head] as Draft) ?? {}, rest.join('.'), value) : value;
  return copy;
};

const fieldId = (path: string) => `f-${path.replace(/\./g, '-')}`;

/** The schema's own description of a field ("vi · en", bracketed portal codes removed). */
const schemaLabel = (path: string): Text | undefined => {
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

const hasFather = (c: string) => c === 'BOTH_PARENTS' || c === 'MOTHER_UNKNOWN';
const hasMother = (c: string) => c === 'BOTH_PARENTS' || c === 'FATHER_UNKNOWN';
const isFoundling = (c: string) => c === 'ABANDONED' || c === 'NEITHER_KNOWN';

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

// ---------------------------------------------------------------------------------------------------------------
// Form context and controls
// ---------------------------------------------------------------------------------------------------------------

interface FormCtx {
  draft: Draft;
  set: (path: string, value: unknown) => void;
  errorOf: (path: string) => string | undefined;
  touch: (path: string) => void;
}
const Ctx = createContext<FormCtx>(null as unknown as FormCtx);

const labelOf = (path: string, label?: Text) => pick(label ?? schemaLabel(path) ?? { vi: path, en: path });

interface TextProps {
  path: string;
  label?: Text;
  hint?: Text;
  required?: boolean;
  type?: 'text' | 'date' | 'time' | 'tel' | 'email';
  inputMode?: 'numeric' | 'tel' | 'email' | 'text';
  autoComplete?: string;
  maxLength?: number;
  placeholder?: string;
  multiline?: boolean;
}

const TextInput = ({
  path,
  label,
  hint,
  required,
  type = 'text',
  inputMode,
  autoComplete,
  maxLength,
  placeholder,
}: TextProps) => {
  const f = useContext(Ctx);
  const error = f.errorOf(path);
  return (
    <Field
      id={fieldId(path)}
      label={labelOf(path, label)}
      hint={hint ? pick(hint) : undefined}
      error={error}
      required={required}
    >
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          name={path}
          {...({ type } as Record<string, string>)}
          inputMode={inputMode}
          autoComplete={autoComplete ?? 'off'}
          maxLength={maxLength}
          placeholder={placeholder}
          aria-required={required}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          value={String(getAt(f.draft, path) ?? '')}
          onInput={(e) => f.set(path, e.currentTarget.value)}
          onBlur={() => f.touch(path)}
        />
      )}
    </Field>
  );
};

const Select = ({
  path,
  label,
  options,
  required,
  hint,
}: {
  path: string;
  label?: Text;
  options: [string, Text][];
  required?: boolean;
  hint?: Text;
}) => {
  const f = useContext(Ctx);
  const error = f.errorOf(path);
  const value = String(getAt(f.draft, path) ?? '');
  return (
    <Field
      id={fieldId(path)}
      label={labelOf(path, label)}
      error={error}
      required={required}
      hint={hint ? pick(hint) : undefined}
    >
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          name={path}
          aria-required={required}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          value={value}
          onChange={(e) => {
            f.set(path, e.currentTarget.value);
            f.touch(path);
          }}
        >
          {!options.some(([v]) => v === value) && <option value={value}>{tx('— chọn —', '— choose —')}</option>}
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {pick(text)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
};

const Check = ({ path, label }: { path: string; label: Text }) => {
  const f = useContext(Ctx);
  return (
    <label class="choice">
      <input
        type="checkbox"
        name={path}
        checked={getAt(f.draft, path) === true}
        onChange={(e) => f.set(path, e.currentTarget.checked)}
      />
      {pick(label)}
    </label>
  );
};

const Radios = ({ path, legend, options }: { path: string; legend?: Text; options: [string, Text][] }) => {
  const f = useContext(Ctx);
  const value = getAt(f.draft, path);
  const error = f.errorOf(path);
  return (
    <fieldset
      class={`radios${error ? ' field-invalid' : ''}`}
      id={fieldId(path)}
      aria-describedby={error ? `${fieldId(path)}-err` : undefined}
    >
      <legend>{labelOf(path, legend)}</legend>
      {options.map(([v, text]) => (
        <label class="choice" key={v}>
          <input
            type="radio"
            name={path}
            value={v}
            checked={value === v}
            onChange={() => {
              f.set(path, v);
              f.touch(path);
            }}
          />
          {pick(text)}
        </label>
      ))}
      {error && (
        <p class="field-error" id={`${fieldId(path)}-err`}>
          {error}
        </p>
      )}
    </fieldset>
  );
};

const Section = ({ title, children, id }: { title: Text; children: ComponentChildren; id?: string }) => (
  <fieldset class="section" id={id}>
    <legend>{pick(title)}</legend>
    {children}
  </fieldset>
);

const useUnits = (load: () => Promise<Unit[]>, key: string) => {
  const [units, setUnits] = useState<Unit[] | 'error' | undefined>();
  useEffect(() => {
    let live = true;
    setUnits(undefined);
    load().then(
      (u) => live && setUnits(u),
      () => live && setUnits('error'),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return units;
};

/** Province → commune → detail, from the official list (loaded per province). */
const AddressPicker = ({
  path,
  legend,
  withDetail = true,
  communeOptional = false,
}: {
  path: string;
  legend: Text;
  withDetail?: boolean;
  communeOptional?: boolean;
}) => {
  const f = useContext(Ctx);
  const provinceCode = String(getAt(f.draft, `${path}.provinceCode`) ?? '');
  const provinces = useUnits(loadProvinces, 'p');
  const communes = useUnits(() => (provinceCode ? loadCommunes(provinceCode) : Promise.resolve([])), provinceCode);
  const unitSelect = (
    sub: string,
    label: Text,
    units: Unit[] | 'error' | undefined,
    onPick?: (v: string) => void,
    required = true,
  ) => {
    const p = `${path}.${sub}`;
    const error = f.errorOf(p);
    const value = String(getAt(f.draft, p) ?? '');
    return (
      <Field id={fieldId(p)} label={pick(label)} error={error} required={required}>
        {({ id, describedBy, invalid }) => (
          <select
            id={id}
            name={p}
            aria-required={required}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            aria-busy={units === undefined}
            disabled={units === undefined || units === 'error'}
            value={value}
            onChange={(e) => {
              f.set(p, e.currentTarget.value);
              onPick?.(e.currentTarget.value);
              f.touch(p);
            }}
          >
            <option value="">
              {units === undefined
                ? t('loading')
                : units === 'error'
                  ? tx('Không tải được danh sách', 'Could not load the list')
                  : tx('— chọn —', '— choose —')}
            </option>
            {Array.isArray(units) &&
              units.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
          </select>
        )}
      </Field>
    );
  };
  return (
    <fieldset class="address">
      <legend>{pick(legend)}</legend>
      <div class="grid2">
        {unitSelect('provinceCode', { vi: 'Tỉnh/thành phố', en: 'Province / city' }, provinces, () =>
          f.set(`${path}.communeCode`, ''),
        )}
        {provinceCode
          ? unitSelect(
              'communeCode',
              { vi: 'Xã/phường/đặc khu', en: 'Commune / ward' },
              communes,
              undefined,
              !communeOptional,
            )
          : unitSelect(
              'communeCode',
              { vi: 'Xã/phường/đặc khu', en: 'Commune / ward' },
              [],
              undefined,
              !communeOptional,
            )}
      </div>
      {withDetail && (
        <TextInput
          path={`${path}.detail`}
          label={{ vi: 'Số nhà, đường, thôn, tổ', en: 'House number, street, hamlet' }}
          required
          maxLength={200}
        />
      )}
    </fieldset>
  );
};

// ---------------------------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------------------------

const o = (v: string, vi: string, en: string): [string, Text] => [v, { vi, en }];
const SEX = [o('MALE', 'Nam', 'Male'), o('FEMALE', 'Nữ', 'Female')];
const ETHNICITIES: [string, Text][] = [
  ...Object.entries(ETHNICITY_NAMES).map(([code, name]): [string, Text] => [
    code,
    { vi: `${code} · ${name}`, en: `${code} · ${name}` },
  ]),
  o('OTHER', 'Dân tộc khác', 'Other'),
];
const BIRTH_CASES = [
  o('BOTH_PARENTS', 'Đủ thông tin cha và mẹ', 'Both parents identified'),
  o('FATHER_UNKNOWN', 'Chưa xác định được cha', 'Father not identified'),
  o('MOTHER_UNKNOWN', 'Chưa xác định được mẹ', 'Mother not identified'),
  o('NEITHER_KNOWN', 'Chưa xác định được cha và mẹ', 'Neither parent identified'),
  o('ABANDONED', 'Trẻ bị bỏ rơi', 'Abandoned child'),
];
const RELATIONSHIPS = [
  o('FATHER', 'Cha', 'Father'),
  o('MOTHER', 'Mẹ', 'Mother'),
  o('GRANDPARENT', 'Ông/bà', 'Grandparent'),
  o('GUARDIAN', 'Người giám hộ', 'Guardian'),
  o('OTHER_RELATIVE', 'Người thân khác', 'Other relative'),
  o('CARETAKER', 'Cá nhân/tổ chức đang nuôi dưỡng', 'Person or organisation raising the child'),
];
const DELIVERY = [
  o('ELECTRONIC', 'Chỉ bản điện tử', 'Electronic only'),
  o('POST', 'Bưu chính công ích', 'Public postal service'),
  o('PICKUP', 'Nhận trực tiếp', 'Pick up in person'),
];
const PROOFS = [
  o('BIRTH_CERTIFICATE', 'Giấy chứng sinh', 'Birth certificate'),
  o('WITNESS_CONFIRMATION', 'Văn bản xác nhận của người làm chứng', 'Witness confirmation'),
  o('COMMITMENT', 'Giấy cam đoan về việc sinh', 'Written commitment'),
  o('ABANDONMENT_RECORD', 'Biên bản xác nhận trẻ bị bỏ rơi', 'Abandonment record'),
  o('SURROGACY_DOCUMENT', 'Văn bản xác nhận mang thai hộ', 'Surrogacy document'),
];
const HEAD_REL = [
  o('CHILD', 'Con', 'Child'),
  o('GRANDCHILD', 'Cháu', 'Grandchild'),
  o('WARD', 'Được giám hộ', 'Ward'),
  o('OTHER', 'Khác', 'Other'),
];
const JOINING = [
  o('BOTH_PARENTS', 'Cha mẹ', 'Both parents'),
  o('MOTHER', 'Mẹ', 'Mother'),
  o('FATHER', 'Cha', 'Father'),
  o('GUARDIAN', 'Người giám hộ', 'Guardian'),
  o('RELATIVE', 'Người thân khác', 'Another relative'),
  o('OTHER', 'Khác', 'Other'),
];
const CONSENT = [
  o('NONE', 'Không cần / không có', 'None'),
  o('PAPER_CT01', 'Ký tờ khai CT01', 'CT01 signature'),
  o('VNEID', 'Xác nhận qua VNeID', 'VNeID confirmation'),
];
const HEAD_IS_PARENT = [
  o('NEITHER', 'Không', 'Neither'),
  o('FATHER', 'Cha là chủ hộ', 'The father'),
  o('MOTHER', 'Mẹ là chủ hộ', 'The mother'),
];
const GUARDIAN = [
  o('', 'Mặc định (cha, rồi mẹ, rồi người yêu cầu)', 'Default (father, else mother, else applicant)'),
  o('FATHER', 'Cha', 'Father'),
  o('MOTHER', 'Mẹ', 'Mother'),
  o('APPLICANT', 'Người yêu cầu', 'Applicant'),
];

const ParentFields = ({ who }: { who: 'mother' | 'father' }) => {
  const f = useContext(Ctx);
  const same = who === 'father' && f.draft.fatherSameResidenceAsMother === true && hasMother(String(f.draft.birthCase));
  return (
    <>
      <TextInput path={`${who}.fullName`} required maxLength={100} autoComplete="off" />
      <div class="grid2">
        <TextInput path={`${who}.dateOfBirth`} type="date" required />
        <TextInput
          path={`${who}.personalId`}
          inputMode="numeric"
          maxLength={12}
          hint={{ vi: '12 chữ số', en: '12 digits' }}
        />
      </div>
      <div class="grid2">
        <Select
          path={`${who}.ethnicity.code`}
          label={{ vi: 'Dân tộc', en: 'Ethnicity' }}
          options={ETHNICITIES}
          required
        />
        <TextInput
          path={`${who}.nationality`}
          maxLength={2}
          hint={{ vi: 'Mã 2 chữ cái, ví dụ VN', en: '2 letters, e.g. VN' }}
        />
      </div>
      {getAt(f.draft, `${who}.ethnicity.code`) === 'OTHER' && (
        <TextInput path={`${who}.ethnicity.other`} label={{ vi: 'Tên dân tộc', en: 'Ethnicity name' }} required />
      )}
      {who === 'father' && hasMother(String(f.draft.birthCase)) && (
        <Check
          path="fatherSameResidenceAsMother"
          label={{ vi: 'Cha có cùng nơi cư trú với mẹ', en: 'The father lives at the mother’s residence' }}
        />
      )}
      {!same && <AddressPicker path={`${who}.residence`} legend={{ vi: 'Nơi cư trú', en: 'Place of residence' }} />}
    </>
  );
};

// ---------------------------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------------------------

type ZodIssue = z.core.$ZodIssue;

export const FilePage = () => {
  const s = useSignal(session)!;
  useSignal(lang);
  const h = usePageTitle(t('fileDossier'));
  const draftKey = `lienthong.draft.${s.user.username}`;
  const [restored, setRestored] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(draftKey) ?? 'null') as { draft: Draft; requestId: string } | null;
      if (saved?.draft) {
        setTimeout(() => setRestored(true));
        return saved.draft;
      }
    } catch {
      /* a broken draft is dropped */
    }
    return blankDraft(s.user.unit);
  });
  const [requestId, setRequestId] = useState<string>(() => {
    try {
      return (
        (JSON.parse(localStorage.getItem(draftKey) ?? 'null') as { requestId?: string } | null)?.requestId ??
        newRequestId()
      );
    } catch {
      return newRequestId();
    }
  });
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<ApiError | unknown>();
  const [serverIssues, setServerIssues] = useState<Map<string, Text>>(new Map());
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const [filed, setFiled] = useState<Filed>();
  const summaryRef = useRef<HTMLDivElement>(null);

  // The officer's own commune presets the place-of-birth, hometown and residence pickers on a fresh draft.
  useEffect(() => {
    if (restored || getAt(draft, 'child.placeOfBirth.address.provinceCode')) return;
    provinceOfCommune(s.user.unit).then((prov) => {
      if (!prov) return;
      setDraft((d) => {
        let x = d;
        for (const p of ['child.placeOfBirth.address', 'mother.residence', 'father.residence', 'residence.address']) {
          if (!getAt(x, `${p}.provinceCode`))
            x = setAt(setAt(x, `${p}.provinceCode`, prov), `${p}.communeCode`, s.user.unit);
        }
        if (!getAt(x, 'child.hometown.provinceCode')) x = setAt(x, 'child.hometown.provinceCode', prov);
        return x;
      });
    });
  }, []);

  // Autosave the draft (debounced).
  useEffect(() => {
    const timer = setTimeout(() => {
      try {
        localStorage.setItem(draftKey, JSON.stringify({ draft, requestId, savedAt: new Date().toISOString() }));
      } catch {
        /* storage full or disabled: the form still works */
      }
    }, 400);
    return () => clearTimeout(timer);
  }, [draft, requestId]);

  const dossier = useMemo(() => {
    const d = toDossier(draft);
    if (d.fatherSameResidenceAsMother === true && d.father && d.mother) {
      (d.father as Draft).residence = (d.mother as Draft).residence;
    }
    return d;
  }, [draft]);
  // The same schema as the API, as you type.
  const localIssues = useMemo(() => {
    const r = Dossier.safeParse(dossier);
    const m = new Map<string, Text>();
    if (!r.success)
      for (const zi of r.error.issues as ZodIssue[]) {
        const i = issueFromZod(zi, Dossier, dossier);
        if (!m.has(i.field)) m.set(i.field, i.message);
      }
    return m;
  }, [dossier]);

  const errorOf = (path: string) => {
    const server = serverIssues.get(path);
    if (server) return pick(server);
    const local = localIssues.get(path);
    return local && (submitted || touched.has(path)) ? pick(local) : undefined;
  };

  const ctx: FormCtx = {
    draft,
    set: (path, value) => {
      setDraft((d) => setAt(d, path, value));
      if (serverIssues.has(path)) {
        const m = new Map(serverIssues);
        m.delete(path);
        setServerIssues(m);
      }
    },
    errorOf,
    touch: (path) => setTouched((t0) => (t0.has(path) ? t0 : new Set(t0).add(path))),
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busyRef.current) return;
    setSubmitted(true);
    setServerError(undefined);
    if (localIssues.size > 0) {
      setTimeout(() => summaryRef.current?.focus());
      return;
    }
    busyRef.current = true;
    setBusy(true);
    try {
      const r = await call<Filed['response']>('/applications', { method: 'POST', body: { requestId, dossier } });
      localStorage.removeItem(draftKey);
      setFiled({ response: r, dossier: dossier as Filed['dossier'], unitName: s.user.unitName });
    } catch (err) {
      setServerError(err);
      if (err instanceof ApiError) {
        setServerIssues(new Map(err.issues.map((i) => [i.field.replace(/^dossier\./, ''), i.message])));
      }
      setTimeout(() => summaryRef.current?.focus());
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };

  const reset = () => {
    localStorage.removeItem(draftKey);
    setDraft(blankDraft(s.user.unit));
    setRequestId(newRequestId());
    setTouched(new Set());
    setSubmitted(false);
    setServerIssues(new Map());
    setServerError(undefined);
    setRestored(false);
    setFiled(undefined);
  };

  if (filed) return <Receipt filed={filed} onAnother={reset} />;

  const birthCase = String(draft.birthCase);
  const summary = [...new Map([...(submitted ? localIssues : []), ...serverIssues]).entries()];
  const ui = (draft.ui ?? {}) as { married?: boolean };
  return (
    <Ctx.Provider value={ctx}>
      <section class="file">
        <h1 ref={h} tabIndex={-1}>
          {t('fileDossier')}
        </h1>
        <p class="muted">
          {tx(
            'Các trường có dấu * là bắt buộc. Bản nháp được lưu tự động trên máy này.',
            'Fields marked * are required. The draft is saved on this computer as you type.',
          )}
        </p>
        {restored && (
          <Notice>
            {tx('Đã khôi phục bản nháp chưa nộp.', 'An unfiled draft was restored.')}{' '}
            <button type="button" class="link" onClick={reset}>
              {tx('Bỏ bản nháp', 'Discard the draft')}
            </button>
          </Notice>
        )}
        <div ref={summaryRef} tabIndex={-1} class="summary-anchor">
          {(summary.length > 0 || serverError !== undefined) && (
            <div class="alert alert-error" role="alert">
              <p>
                {serverError instanceof ApiError
                  ? pick(serverError.text)
                  : serverError
                    ? String((serverError as Error).message)
                    : tx(
                        `Hồ sơ có ${summary.length} lỗi cần sửa.`,
                        `The dossier has ${summary.length} problems to fix.`,
                      )}
              </p>
              {summary.length > 0 && (
                <ul>
                  {summary.map(([field, msg]) => (
                    <li key={field}>
                      <a
                        href={`#${fieldId(field)}`}
                        onClick={(ev) => {
                          ev.preventDefault();
                          const el = document.getElementById(fieldId(field));
                          el?.focus();
                          el?.scrollIntoView({ block: 'center' });
                        }}
                      >
                        {pick(msg)}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
        <form onSubmit={submit} noValidate class="stack">
          <Section title={{ vi: '1. Trường hợp và nơi đăng ký', en: '1. Case and registering commune' }}>
            <Radios path="birthCase" legend={{ vi: 'Trường hợp khai sinh', en: 'Birth case' }} options={BIRTH_CASES} />
            <p>
              {tx('Nơi đăng ký khai sinh', 'Registering commune')}: <strong>{s.user.unitName}</strong> (
              <code>{s.user.unit}</code>)
            </p>
          </Section>

          <Section title={{ vi: '2. Thông tin trẻ', en: '2. The child' }}>
            <div class="grid3">
              <TextInput path="child.surname" required maxLength={30} />
              <TextInput path="child.middleName" maxLength={50} />
              <TextInput path="child.givenName" required maxLength={30} />
            </div>
            <Radios path="child.sex" legend={{ vi: 'Giới tính', en: 'Sex' }} options={SEX} />
            <div class="grid3">
              <TextInput path="child.dateOfBirth" type="date" required />
              <TextInput path="child.timeOfBirth" type="time" />
              <TextInput path="child.birthOrder" inputMode="numeric" maxLength={2} />
            </div>
            <div class="grid2">
              <Select
                path="child.ethnicity.code"
                label={{ vi: 'Dân tộc', en: 'Ethnicity' }}
                options={ETHNICITIES}
                required
              />
              <TextInput
                path="child.nationality"
                maxLength={2}
                hint={{ vi: 'Mã 2 chữ cái, ví dụ VN', en: '2 letters, e.g. VN' }}
              />
            </div>
            {getAt(draft, 'child.ethnicity.code') === 'OTHER' && (
              <TextInput path="child.ethnicity.other" label={{ vi: 'Tên dân tộc', en: 'Ethnicity name' }} required />
            )}
            <AddressPicker path="child.placeOfBirth.address" legend={{ vi: 'Nơi sinh', en: 'Place of birth' }} />
            <TextInput path="child.placeOfBirth.facilityName" />
            <AddressPicker
              path="child.hometown"
              legend={{ vi: 'Quê quán', en: 'Hometown' }}
              withDetail={false}
              communeOptional
            />
          </Section>

          {hasMother(birthCase) && (
            <Section title={{ vi: '3. Thông tin mẹ', en: '3. The mother' }}>
              <ParentFields who="mother" />
            </Section>
          )}
          {hasFather(birthCase) && (
            <Section title={{ vi: '4. Thông tin cha', en: '4. The father' }}>
              <ParentFields who="father" />
            </Section>
          )}
          {isFoundling(birthCase) && (
            <Section title={{ vi: 'Trẻ bị bỏ rơi / chưa xác định cha mẹ', en: 'Abandoned child / parents unknown' }}>
              <TextInput path="foundling.foundOn" type="date" required />
              <AddressPicker
                path="foundling.foundAt"
                legend={{ vi: 'Nơi phát hiện trẻ', en: 'Where the child was found' }}
              />
              <TextInput path="foundling.recordNumber" />
            </Section>
          )}
          {hasFather(birthCase) && hasMother(birthCase) && (
            <Section title={{ vi: 'Đăng ký kết hôn của cha mẹ', en: "Parents' marriage" }}>
              <Check path="ui.married" label={{ vi: 'Cha mẹ đã đăng ký kết hôn', en: 'The parents are married' }} />
              {ui.married && (
                <div class="grid2">
                  <TextInput path="marriage.certificateNumber" required />
                  <TextInput path="marriage.bookNumber" />
                  <TextInput path="marriage.issuedOn" type="date" required />
                  <TextInput path="marriage.issuedBy" required />
                </div>
              )}
            </Section>
          )}

          <Section title={{ vi: '5. Người yêu cầu', en: '5. Applicant' }}>
            <div class="row">
              {hasFather(birthCase) && (
                <button type="button" class="btn btn-quiet" onClick={() => copyParentToApplicant(ctx, 'father')}>
                  {tx('Người yêu cầu là cha', 'The applicant is the father')}
                </button>
              )}
              {hasMother(birthCase) && (
                <button type="button" class="btn btn-quiet" onClick={() => copyParentToApplicant(ctx, 'mother')}>
                  {tx('Người yêu cầu là mẹ', 'The applicant is the mother')}
                </button>
              )}
            </div>
            <TextInput path="applicant.fullName" required maxLength={100} />
            <div class="grid2">
              <TextInput path="applicant.personalId" required inputMode="numeric" maxLength={12} />
              <Select
                path="applicant.relationship"
                label={{ vi: 'Quan hệ với trẻ', en: 'Relationship to the child' }}
                options={RELATIONSHIPS}
                required
              />
              <TextInput
                path="applicant.phone"
                type="tel"
                inputMode="tel"
                required
                autoComplete="off"
                hint={{ vi: '0xxxxxxxxx hoặc +84xxxxxxxxx', en: '0xxxxxxxxx or +84xxxxxxxxx' }}
              />
              <TextInput path="applicant.email" type="email" inputMode="email" />
            </div>
          </Section>

          <Section title={{ vi: '6. Giấy tờ chứng minh việc sinh', en: '6. Proof of birth' }}>
            <Select path="birthProof" label={{ vi: 'Loại giấy tờ', en: 'Document' }} options={PROOFS} required />
            {draft.birthProof === 'BIRTH_CERTIFICATE' && (
              <>
                <div class="grid2">
                  <TextInput
                    path="birthCertificate.number"
                    required
                    placeholder="01234.GCS.01821.26"
                    hint={{ vi: 'Dạng XXXXX.GCS.ZZZZZ.YY', en: 'Format XXXXX.GCS.ZZZZZ.YY' }}
                  />
                  <TextInput path="birthCertificate.facilityCode" inputMode="numeric" maxLength={5} />
                  <TextInput path="birthCertificate.issuedOn" type="date" required />
                  <TextInput path="birthCertificate.weightGrams" inputMode="numeric" maxLength={4} />
                </div>
                <Radios
                  path="birthCertificate.sex"
                  legend={{ vi: 'Giới tính ghi trên giấy chứng sinh', en: 'Sex on the certificate' }}
                  options={[...SEX, o('UNDETERMINED', 'Chưa xác định', 'Undetermined')]}
                />
              </>
            )}
          </Section>

          <Section title={{ vi: '7. Đăng ký thường trú', en: '7. Permanent residence' }}>
            <Check
              path="residence.requested"
              label={{ vi: 'Đăng ký thường trú cho trẻ', en: 'Register the child’s permanent residence' }}
            />
            <Select
              path="residence.joining"
              options={JOINING}
              label={{ vi: 'Trẻ về ở cùng', en: 'The child lives with' }}
            />
            <AddressPicker
              path="residence.address"
              legend={{ vi: 'Địa chỉ đăng ký thường trú', en: 'Address to register' }}
            />
            <fieldset>
              <legend>{tx('Chủ hộ', 'Household head')}</legend>
              <div class="grid2">
                <TextInput path="residence.householdHead.fullName" required maxLength={100} />
                <TextInput path="residence.householdHead.personalId" required inputMode="numeric" maxLength={12} />
                <Select
                  path="residence.householdHead.relationship"
                  options={HEAD_REL}
                  label={{ vi: 'Quan hệ của trẻ với chủ hộ', en: "Child's relationship to the head" }}
                />
                <Select
                  path="residence.headIsParent"
                  options={HEAD_IS_PARENT}
                  label={{ vi: 'Cha hoặc mẹ là chủ hộ', en: 'A parent is the head' }}
                />
              </div>
            </fieldset>
            <Select
              path="residence.consent"
              options={CONSENT}
              label={{ vi: 'Ý kiến đồng ý của chủ hộ', en: "Household head's consent" }}
            />
          </Section>

          <Section title={{ vi: '8. Thẻ BHYT và thẻ căn cước', en: '8. Health-insurance card and ID card' }}>
            <TextInput path="healthInsurance.initialCareFacility" required maxLength={200} />
            <Select
              path="healthInsurance.guardianOnCard"
              options={GUARDIAN}
              label={{ vi: 'Người giám hộ in trên thẻ', en: 'Guardian printed on the card' }}
            />
            <Check
              path="idCard.requested"
              label={{
                vi: 'Đề nghị cấp thẻ căn cước cho trẻ (từ 01/09/2026)',
                en: 'Ask for the child’s ID card (from 1 September 2026)',
              }}
            />
          </Section>

          <Section title={{ vi: '9. Nhận kết quả', en: '9. Delivery of results' }}>
            <div class="grid2">
              <Select path="delivery.birth" options={DELIVERY} required />
              <Select path="delivery.residence" options={DELIVERY} required />
              <Select path="delivery.healthInsurance" options={DELIVERY} required />
              {(draft.idCard as { requested?: boolean } | undefined)?.requested === true && (
                <Select path="delivery.idCard" options={DELIVERY} />
              )}
              <TextInput path="copies" inputMode="numeric" maxLength={2} />
            </div>
          </Section>

          <div class="row submit-row">
            <button type="submit" class="btn btn-primary" disabled={busy} aria-busy={busy}>
              {busy ? tx('Đang nộp…', 'Filing…') : tx('Nộp hồ sơ', 'File the dossier')}
            </button>
            <span class="muted" aria-live="polite">
              {localIssues.size === 0
                ? tx('Hồ sơ hợp lệ theo lược đồ.', 'The dossier passes the schema.')
                : tx(`Còn ${localIssues.size} trường cần khai.`, `${localIssues.size} fields still to complete.`)}
            </span>
          </div>
        </form>
      </section>
    </Ctx.Provider>
  );
};

const copyParentToApplicant = (f: FormCtx, who: 'father' | 'mother') => {
  f.set('applicant.fullName', getAt(f.draft, `${who}.fullName`) ?? '');
  f.set('applicant.personalId', getAt(f.draft, `${who}.personalId`) ?? '');
  f.set('applicant.relationship', who === 'father' ? 'FATHER' : 'MOTHER');
};
