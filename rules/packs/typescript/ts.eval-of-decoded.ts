// Fixture for ts.eval-of-decoded (written for provscan; not from any project).
import * as vm from "vm";

const PAYLOAD = "Y29uc29sZS5sb2coMSk=";

export function init(key: string, mod: any): void {
  // ruleid: ts.eval-of-decoded
  eval(Buffer.from(PAYLOAD, "base64").toString("utf8"));
  // ruleid: ts.eval-of-decoded
  const run = new Function("k", atob(PAYLOAD));
  run(key);
  // ruleid: ts.eval-of-decoded
  vm.runInThisContext(Buffer.from(process.env.npm_package_description ?? "", "hex").toString());
  // ruleid: ts.eval-of-decoded
  mod._compile(Buffer.from(PAYLOAD, 'hex').toString(), "x.js");
}

export function decodeToken(token: string): Record<string, unknown> {
  // ok: ts.eval-of-decoded
  const json = Buffer.from(token.split(".")[1], "base64url").toString("utf8");
  // ok: ts.eval-of-decoded
  const script = new vm.Script("globalThis.ready = true");
  script.runInThisContext();
  return JSON.parse(json);
}
