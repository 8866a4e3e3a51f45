// The URLs the global setup provides to tests (see global-setup.ts).
declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string | undefined;
    mongoUrl: string | undefined;
    dynamodbEndpoint: string | undefined;
    postgresUrl: string | undefined;
  }
}

export {};
