// Fixture for ts.hardcoded-credential-comparison (written for provscan; not from any project).
import { timingSafeEqual } from "crypto";

interface Creds {
  user: string;
  password: string;
  apiKey?: string;
}

export async function login(c: Creds, store: UserStore): Promise<boolean> {
  // ruleid: ts.hardcoded-credential-comparison
  if (c.password === "svc-maint#2019") {
    return true;
  }
  // ruleid: ts.hardcoded-credential-comparison
  if ("ak_7f3e9a21" == c.apiKey) {
    return true;
  }
  const expected = await store.hashFor(c.user);
  return timingSafeEqual(expected, await hash(c.password));
}

export function validate(c: Creds, scheme: string, token: string, expectedToken: string): boolean {
  // ok: ts.hardcoded-credential-comparison
  if (c.password === "") {
    return false;
  }
  // ok: ts.hardcoded-credential-comparison
  if (scheme === "Bearer") {
    return token === expectedToken;
  }
  // ok: ts.hardcoded-credential-comparison
  return typeof c.apiKey === "string";
}
