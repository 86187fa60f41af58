import type { FieldRow } from './table.ts';

const LIST_NOUNS = {
  containers: 'container',
  initContainers: 'init container',
  ephemeralContainers: 'ephemeral container',
} as const;

type ContainerList = keyof typeof LIST_NOUNS;

// [suffix, description with {n} for the container noun]
const PROPS: readonly (readonly [string, string])[] = [
  ['name', 'Name of each {n} of the submitted pod.'],
  ['image', 'Image reference of each {n} of the submitted pod.'],
  ['image.repository', 'Image of each {n} without its tag and digest (registry port kept).'],
  ['command', 'Command of each {n} that sets one, its words joined by spaces.'],
  ['args', 'Arguments of each {n} that sets them, joined by spaces.'],
  ['host_port', 'Ports of the {n}s: the hostPort, or the containerPort where none is set.'],
  ['privileged', 'securityContext.privileged of each {n} that sets it.'],
  [
    'allow_privilege_escalation',
    'securityContext.allowPrivilegeEscalation of each {n} that sets it.',
  ],
  ['read_only_fs', 'securityContext.readOnlyRootFilesystem of each {n} that sets it.'],
  ['run_as_user', 'securityContext.runAsUser of each {n} that sets it.'],
  ['eff_run_as_user', "User id each {n} starts with: its own runAsUser, else the pod's, else 0."],
  ['run_as_group', 'securityContext.runAsGroup of each {n} that sets it.'],
  [
    'eff_run_as_group',
    "Group id each {n} starts with: its own runAsGroup, else the pod's, else 0.",
  ],
  ['proc_mount', 'securityContext.procMount of each {n} that sets it.'],
  ['add_capabilities', 'Capabilities each {n} adds, one JSON array per {n}.'],
];

/**
 * Rows for `<prefix>.<list>.<prop>` (e.g. `ka.req.pod.containers.image`): list fields
 * with an optional `[i]` that selects one container. `only` restricts the properties.
 */
export function createContainerRows(
  prefix: string,
  list: ContainerList,
  only?: readonly string[],
): FieldRow[] {
  const noun = LIST_NOUNS[list];
  return PROPS.filter(([p]) => only === undefined || only.includes(p)).map(([p, d]) => ({
    name: `${prefix}.${list}.${p}`,
    desc: `${d.replaceAll('{n}', noun)} [i] selects one.`,
    x: `${list}.${p}`,
    arg: 'index' as const,
    list: true,
    // Each container gives one value, but a container has many ports.
    scalarAtIndex: p !== 'host_port',
  }));
}

/** Every property but host_port, which upstream has no field for on ephemeral containers. */
export const EPHEMERAL_PROPS: readonly string[] = PROPS.map(([p]) => p).filter(
  (p) => p !== 'host_port',
);
