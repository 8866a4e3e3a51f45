---
"@sessions/{{name}}": minor
---

New package: a {{name}} session store that passes the shared conformance suite.
