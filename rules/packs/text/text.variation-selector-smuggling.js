// Fixture for text.variation-selector-smuggling (provscan's own).
// ruleid: text.variation-selector-smuggling
const key = "x︅︆︁︌︈︁︄️︂︉";
// ok: text.variation-selector-smuggling
const like = "❤️ thanks";
// ok: text.variation-selector-smuggling
const keycap = "1️⃣";
