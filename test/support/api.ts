/** A small client for the HTTP API of a running local stack, as a browser or curl would use it. */
import { procedureOf } from '#domain/procedures/index.js';
import { demoUsers } from '#infra/local/auth.js';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export const apiClient = (baseUrl: string) => {
  const tokens = new Map<string, string>();
  const token = async (username: string) => {
    let t = tokens.get(username);
    if (!t) {
      const r = await fetch(`${baseUrl}/local/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'demo' }),
      });
      t = ((await r.json()) as { token: string }).token;
      tokens.set(username, t);
    }
    return t;
  };
  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    opts: { as?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(opts.headers ?? {}) };
    if (opts.as) headers.authorization = `Bearer ${await token(opts.as)}`;
    const r = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(opts.body !== undefined
        ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
        : {}),
    }).catch((error: Error & { cause?: Error & { code?: string } }) => {
      // undici says only "fetch failed": name the request and the network error behind it.
      const why = error.cause ? ` (${error.cause.code ?? error.cause.name}: ${error.cause.message})` : '';
      throw new Error(`${method} ${path}: ${error.message}${why}`);
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : {}) as T };
  };
  const file = (dossier: unknown, as = 'hotich.badinh', requestId?: string) =>
    call<{ caseId: string; dossierCode: string; trackingSecret: string }>('POST', '/applications', {
      as,
      body: { dossier, ...(requestId ? { requestId } : {}) },
    });
  const decide = (caseId: string, procedure: string, decision: string, as: string, reason?: string) =>
    call('POST', `/cases/${caseId}/decisions`, { as, body: { procedure, decision, ...(reason ? { reason } : {}) } });
  const getCase = (caseId: string, as = 'kiemtra') => call<CaseBody>('GET', `/cases/${caseId}`, { as });
  return { call, token, file, decide, getCase, users: demoUsers };
};

export interface CaseBody {
  caseId: string;
  status: string;
  procedures: Record<
    string,
    {
      status: string;
      round: number;
      overdue: boolean;
      escalations: number;
      result?: Record<string, unknown>;
      refusal?: { reason: string };
    }
  >;
  timeline: { type: string; actor: { id: string; role: string } }[];
}

/** Who decides each procedure in the demo commune Ba Đình. */
export const deciderOf: Record<string, string> = {
  BIRTH: 'hotich.badinh',
  RESIDENCE: 'congan.badinh',
  HEALTH_INSURANCE: 'bhxh.hanoi',
  ID_CARD: 'congan.badinh',
};

/**
 * Polls until `check` returns a value (not undefined), or gives up after `timeoutMs` of wall time. The limit is a
 * safety net sized for a loaded 2-core machine, not an expectation: tests never assert how fast something happens.
 */
export const eventually = async <T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  what = 'condition',
): Promise<T> => {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** Waits until the procedure's task is in its agency's queue (the workflow reached the callback state). */
export const waitForTask = async (
  api: ReturnType<typeof apiClient>,
  caseId: string,
  procedure: string,
  kind = 'DECISION',
) => {
  const agency = procedureOf(procedure).agency;
  const as = deciderOf[procedure]!;
  return eventually(
    async () => {
      if (kind === 'SUPPLEMENT') {
        // The wait for the family's supplement has begun (its step opened the task, after the engine set its timer).
        const c = await api.getCase(caseId);
        const opened = (
          c.body.timeline as unknown as { type: string; data?: { procedure?: string; kind?: string } }[]
        ).filter(
          (e) => e.type === 'TASK_OPENED' && e.data?.procedure === procedure && e.data?.kind === 'SUPPLEMENT',
        ).length;
        return c.body.procedures[procedure]?.status === 'SUPPLEMENT_REQUESTED' && opened > 0 ? true : undefined;
      }
      const q = await api.call<{ tasks: { caseId: string; procedure: string; kind: string }[] }>(
        'GET',
        `/queue?agency=${agency}`,
        { as },
      );
      return q.body.tasks.find((t) => t.caseId === caseId && t.procedure === procedure && t.kind === kind);
    },
    60_000,
    `${procedure} ${kind} task of ${caseId}`,
  );
};

export const waitForStatus = (api: ReturnType<typeof apiClient>, caseId: string, statuses: string[]) =>
  eventually(
    async () => {
      const c = await api.getCase(caseId);
      return statuses.includes(c.body.status) ? c.body : undefined;
    },
    60_000,
    `case ${caseId} to be ${statuses.join('/')}`,
  );
