{
  "extends": "@sessions/tsconfig/library.json",
  "include": ["src", "test", "bench", "*.config.ts"]
}
