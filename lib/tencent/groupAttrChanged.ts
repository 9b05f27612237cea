import type { CommandHandler } from './delivery.js';
import { InputLimit } from './limits.js';
import {
  groupEventFrom,
  type JsonObject,
  readEntries,
  readEntryText,
  readGroupPayload,
  readList,
  readText,
} from './payload.js';
import { describeJsonType, ShapeNotes } from './shapeNotes.js';

/** An attribute as typed on the item: `value` is absent for a keys-only `delete`. */
export type TypedAttribute = { key: string; value: string } | { key: string };

/** A value as text: a string as sent, anything else as its JSON text (noted). Over the length limit: not typed. */
const readAttributeValue = (entry: JsonObject, notes: ShapeNotes, path: string): string | undefined => {
  const value = entry.value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value !== 'string') notes.add(path, `${describeJsonType(value)}, typed as its JSON text`);
  if (text.length <= InputLimit.attributeValueLength) return text;
  notes.add(path, `longer than ${InputLimit.attributeValueLength} characters, entry not typed`);
  return undefined;
};

/**
 * One GroupAttr entry. Tencent's delete API takes keys only, so a `delete` entry needs a key and nothing else;
 * `set` and `modify` entries need a value too (an entry without one is noted and left out).
 */
const readAttribute =
  (optionType: string | undefined, notes: ShapeNotes) =>
  (entry: JsonObject, path: string): TypedAttribute | undefined => {
    const key = readEntryText(entry, 'key', InputLimit.attributeKeyLength, notes, `${path}.key`);
    if (key === undefined) return undefined;
    if (entry.value === undefined) {
      if (optionType === 'delete' || optionType === 'clear') return { key };
      notes.add(`${path}.value`, 'missing, entry not typed');
      return undefined;
    }
    const value = readAttributeValue(entry, notes, `${path}.value`);
    return value === undefined ? undefined : { key, value };
  };

/** `clear` empties the attributes whatever GroupAttr holds, so an absent, null or empty list is its normal shape. */
const readGroupAttr = (
  body: JsonObject,
  optionType: string | undefined,
  notes: ShapeNotes,
): TypedAttribute[] | undefined => {
  if (optionType === 'clear' && (body.GroupAttr === null || body.GroupAttr === undefined)) return undefined;
  const list = readList(body, 'GroupAttr', notes);
  return list && readEntries(list, 'GroupAttr', notes, readAttribute(optionType, notes));
};

/**
 * The typed GroupAttr of a recorded body, read as at receipt: for an event item that had no room for it (its
 * `typedFieldsOmitted`), so the state can still be folded from the body.
 */
export const groupAttrOfBody = (body: JsonObject): TypedAttribute[] | undefined => {
  const notes = new ShapeNotes();
  return readGroupAttr(body, readText(body, 'OptionType', InputLimit.textLength, notes), notes);
};

/**
 * Group.CallbackAfterGroupAttrChanged: custom group attributes were set (replace all), modified (upsert),
 * deleted (listed keys) or cleared. OptionType is kept as sent so a value Tencent adds later is recorded too.
 */
export const recordGroupAttrChanged: CommandHandler = (delivery) => {
  const { body } = delivery;
  const notes = new ShapeNotes();
  const payload = readGroupPayload(delivery, notes);
  const optionType = readText(body, 'OptionType', InputLimit.textLength, notes);
  return groupEventFrom(
    delivery,
    payload,
    {
      groupType: readText(body, 'Type', InputLimit.textLength, notes),
      operatorAccount: readText(body, 'Operator_Account', InputLimit.accountLength, notes),
      optionType,
      groupAttr: readGroupAttr(body, optionType, notes),
    },
    notes,
  );
};
