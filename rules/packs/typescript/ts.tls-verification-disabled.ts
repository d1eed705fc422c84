// Fixture for ts.tls-verification-disabled (written for provscan; not from any project).
import https from "https";
import tls from "tls";

export function agent(ca: Buffer): https.Agent {
  // ruleid: ts.tls-verification-disabled
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  // ruleid: ts.tls-verification-disabled
  const loose = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
  // ok: ts.tls-verification-disabled
  const strict = new https.Agent({ keepAlive: true, rejectUnauthorized: true, ca });
  return loose ?? strict;
}

export function connect(host: string): tls.TLSSocket {
  return tls.connect({
    host,
    port: 443,
    // ruleid: ts.tls-verification-disabled
    checkServerIdentity: () => undefined,
  });
}

export const cookie = {
  // ok: ts.tls-verification-disabled
  secure: false,
  httpOnly: true,
};
