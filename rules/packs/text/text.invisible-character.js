// Fixture for text.invisible-character (provscan's own).
// ruleid: text.invisible-character
const isAdmin​ = true;
// ok: text.invisible-character
const isAdmin = false;
