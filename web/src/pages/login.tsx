/** Sign in with a username and password (the local token issuer; Cognito's hosted UI replaces it on AWS). */
import { useState } from 'preact/hooks';
import { call, signIn } from '../api';
import { pick, roleNames, t, tx } from '../i18n';
import { navigate } from '../router';
import { ErrorBox, Field, useLoad, usePageTitle } from '../ui';

interface DemoUsers {
  password: string;
  users: { username: string; name: string; role: string; unitName: string }[];
}

export const LoginPage = ({ next }: { next?: string | undefined }) => {
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
          <p>
            {t('demoPassword')}: <code>{demo.data.password}</code>
          </p>
          <ul class="demo-users">
            {demo.data.users.map((u) => (
              <li key={u.username}>
                <button
                  type="button"
                  class="link"
                  onClick={() => {
                    setUsername(u.username);
                    setPassword(demo.data!.password);
                  }}
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
