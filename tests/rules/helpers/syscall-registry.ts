import { FieldArgError, type FieldDef, type FieldRegistry } from '../../../src/fields/field.ts';

// A test-only stand-in for Falco's syscall field table: just enough names, all plain
// strings, so the many upstream loader cases written with syscall fields can exercise
// the loader's semantics. `proc.nobody` is deliberately absent (cases use it as unknown).
const NAMES = [
  'evt.type',
  'evt.dir',
  'evt.num',
  'evt.name',
  'evt.args',
  'evt.is_open_read',
  'evt.plugininfo',
  'evt.arg.path',
  'evt.time',
  'evt.rawtime',
  'evt.source',
  'evt.hostname',
  'proc.name',
  'proc.pname',
  'proc.cmdline',
  'proc.exepath',
  'proc.apid',
  'proc.pid',
  'fd.name',
  'fd.filename',
  'fd.typechar',
  'fd.cport',
  'fd.directory',
  'user.name',
  'container.info',
  'container.id',
  'container.name',
];
// Fields that take an `[arg]` (optional), as their syscall counterparts do.
const WITH_ARG = new Map<string, 'key' | 'index'>([
  ['proc.aname', 'index'],
  ['proc.apid', 'index'],
  ['evt.arg', 'key'],
]);

function createDef(name: string, arg: 'none' | 'key' | 'index'): FieldDef {
  return {
    name,
    sources: ['*'],
    type: 'string',
    isList: false,
    arg: { kind: arg, required: arg === 'key' },
    description: `test stand-in for the syscall field ${name}`,
    needs: 'metadata',
    bind(a) {
      if (a !== undefined && arg === 'none') throw new FieldArgError(name, 'unexpected argument');
      return () => undefined;
    },
  };
}

/** Builds the stand-in registry. */
export function createSyscallRegistry(): FieldRegistry {
  const defs = new Map<string, FieldDef>();
  for (const n of NAMES) defs.set(n, createDef(n, WITH_ARG.get(n) ?? 'none'));
  for (const [n, kind] of WITH_ARG) defs.set(n, createDef(n, kind));
  return {
    get: (name) => defs.get(name),
    list: () => [...defs.values()],
    suggest: () => undefined,
  };
}
