// Fixture for ts.tls-verification-disabled in JavaScript (written for provscan; not from any project).
const https = require("https");
const tls = require("tls");

function agent(ca) {
  // ruleid: ts.tls-verification-disabled
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  // ruleid: ts.tls-verification-disabled
  const loose = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
  // ok: ts.tls-verification-disabled
  const strict = new https.Agent({ keepAlive: true, rejectUnauthorized: true, ca });
  return loose ?? strict;
}

function connect(host) {
  return tls.connect({
    host,
    port: 443,
    // ruleid: ts.tls-verification-disabled
    checkServerIdentity: () => undefined,
  });
}

const cookie = {
  // ok: ts.tls-verification-disabled
  secure: false,
  httpOnly: true,
};
module.exports = { agent, connect, cookie };
