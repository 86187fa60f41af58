export { Code, codeName, joinCode, js, safeStringify } from './code.ts';
