{
  "name": "@sessions/{{name}}",
  "version": "0.0.0",
  "description": "Session store on {{name}}: passes the @sessions conformance suite.",
  "license": "MIT",
  "repository": {
    "type": "git",
    "url": "git+https://github.com/sessions-js/sessions.git",
    "directory": "packages/{{name}}"
  },
  "homepage": "https://github.com/sessions-js/sessions/tree/main/packages/{{name}}#readme",
  "bugs": {
    "url": "https://github.com/sessions-js/sessions/issues"
  },
  "keywords": [
    "session",
    "session-store",
    "{{name}}"
  ],
  "type": "module",
  "sideEffects": false,
  "exports": {
    ".": {
      "import": {
        "types": "./dist/index.d.ts",
        "default": "./dist/index.js"
      },
      "require": {
        "types": "./dist/index.d.cts",
        "default": "./dist/index.cjs"
      }
    },
    "./package.json": "./package.json"
  },
  "main": "./dist/index.cjs",
  "module": "./dist/index.js",
  "types": "./dist/index.d.ts",
  "files": [
    "dist",
    "README.md",
    "LICENSE"
  ],
  "engines": {
    "node": ">=20.19"
  },
  "scripts": {
    "build": "tsup",
    "test": "vitest run",
    "typecheck": "tsc --noEmit",
    "lint": "publint --strict"
  },
  "dependencies": {
    "@sessions/core": "workspace:^"
  },
  "peerDependencies": {},
  "devDependencies": {
    "@sessions/bench": "workspace:*",
    "@sessions/build-config": "workspace:*",
    "@sessions/conformance": "workspace:*",
    "@sessions/outage": "workspace:*",
    "@sessions/test-services": "workspace:*",
    "@sessions/tsconfig": "workspace:*",
    "@sessions/vitest-config": "workspace:*",
    "@types/node": "catalog:",
    "publint": "catalog:",
    "tsup": "catalog:",
    "tsx": "catalog:",
    "typescript": "catalog:",
    "vitest": "catalog:"
  }
}
