---
"@sessions/{{name}}": minor
---

New package: a session store on {{name}} that passes the shared conformance suite.
