import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { Role, roleNames } from '#domain/procedures/index.js';

/**
 * Cognito groups = the roles of the registry (functions/domain/procedures/) that sign in: every officer role that
 * decides a procedure, and the auditor (parents have no account). The API reads them from the `cognito:groups` claim.
 */
export const officerGroups = Object.fromEntries(
  Role.exclude(['applicant']).options.map((r) => [r, `${roleNames[r].en} (${roleNames[r].vi})`]),
) as Record<Exclude<Role, 'applicant'>, string>;

/** Custom attribute holding the commune code an officer belongs to; tokens carry it as `custom:unit`. */
export const unitAttribute = 'unit';

export interface OfficerDirectoryProps {
  /** Where the web app is served from (`https://...`, no trailing slash): the app client's OAuth callback and
   * sign-out URLs. May be a lazy list, filled once the distribution exists. */
  readonly webOrigins: string[];
  /** Prefix of the managed-login domain `https://<prefix>.auth.<region>.amazoncognito.com` (unique in the region;
   * lowercase letters, digits and hyphens, without "aws", "amazon" or "cognito"). */
  readonly domainPrefix: string;
}

/** Cognito's rule for a domain prefix (checked at synth when the prefix is known). */
export const validDomainPrefix = (prefix: string): boolean =>
  /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) && !/aws|amazon|cognito/.test(prefix);

/**
 * Officers and auditors. Accounts are created by an administrator only (no self sign-up), each in one group and
 * with its commune code; parents have no account (they track a case by dossier code + secret).
 */
export class OfficerDirectory extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;
  /** The managed login (sign-in, password change, TOTP enrolment) the web app sends officers to. */
  readonly domain: UserPoolDomain;

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
      // `name` (fullname) is what the web app and the API show as the officer's name (ID token claim `name`).
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ fullname: true, email: true, emailVerified: true, preferredUsername: true })
        .withCustomAttributes(unitAttribute),
      // An officer must not be able to move themselves to another commune: `custom:unit` is admin-write only.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, preferredUsername: true }),
    });

    if (!Token.isUnresolved(props.domainPrefix) && !validDomainPrefix(props.domainPrefix)) {
      throw new Error(
        `Cognito domain prefix "${props.domainPrefix}" is not valid: lowercase letters, digits and hyphens, ` +
          'at most 63, without "aws", "amazon" or "cognito" (set it with -c cognitoDomainPrefix=..., docs/deploy.md)',
      );
    }
    // The web app's sign-in page: authorization code + PKCE against <domain>/oauth2/authorize and /oauth2/token.
    // Managed login (v2) handles the first sign-in's new password and the TOTP enrolment (MFA is required).
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login shows no page for an app client without a style: Cognito's default one.
    new CfnManagedLoginBranding(this, 'WebClientBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.webClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }

  /** `https://<prefix>.auth.<region>.amazoncognito.com`: where the web app's OAuth calls go. */
  get domainUrl(): string {
    return this.domain.baseUrl();
  }
}
