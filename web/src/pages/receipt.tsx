/**
 * After filing: the dossier code and the tracking secret, shown ONCE, and the receipt to print
 * (Giấy tiếp nhận hồ sơ và hẹn trả kết quả) with the expected date of each result.
 */

import { useEffect, useRef, useState } from 'preact/hooks';
import type { Deadlines } from '#domain/deadlines.js';
import { bundleProcedures } from '#domain/procedures/bundle.js';
import { communeLabel } from '../addresses';
import { fmtDate, fmtDateTime, pick, t, tx } from '../i18n';
import { fullName } from './case/timeline';

export interface Filed {
  response: {
    caseId: string;
    dossierCode: string;
    trackingSecret?: string;
    receivedAt: string;
    expectedDeadlines?: Deadlines;
    replayed?: boolean;
  };
  dossier: {
    registrationCommuneCode: string;
    child: { surname: string; middleName?: string; givenName: string; dateOfBirth: string };
    applicant: { fullName: string; phone: string; personalId: string };
    residence?: { requested?: boolean };
    idCard?: { requested?: boolean };
  };
  unitName: string;
}

export const Receipt = ({ filed, onAnother }: { filed: Filed; onAnother: () => void }) => {
  const r = filed.response;
  const d = filed.dossier;
  const e = r.expectedDeadlines;
  const h = useRef<HTMLHeadingElement>(null);
  const [commune, setCommune] = useState(filed.unitName);
  useEffect(() => {
    h.current?.focus();
    document.title = `${t('filed')} ${r.dossierCode}`;
    communeLabel(d.registrationCommuneCode).then(
      (l) => l !== d.registrationCommuneCode && setCommune(`UBND ${l}`),
      () => undefined,
    );
  }, []);
  // Every procedure the dossier asks for, as the registry names it, with its appointment.
  const rows: [string, string | undefined][] = bundleProcedures
    .filter(
      (p) =>
        p.request.kind === 'always' ||
        ((d as Record<string, { requested?: boolean } | undefined>)[p.request.flag]?.requested ??
          p.request.kind === 'dossier'),
    )
    .map((p) => [pick(p.name), (e as Record<string, string | undefined> | undefined)?.[p.key]]);
  const trackUrl = `${location.origin}${location.pathname}#/track/${encodeURIComponent(r.dossierCode)}`;
  return (
    <section>
      <div class="no-print">
        <h1 ref={h} tabIndex={-1}>
          {t('filed')}: <code>{r.dossierCode}</code>
        </h1>
        {r.trackingSecret ? (
          <div class="alert alert-warn" role="alert">
            <p>
              <strong>{t('secretOnce')}</strong>
            </p>
          </div>
        ) : (
          <div class="alert alert-info" role="status">
            <p>
              {tx(
                'Hồ sơ này đã được nộp trước đó (gửi lại cùng một yêu cầu); mã bí mật đã được cấp lần trước.',
                'This dossier was already filed by the same request; its secret was given the first time.',
              )}
            </p>
          </div>
        )}
        <div class="row">
          <button type="button" class="btn btn-primary" onClick={() => print()}>
            {t('printReceipt')}
          </button>
          <a class="btn" href={`#/cases/${encodeURIComponent(r.caseId)}`}>
            {t('openCase')}
          </a>
          <button type="button" class="btn btn-quiet" onClick={onAnother}>
            {t('fileAnother')}
          </button>
        </div>
      </div>
      <article class="receipt" aria-label={t('receipt')}>
        <header class="receipt-head">
          <p class="caps">{commune}</p>
          <p class="motto">
            <strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong>
            <br />
            Độc lập – Tự do – Hạnh phúc
          </p>
        </header>
        <h2 class="receipt-title">GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ</h2>
        <p class="receipt-sub">
          {tx(
            'Liên thông: đăng ký khai sinh – đăng ký thường trú – cấp thẻ BHYT cho trẻ dưới 6 tuổi',
            'Receipt and appointment: birth – residence – health-insurance card',
          )}
        </p>
        <dl class="kv">
          <dt>{t('dossierCode')}</dt>
          <dd>
            <strong class="big" data-testid="dossier-code">
              {r.dossierCode}
            </strong>
          </dd>
          {r.trackingSecret && (
            <>
              <dt>{t('secret')}</dt>
              <dd>
                <strong class="big secret" data-testid="tracking-secret">
                  {r.trackingSecret}
                </strong>
              </dd>
            </>
          )}
          <dt>{tx('Người nộp', 'Applicant')}</dt>
          <dd>
            {d.applicant.fullName} · {d.applicant.phone}
          </dd>
          <dt>{t('child')}</dt>
          <dd>
            {fullName(d.child)} · {fmtDate(d.child.dateOfBirth)}
          </dd>
          <dt>{t('receivedAt')}</dt>
          <dd>{fmtDateTime(r.receivedAt)}</dd>
        </dl>
        <table class="table">
          <caption>{tx('Hẹn trả kết quả', 'Results expected by')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('procedure')}</th>
              <th scope="col">{tx('Hẹn trả', 'Expected by')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([name, at]) => (
              <tr key={name}>
                <td>{name}</td>
                <td>{fmtDateTime(at)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('bundleDeadline')}</th>
              <td>
                <strong>{fmtDateTime(e?.bundle)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
        <p class="small">
          {tx('Tra cứu tình trạng hồ sơ tại', 'Track the dossier at')} <span class="url">{trackUrl}</span>{' '}
          {tx('bằng mã hồ sơ và mã bí mật ở trên.', 'with the code and secret above.')}
        </p>
        <div class="signatures">
          <p>
            <strong>{tx('Người nộp hồ sơ', 'Applicant')}</strong>
            <br />
            <em>{tx('(ký, ghi rõ họ tên)', '(signature, full name)')}</em>
          </p>
          <p>
            <strong>{tx('Cán bộ tiếp nhận', 'Receiving officer')}</strong>
            <br />
            <em>{tx('(ký, ghi rõ họ tên)', '(signature, full name)')}</em>
          </p>
        </div>
      </article>
    </section>
  );
};
