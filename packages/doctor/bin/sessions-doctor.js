#!/usr/bin/env node
// The `sessions-doctor` command. A file of its own, not dist/cli.js itself, so that installing
// the workspace before the first build can link the command (dist/ does not exist yet).
import '../dist/cli.js';
