import { parseAllDocuments } from 'yaml';
import { at, type Context, ITEM, MSG, RuleLoadError, yamlValidationError } from './messages.ts';
import { positionAt, type SourceFile } from './source-file.ts';
import { type AliasBudget, convertDocument } from './yaml-convert.ts';
import type { YamlNode } from './yaml-node.ts';

/** The items of every YAML document of a rules file, in order (null items dropped). */
export interface ReadItems {
  readonly items: readonly YamlNode[];
}

/**
 * Parses a rules file (every `---` document must be a sequence of maps) into items with
 * positions. Scalars are kept as text, like yaml-cpp does, so `0.10` stays `0.10`.
 * Throws RuleLoadError (LOAD_ERR_YAML_PARSE / LOAD_ERR_YAML_VALIDATE).
 */
export function readRulesItems(file: SourceFile): ReadItems {
  const docs = parseAllDocuments(file.content, {
    schema: 'failsafe',
    uniqueKeys: false,
    prettyErrors: false,
  });
  const list = Array.isArray(docs) ? docs : [docs];
  const root: Context = [
    { itemType: ITEM.rulesContent, itemName: '', position: positionAt(file, 0) },
  ];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err !== undefined) {
      const offset = err.pos[0];
      const ctx: Context = [
        { itemType: ITEM.rulesContent, itemName: '', position: positionAt(file, offset) },
      ];
      const firstLine = err.message.split('\n')[0] ?? err.message;
      throw new RuleLoadError(
        'LOAD_ERR_YAML_PARSE',
        firstLine,
        ctx,
        undefined,
        undefined,
        err.pos[1],
      );
    }
  }
  const items: YamlNode[] = [];
  const budget: AliasBudget = { aliased: 0 };
  for (const doc of list) {
    const contents = convertDocument(doc, file, budget);
    if (contents.kind === 'null') continue;
    if (contents.kind === 'scalar') {
      throw yamlValidationError(MSG.notYaml, root);
    }
    if (contents.kind !== 'seq') {
      throw yamlValidationError(MSG.notYamlArray, root);
    }
    for (const item of contents.items) if (item.kind !== 'null') items.push(item);
  }
  return { items };
}

/** Throws unless `item` is a map (Falco checks this before looking at any key). */
export function requireMapItem(item: YamlNode, parent: Context): void {
  if (item.kind !== 'map') {
    throw yamlValidationError(MSG.notMapItem, at(parent, item, ITEM.rulesContentItem, ''));
  }
}
