/** Every way the read API can refuse, with its HTTP status. The `error` field of the JSON answer. */
export const GroupsApiErrorCode = {
  GroupIdInvalid: 400,
  LimitInvalid: 400,
  CursorInvalid: 400,
  CommandInvalid: 400,
  EventIdInvalid: 400,
  GroupNotFound: 404,
  EventNotFound: 404,
  StorageFailed: 500,
  InternalError: 500,
} as const;

export type GroupsApiErrorCodeName = keyof typeof GroupsApiErrorCode;

/** A refusal of GET /groups/...: answered as `{"error": code, "message": message}` with the code's status. */
export class GroupsApiError extends Error {
  public readonly code: GroupsApiErrorCodeName;
  public readonly httpStatus: number;

  public constructor(code: GroupsApiErrorCodeName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GroupsApiError';
    this.code = code;
    this.httpStatus = GroupsApiErrorCode[code];
  }
}
