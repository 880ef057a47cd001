/**
 * The whole dossier as the officer reviews it before deciding: one section per part (child and place of birth, the
 * birth certificate, mother, father, marriage, applicant, residence, health-insurance card, ID card, delivery), codes
 * shown as names, dates as dd/mm/yyyy, communes by name. The sections the signed-in officer's procedures need are
 * highlighted: which parts a procedure needs is the registry's (`dossierPart` and `supplementScope` of its entry).
 * The intake notes are shown next to the field they concern. No zod here: the labels are the officer's words.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ETHNICITY_NAMES } from '#domain/birthCertificate.js';
import type { ProcedureState } from '#domain/caseState.js';
import type { Address, Dossier } from '#domain/dossier.js';
import { bundleProcedures } from '#domain/procedures/bundle.js';
import { communeLabel } from '../../addresses';
import { fmtDate, intakeNoteNames, pick, procedureNames, type Text, tx } from '../../i18n';
import {
  BIRTH_CASES,
  CONSENT,
  DELIVERY,
  GUARDIAN,
  HEAD_IS_PARENT,
  HEAD_REL,
  JOINING,
  PROOFS,
  RELATIONSHIPS,
  SEX,
} from '../file/options';
import type { IntakeNote } from './intakeNotes';

const v = (vi: string, en: string): Text => ({ vi, en });

/** `a` is `b` or lies under it (`residence.consent` under `residence`), either way round. */
const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

interface Row {
  /** The dossier path the value comes from (intake notes are matched on it). */
  path: string;
  label: Text;
  value: ComponentChildren;
}

export interface DossierSection {
  id: string;
  title: Text;
  /** The dossier paths this section shows: a procedure whose registry scope covers one of them needs the section. */
  parts: string[];
  rows: Row[];
  /** Shown instead of rows when the part is absent (father unknown, no marriage, residence not requested). */
  absent?: Text;
}

const SEX_ON_CERT: [string, Text][] = [...SEX, ['UNDETERMINED', v('Chưa xác định', 'Undetermined')]];
const RESIDENCE_TYPE: [string, Text][] = [
  ['PERMANENT', v('Thường trú', 'Permanent residence')],
  ['TEMPORARY', v('Tạm trú', 'Temporary residence')],
  ['CURRENT', v('Nơi ở hiện tại', 'Current place of living')],
];
const ID_DOC: [string, Text][] = [
  ['PASSPORT', v('Hộ chiếu', 'Passport')],
  ['OTHER', v('Giấy tờ khác', 'Other document')],
];

/** The name of a code in a list of options; the code itself when unknown. */
const nameOf = (options: [string, Text][], code: string | undefined): string =>
  code === undefined ? '—' : pick(options.find(([c]) => c === code)?.[1]) || code;
const country = (c: string | undefined) => (!c ? '—' : c === 'VN' ? tx('Việt Nam', 'Viet Nam') : c);
const ethnicity = (e: { code: string; other?: string | undefined } | undefined) =>
  !e ? '—' : e.code === 'OTHER' ? (e.other ?? tx('Dân tộc khác', 'Other')) : (ETHNICITY_NAMES[e.code] ?? e.code);
const yesNo = (b: boolean | undefined) => (b ? tx('Có', 'Yes') : tx('Không', 'No'));
const text = (s: string | number | undefined | null) => (s === undefined || s === null || s === '' ? '—' : String(s));

/** The communes a dossier names, by code → "Phường Ba Đình, Thành phố Hà Nội" (loaded per province). */
const useCommuneNames = (d: Dossier) => {
  const [names, setNames] = useState<Record<string, string>>({});
  const codes = new Map<string, string | undefined>();
  const add = (code: string | undefined, province?: string) => {
    if (code) codes.set(code, province ?? codes.get(code));
  };
  add(d.registrationCommuneCode);
  for (const a of [
    d.child.placeOfBirth.address,
    d.mother?.residence,
    d.father?.residence,
    d.foundling?.foundAt,
    d.applicant.address,
    d.residence.address,
    d.delivery.postalAddress,
  ])
    if (a) add(a.communeCode, a.provinceCode);
  add(d.child.hometown.communeCode, d.child.hometown.provinceCode);
  const key = [...codes.keys()].sort().join(',');
  useEffect(() => {
    let live = true;
    Promise.all(
      [...codes].map(([c, p]) =>
        communeLabel(c, p).then(
          (label) => [c, label] as const,
          () => [c, c] as const,
        ),
      ),
    ).then((pairs) => live && setNames(Object.fromEntries(pairs)));
    return () => {
      live = false;
    };
  }, [key]);
  return (code: string | undefined) => (code ? (names[code] ?? code) : '—');
};

type Commune = (code: string | undefined) => string;

const address = (a: Address | undefined, commune: Commune) =>
  a ? [a.detail, commune(a.communeCode)].filter(Boolean).join(', ') : '—';

const parentRows = (key: 'mother' | 'father', p: NonNullable<Dossier['mother']>, commune: Commune): Row[] => [
  { path: `${key}.fullName`, label: v('Họ, chữ đệm và tên', 'Full name'), value: p.fullName },
  { path: `${key}.dateOfBirth`, label: v('Ngày sinh', 'Date of birth'), value: fmtDate(p.dateOfBirth) },
  { path: `${key}.personalId`, label: v('Số định danh cá nhân', 'Personal ID number'), value: text(p.personalId) },
  ...(p.identityDocument
    ? [
        {
          path: `${key}.identityDocument`,
          label: v('Giấy tờ tùy thân khác', 'Other identity document'),
          value: [
            nameOf(ID_DOC, p.identityDocument.type),
            p.identityDocument.number,
            p.identityDocument.issuedOn && fmtDate(p.identityDocument.issuedOn),
            p.identityDocument.issuedBy,
          ]
            .filter(Boolean)
            .join(' · '),
        },
      ]
    : []),
  { path: `${key}.ethnicity`, label: v('Dân tộc', 'Ethnicity'), value: ethnicity(p.ethnicity) },
  { path: `${key}.nationality`, label: v('Quốc tịch', 'Nationality'), value: country(p.nationality) },
  {
    path: `${key}.residence`,
    label: v('Nơi cư trú', 'Place of residence'),
    value: `${address(p.residence, commune)} (${nameOf(RESIDENCE_TYPE, p.residenceType)})`,
  },
];

/** The dossier's sections, in the order of the filing form. */
export const dossierSections = (d: Dossier, commune: Commune): DossierSection[] => {
  const c = d.child;
  const bc = d.birthCertificate;
  const hi = d.healthInsurance;
  const r = d.residence;
  const h = c.hometown;
  return [
    {
      id: 'child',
      title: v('Trẻ được khai sinh', 'The child'),
      parts: ['birthCase', 'child', 'registrationCommuneCode'],
      rows: [
        {
          path: 'child.name',
          label: v('Họ, chữ đệm và tên', 'Full name'),
          value: [c.surname, c.middleName, c.givenName].filter(Boolean).join(' '),
        },
        { path: 'child.sex', label: v('Giới tính', 'Sex'), value: nameOf(SEX, c.sex) },
        {
          path: 'child.dateOfBirth',
          label: v('Ngày sinh', 'Date of birth'),
          value: `${fmtDate(c.dateOfBirth)}${c.timeOfBirth ? ` ${tx('lúc', 'at')} ${c.timeOfBirth}` : ''}`,
        },
        { path: 'child.birthOrder', label: v('Con thứ trong lần sinh', 'Order within the birth'), value: c.birthOrder },
        { path: 'child.ethnicity', label: v('Dân tộc', 'Ethnicity'), value: ethnicity(c.ethnicity) },
        { path: 'child.nationality', label: v('Quốc tịch', 'Nationality'), value: country(c.nationality) },
        {
          path: 'child.placeOfBirth',
          label: v('Nơi sinh', 'Place of birth'),
          // The facility, then the address (without its detail when that only repeats the facility's name).
          value: [
            c.placeOfBirth.facilityName,
            c.placeOfBirth.address.detail === c.placeOfBirth.facilityName
              ? commune(c.placeOfBirth.address.communeCode)
              : address(c.placeOfBirth.address, commune),
            c.placeOfBirth.country !== 'VN' && country(c.placeOfBirth.country),
          ]
            .filter(Boolean)
            .join(' · '),
        },
        {
          path: 'child.hometown',
          label: v('Quê quán', 'Hometown'),
          value: [
            h.description,
            h.communeCode ? commune(h.communeCode) : h.provinceCode,
            h.country !== 'VN' && h.country,
          ]
            .filter(Boolean)
            .join(' · '),
        },
        { path: 'birthCase', label: v('Trường hợp khai sinh', 'Birth case'), value: nameOf(BIRTH_CASES, d.birthCase) },
        {
          path: 'registrationCommuneCode',
          label: v('Nơi đăng ký khai sinh', 'Registered at'),
          value: commune(d.registrationCommuneCode),
        },
      ],
    },
    {
      id: 'birthCertificate',
      title: v('Giấy chứng sinh', 'Birth certificate'),
      parts: ['birthProof', 'birthCertificate'],
      rows: [
        {
          path: 'birthProof',
          label: v('Giấy tờ chứng minh việc sinh', 'Proof of birth'),
          value: nameOf(PROOFS, d.birthProof),
        },
        ...(bc
          ? [
              {
                path: 'birthCertificate.number',
                label: v('Số giấy chứng sinh', 'Certificate number'),
                value: bc.number,
              },
              { path: 'birthCertificate.issuedOn', label: v('Ngày cấp', 'Issued on'), value: fmtDate(bc.issuedOn) },
              {
                path: 'birthCertificate.facility',
                label: v('Cơ sở y tế cấp', 'Issuing health facility'),
                value:
                  [bc.facilityName, bc.facilityCode && `${tx('mã', 'code')} ${bc.facilityCode}`]
                    .filter(Boolean)
                    .join(' · ') || '—',
              },
              {
                path: 'birthCertificate.sex',
                label: v('Giới tính ghi trên giấy', 'Sex on the certificate'),
                value: nameOf(SEX_ON_CERT, bc.sex),
              },
              ...(bc.dateOfBirth || bc.timeOfBirth
                ? [
                    {
                      path: 'birthCertificate.dateOfBirth',
                      label: v('Ngày, giờ sinh ghi trên giấy', 'Birth date and time on the certificate'),
                      value: [bc.dateOfBirth && fmtDate(bc.dateOfBirth), bc.timeOfBirth].filter(Boolean).join(' '),
                    },
                  ]
                : []),
              {
                path: 'birthCertificate.childrenBorn',
                label: v('Số con trong lần sinh', 'Children born'),
                value: bc.childrenBorn,
              },
              ...(bc.weightGrams
                ? [
                    {
                      path: 'birthCertificate.weightGrams',
                      label: v('Cân nặng', 'Weight'),
                      value: `${bc.weightGrams} g`,
                    },
                  ]
                : []),
              ...(bc.intendedName
                ? [
                    {
                      path: 'birthCertificate.intendedName',
                      label: v('Dự định đặt tên', 'Intended name'),
                      value: bc.intendedName,
                    },
                  ]
                : []),
              ...(bc.motherInsuranceCode
                ? [
                    {
                      path: 'birthCertificate.motherInsuranceCode',
                      label: v('Mã số BHXH của mẹ', "Mother's social-insurance code"),
                      value: bc.motherInsuranceCode,
                    },
                  ]
                : []),
            ]
          : []),
      ],
    },
    ...(d.foundling
      ? [
          {
            id: 'foundling',
            title: v('Trẻ bị bỏ rơi', 'Abandoned child'),
            parts: ['foundling'],
            rows: [
              {
                path: 'foundling.foundOn',
                label: v('Ngày phát hiện', 'Found on'),
                value: fmtDate(d.foundling.foundOn),
              },
              {
                path: 'foundling.foundAt',
                label: v('Nơi phát hiện', 'Found at'),
                value: address(d.foundling.foundAt, commune),
              },
              {
                path: 'foundling.recordNumber',
                label: v('Số biên bản', 'Record number'),
                value: text(d.foundling.recordNumber),
              },
              {
                path: 'foundling.postedFrom',
                label: v('Niêm yết từ ngày', 'Posted from'),
                value: fmtDate(d.foundling.postedFrom),
              },
            ],
          },
        ]
      : []),
    {
      id: 'mother',
      title: v('Mẹ', 'Mother'),
      parts: ['mother'],
      rows: d.mother ? parentRows('mother', d.mother, commune) : [],
      absent: v('Chưa xác định được mẹ', 'Mother not identified'),
    },
    {
      id: 'father',
      title: v('Cha', 'Father'),
      parts: ['father', 'fatherSameResidenceAsMother'],
      rows: d.father
        ? [
            ...parentRows('father', d.father, commune),
            ...(d.fatherSameResidenceAsMother !== undefined
              ? [
                  {
                    path: 'fatherSameResidenceAsMother',
                    label: v('Cùng nơi cư trú với mẹ', "At the mother's residence"),
                    value: yesNo(d.fatherSameResidenceAsMother),
                  },
                ]
              : []),
          ]
        : [],
      absent: v('Chưa xác định được cha', 'Father not identified'),
    },
    {
      id: 'marriage',
      title: v('Đăng ký kết hôn của cha mẹ', "The parents' marriage"),
      parts: ['marriage'],
      rows: d.marriage
        ? [
            {
              path: 'marriage.certificateNumber',
              label: v('Số giấy chứng nhận kết hôn', 'Marriage certificate number'),
              value: [
                d.marriage.certificateNumber,
                d.marriage.bookNumber && `${tx('quyển số', 'book')} ${d.marriage.bookNumber}`,
              ]
                .filter(Boolean)
                .join(' · '),
            },
            {
              path: 'marriage.issuedOn',
              label: v('Ngày đăng ký kết hôn', 'Registered on'),
              value: fmtDate(d.marriage.issuedOn),
            },
            { path: 'marriage.issuedBy', label: v('Nơi đăng ký kết hôn', 'Registered by'), value: d.marriage.issuedBy },
          ]
        : [],
      absent: v('Không khai đăng ký kết hôn', 'No marriage declared'),
    },
    {
      id: 'applicant',
      title: v('Người yêu cầu', 'Applicant'),
      parts: ['applicant'],
      rows: [
        { path: 'applicant.fullName', label: v('Họ, chữ đệm và tên', 'Full name'), value: d.applicant.fullName },
        {
          path: 'applicant.relationship',
          label: v('Quan hệ với trẻ', 'Relationship to the child'),
          value: nameOf(RELATIONSHIPS, d.applicant.relationship),
        },
        {
          path: 'applicant.personalId',
          label: v('Số định danh cá nhân', 'Personal ID number'),
          value: d.applicant.personalId,
        },
        ...(d.applicant.dateOfBirth
          ? [
              {
                path: 'applicant.dateOfBirth',
                label: v('Ngày sinh', 'Date of birth'),
                value: fmtDate(d.applicant.dateOfBirth),
              },
            ]
          : []),
        ...(d.applicant.sex
          ? [{ path: 'applicant.sex', label: v('Giới tính', 'Sex'), value: nameOf(SEX, d.applicant.sex) }]
          : []),
        { path: 'applicant.phone', label: v('Số điện thoại', 'Phone'), value: d.applicant.phone },
        ...(d.applicant.email
          ? [{ path: 'applicant.email', label: v('Thư điện tử', 'E-mail'), value: d.applicant.email }]
          : []),
        ...(d.applicant.address
          ? [
              {
                path: 'applicant.address',
                label: v('Nơi cư trú', 'Residence'),
                value: address(d.applicant.address, commune),
              },
            ]
          : []),
      ],
    },
    {
      id: 'residence',
      title: v('Đăng ký thường trú', 'Permanent residence'),
      parts: ['residence', 'delivery.residence'],
      rows: r.requested
        ? [
            {
              path: 'residence.address',
              label: v('Địa chỉ đăng ký thường trú', 'Address'),
              value: address(r.address, commune),
            },
            {
              path: 'residence.joining',
              label: v('Trẻ về ở cùng', 'Moves in with'),
              value: nameOf(JOINING, r.joining),
            },
            {
              path: 'residence.householdHead',
              label: v('Chủ hộ', 'Household head'),
              value: `${r.householdHead.fullName} · ${r.householdHead.personalId}`,
            },
            {
              path: 'residence.householdHead.relationship',
              label: v('Quan hệ của trẻ với chủ hộ', 'Relationship to the head'),
              value: nameOf(HEAD_REL, r.householdHead.relationship),
            },
            {
              path: 'residence.headIsParent',
              label: v('Cha hoặc mẹ là chủ hộ', 'A parent is the head'),
              value: nameOf(HEAD_IS_PARENT, r.headIsParent),
            },
            {
              path: 'residence.consent',
              label: v('Ý kiến đồng ý của chủ hộ', "Household head's consent"),
              value: nameOf(CONSENT, r.consent),
            },
            {
              path: 'delivery.residence',
              label: v('Nhận thông báo kết quả', 'Delivery of the result'),
              value: nameOf(DELIVERY, d.delivery.residence),
            },
          ]
        : [],
      absent: v('Không yêu cầu đăng ký thường trú', 'Permanent residence not requested'),
    },
    {
      id: 'healthInsurance',
      title: v('Thẻ bảo hiểm y tế', 'Health-insurance card'),
      parts: ['healthInsurance', 'delivery.healthInsurance'],
      rows: [
        {
          path: 'healthInsurance.initialCareFacility',
          label: v('Nơi đăng ký KCB ban đầu', 'Initial care facility'),
          value: [
            hi.initialCareFacility,
            hi.initialCareFacilityCode && `${tx('mã', 'code')} ${hi.initialCareFacilityCode}`,
          ]
            .filter(Boolean)
            .join(' · '),
        },
        {
          path: 'healthInsurance.guardianOnCard',
          label: v('Người giám hộ ghi trên thẻ', 'Guardian on the card'),
          value: nameOf(GUARDIAN, hi.guardianOnCard ?? ''),
        },
        ...(hi.poorHousehold
          ? [
              {
                path: 'healthInsurance.poorHousehold',
                label: v('Giấy chứng nhận hộ nghèo', 'Poor-household certificate'),
                value: `${hi.poorHousehold.certificateNumber} · ${fmtDate(hi.poorHousehold.issuedOn)}`,
              },
            ]
          : []),
        {
          path: 'delivery.healthInsurance',
          label: v('Nhận thẻ', 'Delivery of the card'),
          value: nameOf(DELIVERY, d.delivery.healthInsurance),
        },
      ],
    },
    {
      id: 'idCard',
      title: v('Thẻ căn cước', 'ID card'),
      parts: ['idCard', 'delivery.idCard'],
      rows: d.idCard.requested
        ? [
            { path: 'idCard.requested', label: v('Yêu cầu cấp thẻ căn cước', 'ID card requested'), value: yesNo(true) },
            {
              path: 'delivery.idCard',
              label: v('Nhận thẻ căn cước', 'Delivery of the ID card'),
              value: nameOf(DELIVERY, d.delivery.idCard),
            },
          ]
        : [],
      absent: v('Không yêu cầu cấp thẻ căn cước', 'No ID card requested'),
    },
    {
      id: 'delivery',
      title: v('Nhận kết quả khai sinh', 'Delivery of the birth certificate'),
      parts: ['delivery.birth', 'copies'],
      rows: [
        { path: 'delivery.birth', label: v('Cách nhận', 'How'), value: nameOf(DELIVERY, d.delivery.birth) },
        { path: 'copies', label: v('Số bản sao', 'Certified copies'), value: d.copies },
        ...(d.delivery.postalAddress
          ? [
              {
                path: 'delivery.postalAddress',
                label: v('Địa chỉ nhận qua bưu chính', 'Postal address'),
                value: address(d.delivery.postalAddress, commune),
              },
            ]
          : []),
      ],
    },
  ];
};

/** The procedures of this case the signed-in officer decides, and the dossier paths each needs (registry). */
export const neededParts = (role: string | undefined, procedures: ProcedureState[]) =>
  bundleProcedures
    .filter((p) => p.decidedBy === role && procedures.some((x) => x.procedure === p.code))
    .map((p) => ({
      procedure: p.code as string,
      paths: [
        ...((p as { dossierPart?: string }).dossierPart ? [(p as { dossierPart: string }).dossierPart] : []),
        ...p.supplementScope,
      ],
    }));

/** Which of the officer's procedures need a section (a section path lies under one of the procedure's paths). */
export const neededBy = (section: Pick<DossierSection, 'parts'>, needs: ReturnType<typeof neededParts>) =>
  needs.filter((n) => n.paths.some((p) => section.parts.some((s) => overlaps(s, p)))).map((n) => n.procedure);

const NoteLine = ({ n }: { n: IntakeNote }) => (
  <p class="field-note" role="note">
    <strong>{pick(intakeNoteNames[n.kind] ?? { vi: n.kind, en: n.kind })}:</strong> {pick(n.message)}
  </p>
);

export interface DossierViewProps {
  dossier: Dossier;
  /** What the intake check found (DOSSIER_RECEIVED `notes`), each shown beside the field it names. */
  notes: IntakeNote[];
  /** The signed-in officer's role: the sections its procedures need are highlighted. */
  role: string | undefined;
  procedures: ProcedureState[];
}

export const DossierView = ({ dossier, notes, role, procedures }: DossierViewProps) => {
  const commune = useCommuneNames(dossier);
  const needs = neededParts(role, procedures);
  const sections = dossierSections(dossier, commune);
  return (
    <section class="dossier" aria-labelledby="dossier-title">
      <h2 id="dossier-title">{tx('Nội dung hồ sơ', 'The dossier')}</h2>
      <div class="dossier-parts">
        {sections.map((s) => {
          const by = neededBy(s, needs);
          const rowPaths = s.rows.map((r) => r.path);
          // Notes on a field this section shows go beside it; other notes about the section go below its fields.
          const sectionNotes = notes.filter(
            (n) =>
              n.field && s.parts.some((p) => overlaps(n.field!, p)) && !rowPaths.some((rp) => overlaps(n.field!, rp)),
          );
          return (
            <section
              key={s.id}
              id={`dossier-${s.id}`}
              class={`dossier-part${by.length ? ' dossier-needed' : ''}`}
              aria-labelledby={`dossier-${s.id}-h`}
              data-needed={by.length ? 'true' : undefined}
            >
              <h3 id={`dossier-${s.id}-h`}>{pick(s.title)}</h3>
              {by.length > 0 && (
                <p class="needed-tag">
                  {tx('Cần cho thủ tục của bạn', 'Needed for your procedure')}:{' '}
                  {by.map((p) => pick(procedureNames[p])).join(', ')}
                </p>
              )}
              {s.rows.length ? (
                <dl class="kv">
                  {s.rows.map((r) => {
                    const mine = notes.filter((n) => n.field && overlaps(n.field, r.path));
                    return (
                      <>
                        <dt key={`${r.path}-t`}>{pick(r.label)}</dt>
                        <dd key={`${r.path}-d`} data-path={r.path} class={mine.length ? 'has-note' : undefined}>
                          {r.value}
                          {mine.map((n) => (
                            <NoteLine key={n.kind} n={n} />
                          ))}
                        </dd>
                      </>
                    );
                  })}
                </dl>
              ) : (
                <p class="muted">{pick(s.absent)}</p>
              )}
              {sectionNotes.map((n) => (
                <NoteLine key={n.kind} n={n} />
              ))}
            </section>
          );
        })}
      </div>
    </section>
  );
};
