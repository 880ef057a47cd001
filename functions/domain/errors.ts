/**
 * Errors are values with stable names. `name` is what ASL `Retry`/`Catch` match for step errors; `rule` and
 * `field` are what an API client (and an officer) sees in the one HTTP error format:
 *   { "error": { "status", "rule", "message": { "vi", "en" }, "issues": [{ "field", "rule", "message" }] } }
 */

export interface Message {
  vi: string;
  en: string;
}

export interface Issue {
  field: string;
  rule: string;
  message: Message;
}

export class LienthongError extends Error {
  readonly status: number;
  readonly rule: string;
  readonly messages: Message;
  readonly issues: Issue[];
  readonly details: Record<string, unknown> | undefined;

  constructor(
    status: number,
    rule: string,
    messages: Message,
    opts: { issues?: Issue[]; details?: Record<string, unknown>; name?: string } = {},
  ) {
    super(messages.en);
    this.name = opts.name ?? 'LienthongError';
    this.status = status;
    this.rule = rule;
    this.messages = messages;
    this.issues = opts.issues ?? [];
    this.details = opts.details;
  }

  toBody() {
    return {
      error: {
        status: this.status,
        rule: this.rule,
        message: this.messages,
        issues: this.issues,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

/** 400: the request breaks one or more rules; every broken rule is listed with its field. */
export class ValidationError extends LienthongError {
  constructor(issues: Issue[], messages?: Message) {
    super(
      400,
      issues.length === 1 ? issues[0]!.rule : 'request.invalid',
      messages ?? {
        vi: issues.length === 1 ? issues[0]!.message.vi : `Hồ sơ có ${issues.length} lỗi cần sửa.`,
        en: issues.length === 1 ? issues[0]!.message.en : `The request has ${issues.length} problems to fix.`,
      },
      { issues, name: 'Request.Invalid' },
    );
  }
}

export const issue = (field: string, rule: string, vi: string, en: string): Issue => ({
  field,
  rule,
  message: { vi, en },
});

export class UnauthorizedError extends LienthongError {
  constructor(messages: Message = { vi: 'Cần đăng nhập.', en: 'Sign-in required.' }) {
    super(401, 'auth.required', messages, { name: 'Auth.Required' });
  }
}

export class ForbiddenError extends LienthongError {
  constructor(rule: string, messages: Message) {
    super(403, rule, messages, { name: 'Auth.Forbidden' });
  }
}

export class NotFoundError extends LienthongError {
  constructor(rule: string, messages: Message) {
    super(404, rule, messages, { name: 'NotFound' });
  }
}

/** 409: the request conflicts with what is recorded (already decided, duplicate dossier, ...). */
export class ConflictError extends LienthongError {
  constructor(rule: string, messages: Message, details?: Record<string, unknown>, field?: string) {
    super(409, rule, messages, {
      name: 'Conflict',
      ...(details ? { details } : {}),
      issues: field ? [{ field, rule, message: messages }] : [],
    });
  }
}

/** A downstream agency system (population registry, ...) did not answer: the workflow retries. */
export class AgencyUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Agency.Unavailable';
  }
}

/** Another writer appended to the same case first; reload and retry (the workflow retries too). */
export class WriteConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Case.WriteConflict';
  }
}

/**
 * A step was told to complete (or refuse) a procedure, but the answer names no decision recorded in the case log for
 * this procedure and round: the callback came from somewhere other than the decision path. Not retried.
 */
export class DecisionNotRecordedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Decision.NotRecorded';
  }
}
