/** An attribute value with its binaries base64-encoded, as Lambda's JSON event carries them (the SDK gives bytes). */
const lambdaAttributeValue = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object') return value;
  const typed = value as Record<string, unknown>;
  if (typed.B instanceof Uint8Array) return { B: Buffer.from(typed.B).toString('base64') };
  if (Array.isArray(typed.BS))
    return { BS: typed.BS.map((bytes) => Buffer.from(bytes as Uint8Array).toString('base64')) };
  if (Array.isArray(typed.L)) return { L: typed.L.map(lambdaAttributeValue) };
  if (typed.M !== null && typeof typed.M === 'object') return { M: lambdaImage(typed.M as Record<string, unknown>) };
  return value;
};

export const lambdaImage = (image: Record<string, unknown> | undefined): Record<string, unknown> | undefined =>
  image && Object.fromEntries(Object.entries(image).map(([name, value]) => [name, lambdaAttributeValue(value)]));
