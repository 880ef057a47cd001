/**
 * Sign in. On the local stack: user name + password at the local token issuer, with the demo users listed. On AWS
 * (`/config.json` says `cognito`): one button to the user pool's managed login (password + TOTP), see auth.ts.
 */
import { useState } from 'preact/hooks';
import { call, signIn } from '../api';
import { config } from '../config';
import { pick, roleNames, t, tx } from '../i18n';
import { navigate } from '../router';
import { useSignal } from '../signal';
import { beginSignIn, signInProgress } from '../signin';
import { ErrorBox, Field, Loading, useLoad, usePageTitle } from '../ui';

/** The demo accounts (never their password: it is the one `npm start` prints, `LIENTHONG_DEMO_PASSWORD`). */
interface DemoUsers {
  users: { username: string; name: string; role: string; unitName: string }[];
}

export const LoginPage = ({ next }: { next?: string | undefined }) =>
  useSignal(config).auth.type === 'cognito' ? <CognitoLogin next={next} /> : <LocalLogin next={next} />;

/** AWS: the officer signs in at Cognito's managed login (first time: new password and authenticator enrolment). */
const CognitoLogin = ({ next }: { next?: string | undefined }) => {
  const h = usePageTitle(t('signIn'));
  const progress = useSignal(signInProgress);
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const go = () => {
    setLeaving(true);
    setError(undefined);
    beginSignIn(next && next !== '#/login' ? next : undefined).catch((e: unknown) => {
      setLeaving(false);
      setError(e);
    });
  };
  const shown = error ?? progress.error;
  return (
    <section class="narrow">
      <h1 ref={h} tabIndex={-1}>
        {t('signIn')}
      </h1>
      {progress.busy ? (
        <Loading label={tx('Đang hoàn tất đăng nhập…', 'Finishing sign-in…')} />
      ) : (
        <div class="stack">
          {shown ? <ErrorBox error={shown} /> : null}
          <p>
            {tx(
              'Cán bộ và thanh tra đăng nhập bằng tài khoản do quản trị viên cấp: tên đăng nhập, mật khẩu và mã 6 số từ ứng dụng xác thực. Lần đầu đăng nhập, bạn sẽ đặt mật khẩu mới và cài ứng dụng xác thực (quét mã QR).',
              'Officers and auditors sign in with the account their administrator created: user name, password and the 6-digit code of an authenticator app. At the first sign-in you choose a new password and set up the authenticator app (scan the QR code).',
            )}
          </p>
          <button class="btn btn-primary" type="button" onClick={go} disabled={leaving}>
            {tx('Đăng nhập bằng tài khoản cán bộ', 'Sign in with your officer account')}
          </button>
        </div>
      )}
    </section>
  );
};

/** Local stack: user name + password, `POST /local/token`. */
const LocalLogin = ({ next }: { next?: string | undefined }) => {
  const h = usePageTitle(t('signIn'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  // The demo users exist only on the local stack; elsewhere the list is simply absent.
  const demo = useLoad((signal) => call<DemoUsers>('/local/users', { auth: false, signal }).catch(() => undefined), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const user = await signIn(username.trim(), password);
      navigate(next && next !== '#/login' ? next : user.role === 'auditor' ? '#/audit' : '#/queue');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="narrow">
      <h1 ref={h} tabIndex={-1}>
        {t('signIn')}
      </h1>
      {error ? <ErrorBox error={error} /> : null}
      <form onSubmit={submit} class="stack" noValidate>
        <Field label={t('username')} required>
          {({ id }) => (
            <input
              id={id}
              name="username"
              autoComplete="username"
              required
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t('password')} required>
          {({ id }) => (
            <input
              id={id}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          )}
        </Field>
        <button class="btn btn-primary" type="submit" disabled={busy}>
          {busy ? t('loading') : t('signIn')}
        </button>
      </form>
      {demo.data && (
        <details class="demo" open>
          <summary>{t('demoUsers')}</summary>
          <p>{t('demoPassword')}</p>
          <ul class="demo-users">
            {demo.data.users.map((u) => (
              <li key={u.username}>
                <button
                  type="button"
                  class="link"
                  onClick={() => setUsername(u.username)}
                  aria-label={tx(`Điền tài khoản ${u.username}`, `Fill in ${u.username}`)}
                >
                  <code>{u.username}</code>
                </button>{' '}
                {u.name} · {pick(roleNames[u.role])} · {u.unitName}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
};
