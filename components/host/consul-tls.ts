// Consul's TLS, made by the program with the tls provider: one CA for the region, and one key and
// certificate per role signed by it. Servers (util) carry `server.<datacenter>.consul`, which
// agents require of them (verify_server_hostname); every certificate names localhost and 127.0.0.1
// for the HTTPS API on loopback. Each role's identity reaches its hosts as one host secret (compact
// JSON: ca, cert, key), so no key is in user data, rendered files or the plan.
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { type Role, roles } from "../spec/hosts";
import { consulCertificateNames } from "./consul";

export interface ConsulTlsArgs {
  /** The tls provider (this program has no default providers). */
  readonly provider: pulumi.ProviderResource;
  /** The region's Consul datacenter: it is in the servers' name. */
  readonly datacenter: string;
}

/** Ten years: replacing the CA means every agent's files change at once. */
export const CONSUL_CA_VALIDITY_HOURS = 87_600;
/** Two years, renewed by `pulumi up` within the last 90 days. */
export const CONSUL_CERT_VALIDITY_HOURS = 17_520;
export const CONSUL_CERT_EARLY_RENEWAL_HOURS = 2_160;

export class ConsulTls extends pulumi.ComponentResource {
  /** Per role: `{"ca","cert","key"}` as compact JSON, a secret. */
  public readonly identities: Record<Role, pulumi.Output<string>>;
  public readonly caCertPem: pulumi.Output<string>;

  constructor(name: string, args: ConsulTlsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:host:ConsulTls", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const secretKey = { additionalSecretOutputs: ["privateKeyPem", "privateKeyOpenssh"] };
    const caKey = new tls.PrivateKey(
      `${name}-ca-key`,
      { algorithm: "ECDSA", ecdsaCurve: "P256" },
      { ...child, ...secretKey, protect: true },
    );
    const ca = new tls.SelfSignedCert(
      `${name}-ca`,
      {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        validityPeriodHours: CONSUL_CA_VALIDITY_HOURS,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
        subject: { commonName: `Consul CA ${args.datacenter}`, organization: "multicloud" },
      },
      { ...child, protect: true },
    );
    this.caCertPem = ca.certPem;
    const identities = {} as Record<Role, pulumi.Output<string>>;
    for (const role of roles) {
      const names = consulCertificateNames(args.datacenter, role);
      const key = new tls.PrivateKey(
        `${name}-${role}-key`,
        { algorithm: "ECDSA", ecdsaCurve: "P256" },
        { ...child, ...secretKey },
      );
      const request = new tls.CertRequest(
        `${name}-${role}-request`,
        {
          privateKeyPem: key.privateKeyPem,
          subject: { commonName: names.dnsNames[0] ?? role, organization: "multicloud" },
          dnsNames: [...names.dnsNames],
          ipAddresses: [...names.ipAddresses],
        },
        child,
      );
      const cert = new tls.LocallySignedCert(
        `${name}-${role}-cert`,
        {
          certRequestPem: request.certRequestPem,
          caPrivateKeyPem: caKey.privateKeyPem,
          caCertPem: ca.certPem,
          validityPeriodHours: CONSUL_CERT_VALIDITY_HOURS,
          earlyRenewalHours: CONSUL_CERT_EARLY_RENEWAL_HOURS,
          allowedUses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
        },
        child,
      );
      identities[role] = pulumi.secret(
        pulumi
          .all([ca.certPem, cert.certPem, key.privateKeyPem])
          .apply(([caPem, certPem, keyPem]) =>
            JSON.stringify({ ca: caPem, cert: certPem, key: keyPem }),
          ),
      );
    }
    this.identities = identities;
    this.registerOutputs({ caCertPem: this.caCertPem, identities: this.identities });
  }
}
