/** The sections of the filing form, in the order of the paper form; each reads the draft from the form's context. */
import { useContext } from 'preact/hooks';
import { session } from '../../api';
import { tx } from '../../i18n';
import { useSignal } from '../../signal';
import { AddressPicker, Check, Ctx, type FormCtx, Radios, Section, Select, TextInput } from './controls';
import { getAt, hasFather, hasMother, isFoundling } from './draft';
import {
  BIRTH_CASES,
  CONSENT,
  DELIVERY,
  ETHNICITIES,
  GUARDIAN,
  HEAD_IS_PARENT,
  HEAD_REL,
  JOINING,
  o,
  PROOFS,
  RELATIONSHIPS,
  SEX,
} from './options';

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

/** 1. The birth case, and the registering commune (the officer's own). */
export const CaseSection = () => {
  const s = useSignal(session)!;
  return (
    <Section title={{ vi: '1. Trường hợp và nơi đăng ký', en: '1. Case and registering commune' }}>
      <Radios path="birthCase" legend={{ vi: 'Trường hợp khai sinh', en: 'Birth case' }} options={BIRTH_CASES} />
      <p>
        {tx('Nơi đăng ký khai sinh', 'Registering commune')}: <strong>{s.user.unitName}</strong> (
        <code>{s.user.unit}</code>)
      </p>
    </Section>
  );
};

/** 2. The child. */
export const ChildSection = () => {
  const ctx = useContext(Ctx);
  const { draft } = ctx;
  return (
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
        <Select path="child.ethnicity.code" label={{ vi: 'Dân tộc', en: 'Ethnicity' }} options={ETHNICITIES} required />
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
  );
};

/** 3–4. The mother and the father as the birth case has them, a foundling's record, the parents' marriage. */
export const ParentsSection = () => {
  const ctx = useContext(Ctx);
  const birthCase = String(ctx.draft.birthCase);
  const ui = (ctx.draft.ui ?? {}) as { married?: boolean };
  return (
    <>
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
    </>
  );
};

/** 5. Who asks (often a parent: one click copies them). */
export const ApplicantSection = () => {
  const ctx = useContext(Ctx);
  const birthCase = String(ctx.draft.birthCase);
  return (
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
  );
};

/** 6. The proof of birth. */
export const ProofSection = () => {
  const ctx = useContext(Ctx);
  const { draft } = ctx;
  return (
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
  );
};

/** 7. Permanent residence. */
export const ResidenceSection = () => {
  return (
    <Section title={{ vi: '7. Đăng ký thường trú', en: '7. Permanent residence' }}>
      <Check
        path="residence.requested"
        label={{ vi: 'Đăng ký thường trú cho trẻ', en: 'Register the child’s permanent residence' }}
      />
      <Select path="residence.joining" options={JOINING} label={{ vi: 'Trẻ về ở cùng', en: 'The child lives with' }} />
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
  );
};

/** 8. The health-insurance card and the ID card. */
export const CardsSection = () => {
  return (
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
  );
};

/** 9. How each result is delivered. */
export const DeliverySection = () => {
  const ctx = useContext(Ctx);
  const { draft } = ctx;
  return (
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
  );
};

const copyParentToApplicant = (f: FormCtx, who: 'father' | 'mother') => {
  f.set('applicant.fullName', getAt(f.draft, `${who}.fullName`) ?? '');
  f.set('applicant.personalId', getAt(f.draft, `${who}.personalId`) ?? '');
  f.set('applicant.relationship', who === 'father' ? 'FATHER' : 'MOTHER');
};
