/** The filing form's controls: one context for the draft, and inputs that read and write it by path. */
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { loadCommunes, loadProvinces, type Unit } from '../../addresses';
import { pick, type Text, t, tx } from '../../i18n';
import { Field } from '../../ui';
import { type Draft, fieldId, getAt, schemaLabel } from './draft';

// ---------------------------------------------------------------------------------------------------------------
// Form context and controls
// ---------------------------------------------------------------------------------------------------------------

export interface FormCtx {
  draft: Draft;
  set: (path: string, value: unknown) => void;
  errorOf: (path: string) => string | undefined;
  touch: (path: string) => void;
}
export const Ctx = createContext<FormCtx>(null as unknown as FormCtx);

export const labelOf = (path: string, label?: Text) => pick(label ?? schemaLabel(path) ?? { vi: path, en: path });

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

export const TextInput = ({
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

export const Select = ({
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

export const Check = ({ path, label }: { path: string; label: Text }) => {
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

export const Radios = ({ path, legend, options }: { path: string; legend?: Text; options: [string, Text][] }) => {
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

export const Section = ({ title, children, id }: { title: Text; children: ComponentChildren; id?: string }) => (
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
export const AddressPicker = ({
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
