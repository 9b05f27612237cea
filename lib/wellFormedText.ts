/**
 * False for a string holding a lone UTF-16 surrogate. Such text has no UTF-8 form: DynamoDB and JSON
 * encoders replace the surrogate with U+FFFD, so two different lone-surrogate IDs would share one key.
 * (`String.prototype.isWellFormed` is ES2024; with the `u` flag a lone surrogate is a `\p{Cs}` code point.)
 */
export const isWellFormedText = (text: string): boolean => !/\p{Cs}/u.test(text);
