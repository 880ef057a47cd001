/**
 * Filing the family's one dossier (POST /applications). Loaded on demand: it bundles zod and the very schema the API
 * validates with (functions/domain/dossier.ts), so the form checks every field as the officer types, with the same
 * bilingual messages (`issueFromZod`) and the schema's own "vi · en" field descriptions as labels. Drafts are kept in
 * localStorage; each submission carries a `requestId` so a double click or a retry never files twice.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { z } from 'zod';
import { Dossier, issueFromZod } from '#domain/dossier.js';
import { provinceOfCommune } from '../addresses';
import { ApiError, call, newRequestId, session } from '../api';
import { lang, pick, type Text, t, tx } from '../i18n';
import { useSignal } from '../signal';
import { Notice, usePageTitle } from '../ui';
import { Ctx, type FormCtx } from './file/controls';
import { blankDraft, type Draft, fieldId, getAt, setAt, toDossier } from './file/draft';
import {
  ApplicantSection,
  CardsSection,
  CaseSection,
  ChildSection,
  DeliverySection,
  ParentsSection,
  ProofSection,
  ResidenceSection,
} from './file/sections';
import { type Filed, Receipt } from './receipt';

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

  const summary = [...new Map([...(submitted ? localIssues : []), ...serverIssues]).entries()];
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
          <CaseSection />
          <ChildSection />
          <ParentsSection />
          <ApplicantSection />
          <ProofSection />
          <ResidenceSection />
          <CardsSection />
          <DeliverySection />

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
