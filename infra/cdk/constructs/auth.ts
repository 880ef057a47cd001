import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Cognito groups = the roles of the architecture. The API reads them from the `cognito:groups` claim. */
export const officerGroups = {
  'civil-status-officer': 'Commune civil-status officer (cán bộ tư pháp – hộ tịch): registers births',
  'police-officer': 'Commune police officer (công an cấp xã): registers permanent residence',
  'insurance-officer': 'Social-security officer (BHXH): issues child health-insurance cards',
  auditor: 'Auditor / inspector: reads and replays every case, read-only, every read recorded',
} as const;

/** Custom attribute holding the commune code an officer belongs to; tokens carry it as `custom:unit`. */
export const unitAttribute = 'unit';

export interface OfficerDirectoryProps {
  /** Where the web app is served from (`https://...`, no trailing slash): the app client's OAuth callback and
   * sign-out URLs. May be a lazy list, filled once the distribution exists. */
  readonly webOrigins: string[];
}

/**
 * Officers and auditors. Accounts are created by an administrator only (no self sign-up), each in one group and
 * with its commune code; parents have no account (they track a case by dossier code + secret).
 */
export class OfficerDirectory extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: OfficerDirectoryProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // Mutable so an administrator can move an officer to another commune; the web client cannot write it (below).
      customAttributes: { [unitAttribute]: new StringAttribute({ minLen: 1, maxLen: 32, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Officers decide on civil-status records: a stolen password alone must not be enough. TOTP only: SMS MFA
      // needs an SNS spending setup and is weaker.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // ESSENTIALS is the default tier of a new pool; PLUS (threat protection) is billed per active user, see docs.
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const [groupName, description] of Object.entries(officerGroups)) {
      new UserPoolGroup(this, `Group-${groupName}`, { userPool: this.userPool, groupName, description });
    }

    this.webClient = this.userPool.addClient('WebClient', {
      userPoolClientName: 'lienthong-web',
      generateSecret: false, // a browser cannot keep a secret
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: props.webOrigins,
        logoutUrls: props.webOrigins,
      },
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, preferredUsername: true })
        .withCustomAttributes(unitAttribute),
      // An officer must not be able to move themselves to another commune: `custom:unit` is admin-write only.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, preferredUsername: true }),
    });
  }
}
