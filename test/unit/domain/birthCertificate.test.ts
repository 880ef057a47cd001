import { describe, expect, it } from '@jest/globals';
import { dateInWords, electronicBirthCertificate, numberInWords } from '#domain/birthCertificate.js';
import { parseDossier } from '#domain/dossier.js';
import { sampleDossierInput } from '#fixtures/referenceCases.js';

describe('e-birth certificate: dates in words (Vietnamese)', () => {
  it.each([
    [1, 'một'],
    [10, 'mười'],
    [15, 'mười lăm'],
    [21, 'hai mươi mốt'],
    [24, 'hai mươi tư'],
    [25, 'hai mươi lăm'],
    [30, 'ba mươi'],
    [2005, 'hai nghìn không trăm linh năm'],
    [2010, 'hai nghìn không trăm mười'],
    [2026, 'hai nghìn không trăm hai mươi sáu'],
    [1995, 'một nghìn chín trăm chín mươi lăm'],
    [2000, 'hai nghìn'],
  ])('%i → %s', (n, words) => {
    expect(numberInWords(n)).toBe(words);
  });
  it('writes a date', () => {
    expect(dateInWords('2026-11-10')).toBe('ngày mười tháng mười một năm hai nghìn không trăm hai mươi sáu');
  });
});

describe('e-birth certificate: data from the dossier and the registration result (domain.md §7.1)', () => {
  it('builds the certificate fields', () => {
    const r = parseDossier(sampleDossierInput());
    if (!r.ok) throw new Error('sample must parse');
    const cert = electronicBirthCertificate(r.dossier, {
      birthRegistrationNumber: '123/2026/KS-00004',
      personalIdNumber: '001326123456',
      registeredOn: '2026-11-23',
      registeredBy: '00004',
    });
    expect(cert.child.fullName).toBe('TRẦN BẢO AN');
    expect(cert.child.sex).toEqual({ code: 'FEMALE', vi: 'Nữ', en: 'Female' });
    expect(cert.child.personalIdNumber).toBe('001326123456');
    expect(cert.child.ethnicity).toBe('Kinh');
    expect(cert.child.placeOfBirth).toContain('Bệnh viện Việt Đức');
    expect(cert.child.placeOfBirth).toContain('Phường Hoàn Kiếm, Thành phố Hà Nội');
    expect(cert.child.hometown).toBe('Thành phố Hà Nội');
    expect(cert.registeringAuthority).toBe('Ủy ban nhân dân Phường Ba Đình, Thành phố Hà Nội');
    expect(cert.mother?.fullName).toBe('NGUYỄN THỊ LAN');
    expect(cert.father?.personalIdNumber).toBe('001092006789');
    expect(cert.notes).toEqual([]);
    expect(cert.applicant.relationship).toBe('Mẹ');
    expect(cert.copiesIssued).toBe(1);
  });
  it('notes a missing parent and a personal ID still pending', () => {
    const r = parseDossier(sampleDossierInput({ birthCase: 'FATHER_UNKNOWN', father: undefined, marriage: undefined }));
    if (!r.ok) throw new Error('must parse');
    const cert = electronicBirthCertificate(r.dossier, {
      birthRegistrationNumber: '124/2026/KS-00004',
      registeredOn: '2026-11-23',
      registeredBy: '00004',
    });
    expect(cert.father).toBeUndefined();
    expect(cert.notes).toHaveLength(2);
    expect(cert.child.personalIdNumber).toBeUndefined();
  });
});
