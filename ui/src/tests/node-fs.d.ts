// The one Node API the tests use (reading app.css); no @types/node here.
declare module 'node:fs' {
  export function readFileSync(path: string, encoding: 'utf8'): string;
}
