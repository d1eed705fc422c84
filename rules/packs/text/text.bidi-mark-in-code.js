// Fixture for text.bidi-mark-in-code (provscan's own).
function isPrivileged(role) {
  // ruleid: text.bidi-mark-in-code
  if (role === "admin‏") return false;
  // ok: text.bidi-mark-in-code
  const greeting = "مرحبا";
  return role === "admin";
}
