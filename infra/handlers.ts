/**
 * The one list of deployable handlers. CDK (`infra/cdk`) makes one Lambda function per entry and the local
 * runtime (`infra/local`) maps the same entries to in-process calls, so the two runtimes cannot drift.
 */

/** Workflow steps: `placeholder` is the `${...}` name used in `workflows/birth-bundle.asl.json`. */
export const stepHandlers = [
  { placeholder: 'ReceiveDossierFunctionArn', entry: 'functions/steps/receiveDossier.ts' },
  { placeholder: 'OpenAgencyTaskFunctionArn', entry: 'functions/steps/openAgencyTask.ts' },
  { placeholder: 'EscalateOverdueFunctionArn', entry: 'functions/steps/escalateOverdue.ts' },
  { placeholder: 'CompleteBirthRegistrationFunctionArn', entry: 'functions/steps/completeBirthRegistration.ts' },
  {
    placeholder: 'CompleteResidenceRegistrationFunctionArn',
    entry: 'functions/steps/completeResidenceRegistration.ts',
  },
  { placeholder: 'IssueHealthInsuranceCardFunctionArn', entry: 'functions/steps/issueHealthInsuranceCard.ts' },
  { placeholder: 'IssueIdCardFunctionArn', entry: 'functions/steps/issueIdCard.ts' },
  { placeholder: 'RecordRefusalFunctionArn', entry: 'functions/steps/recordRefusal.ts' },
  { placeholder: 'FinalizeCaseFunctionArn', entry: 'functions/steps/finalizeCase.ts' },
  { placeholder: 'NotifyApplicantFunctionArn', entry: 'functions/steps/notifyApplicant.ts' },
] as const;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** HTTP API route groups: one Lambda per file, several routes each. `auth: false` routes skip the JWT authorizer. */
export const apiHandlers = [
  { name: 'health', entry: 'functions/api/health.ts', routes: [{ method: 'GET', path: '/health', auth: false }] },
  {
    name: 'applications',
    entry: 'functions/api/applications.ts',
    routes: [
      { method: 'POST', path: '/applications', auth: true },
      { method: 'POST', path: '/cases/{caseId}/tracking-secret', auth: true },
    ],
  },
  {
    name: 'cases',
    entry: 'functions/api/cases.ts',
    routes: [
      { method: 'GET', path: '/cases', auth: true },
      { method: 'GET', path: '/cases/{caseId}', auth: true },
      { method: 'GET', path: '/cases/{caseId}/status', auth: true },
    ],
  },
  { name: 'queue', entry: 'functions/api/queue.ts', routes: [{ method: 'GET', path: '/queue', auth: true }] },
  {
    name: 'tasks',
    entry: 'functions/api/tasks.ts',
    routes: [
      { method: 'POST', path: '/cases/{caseId}/decisions', auth: true },
      { method: 'POST', path: '/cases/{caseId}/supplements', auth: true },
      { method: 'POST', path: '/cases/{caseId}/extensions', auth: true },
      { method: 'POST', path: '/cases/{caseId}/corrections', auth: true },
    ],
  },
  {
    name: 'tracking',
    entry: 'functions/api/tracking.ts',
    // Parents have no account: each call carries the dossier code in the path and the secret in `x-tracking-secret`.
    routes: [
      { method: 'GET', path: '/tracking/{code}', auth: false },
      { method: 'POST', path: '/tracking/{code}/supplements', auth: false },
    ],
  },
  {
    name: 'audit',
    entry: 'functions/api/audit.ts',
    // Auditors only, read-only; POST /replay computes, it changes nothing (architecture.md "Audit and replay").
    routes: [
      { method: 'GET', path: '/audit/cases/{caseId}/timeline', auth: true },
      { method: 'GET', path: '/audit/cases/{caseId}/verify', auth: true },
      { method: 'POST', path: '/audit/cases/{caseId}/replay', auth: true },
      { method: 'GET', path: '/audit/cases/{caseId}/export', auth: true },
      { method: 'GET', path: '/audit/cases/{caseId}/access', auth: true },
      { method: 'GET', path: '/audit/access', auth: true },
    ],
  },
] as const satisfies ReadonlyArray<{
  name: string;
  entry: string;
  routes: ReadonlyArray<{ method: HttpMethod; path: string; auth: boolean }>;
}>;

/**
 * Handlers of events that are not workflow steps nor HTTP routes. `archiveExecutionHistory`: EventBridge rule on
 * `aws.states` "Step Functions Execution Status Change" of the birth-bundle machine (infra/cdk/constructs/historyArchive.ts);
 * locally, `attachHistoryArchive` (infra/local/historyArchive.ts) feeds it the embedded engine's status changes.
 */
export const eventHandlers = [
  { name: 'archiveExecutionHistory', entry: 'functions/steps/archiveExecutionHistory.ts', source: 'aws.states' },
] as const;

export const workflowFile = 'workflows/birth-bundle.asl.json';
