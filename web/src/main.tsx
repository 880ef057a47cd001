/**
 * The web app: officers file and decide, parents track, auditors read. Hash routing (`#/queue`, `#/cases/<id>`, ...)
 * because the server's own paths (/cases, /queue, /tracking) are the API. The filing form (zod + the dossier schema)
 * and the PDF code load on demand, so the parent's tracking page stays small on a slow phone.
 */
import type { ComponentChildren, ComponentType } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { bundleFilingRole } from '#domain/procedures/bundle.js';
import { session } from './api';
import { loadConfig } from './config';
import { lang, pick, roleNames, setLang, t } from './i18n';
import { AuditPage } from './pages/audit';
import { CasePage } from './pages/case';
import { LoginPage } from './pages/login';
import { QueuePage } from './pages/queue';
import { TrackPage } from './pages/track';
import { route } from './router';
import { signal, useSignal } from './signal';
import { signOut, startAuth } from './signin';
import { ErrorBox, Loading, usePageTitle } from './ui';
import './styles.css';

/** The filing form, loaded when first needed (it carries zod and the dossier schema). */
const formModule = signal<{ FilePage: ComponentType } | undefined>(undefined);
const LazyFilePage = () => {
  const mod = useSignal(formModule);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!mod) import('./pages/file').then((m) => formModule.set(m), setError);
  }, [mod]);
  if (error) return <ErrorBox error={error} />;
  return mod ? <mod.FilePage /> : <Loading />;
};

const Home = () => {
  const h = usePageTitle(t('welcome'));
  const s = useSignal(session);
  return (
    <section class="home">
      <h1 ref={h} tabIndex={-1}>
        {t('welcome')}
      </h1>
      <ul class="cards">
        <li>
          <a class="card" href="#/track">
            <strong>{t('parentArea')}</strong>
            <span>{t('trackIntro')}</span>
          </a>
        </li>
        <li>
          <a class="card" href={s ? '#/queue' : '#/login'}>
            <strong>{t('officerArea')}</strong>
            <span>{lang.get() === 'vi' ? 'Tiếp nhận, xử lý, trả kết quả' : 'File, decide, issue results'}</span>
          </a>
        </li>
        <li>
          <a class="card" href={s ? '#/audit' : '#/login?next=audit'}>
            <strong>{t('auditArea')}</strong>
            <span>{lang.get() === 'vi' ? 'Đọc diễn biến, kiểm tra, chạy lại' : 'Read, verify and replay a case'}</span>
          </a>
        </li>
      </ul>
    </section>
  );
};

const Header = () => {
  const s = useSignal(session);
  const l = useSignal(lang);
  const r = useSignal(route);
  const role = s?.user.role;
  const officer = role && role !== 'auditor';
  const link = (href: string, label: string, active: boolean) => (
    <a href={href} aria-current={active ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <header class="top">
      {/* A button, not an in-page link: with hash routing, "#main" would be read as a route. */}
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        {t('skip')}
      </button>
      <div class="top-inner">
        <a class="brand" href="#/">
          <span class="logo" aria-hidden="true">
            ★
          </span>
          <span>{t('appName')}</span>
        </a>
        <nav aria-label={l === 'vi' ? 'Điều hướng chính' : 'Main navigation'}>
          {officer && link('#/queue', t('queue'), r.name === 'queue')}
          {role === bundleFilingRole && link('#/file', t('fileDossier'), r.name === 'file')}
          {role === 'auditor' && link('#/audit', t('auditArea'), r.name === 'audit')}
          {link('#/track', t('parentArea'), r.name === 'track')}
        </nav>
        <div class="top-tools">
          <fieldset class="lang">
            <legend class="sr-only">{t('language')}</legend>
            <button type="button" lang="vi" aria-pressed={l === 'vi'} onClick={() => setLang('vi')}>
              Tiếng Việt
            </button>
            <button type="button" lang="en" aria-pressed={l === 'en'} onClick={() => setLang('en')}>
              English
            </button>
          </fieldset>
          {s && (
            <div class="who">
              <span>
                {s.user.name} · {pick(roleNames[s.user.role])} · {s.user.unitName}
              </span>
              <button type="button" class="btn btn-quiet" onClick={signOut}>
                {t('signOut')}
              </button>
            </div>
          )}
        </div>
      </div>
    </header>
  );
};

const needsSignIn = new Set(['queue', 'file', 'case', 'audit']);

const App = () => {
  const r = useSignal(route);
  const s = useSignal(session);
  useSignal(lang);
  let page: ComponentChildren;
  if (needsSignIn.has(r.name) && !s) page = <LoginPage next={location.hash} />;
  else
    switch (r.name) {
      case 'login':
        page = <LoginPage next={r.params.next ? `#/${r.params.next}` : undefined} />;
        break;
      case 'queue':
        page = <QueuePage />;
        break;
      case 'file':
        page = <LazyFilePage />;
        break;
      case 'case':
        page = <CasePage caseId={r.params.id ?? ''} />;
        break;
      case 'track':
        page = <TrackPage code={r.params.id} />;
        break;
      case 'audit':
        page = <AuditPage caseId={r.params.id} />;
        break;
      default:
        page = <Home />;
    }
  return (
    <>
      <Header />
      <main id="main" tabIndex={-1} key={`${r.name}:${r.params.id ?? ''}`}>
        {page}
      </main>
      <footer class="foot">
        <p>
          {lang.get() === 'vi'
            ? 'Nghị định 63/2024/NĐ-CP · Nghị định 301/2026/NĐ-CP · Thủ tục liên thông 2.000986 / 2.000987'
            : 'Decree 63/2024 · Decree 301/2026 · Interconnected procedures 2.000986 / 2.000987'}
        </p>
      </footer>
    </>
  );
};

// `/config.json` first (local form or Cognito's managed login; the Cognito code is a chunk loaded only then), then
// the page; a return from the managed login (`/?code=&state=`) is finished while the login page shows its progress.
loadConfig()
  .then(() => startAuth())
  .catch(() => undefined)
  .then(() => {
    const root = document.getElementById('app')!;
    root.textContent = '';
    render(<App />, root);
  });
