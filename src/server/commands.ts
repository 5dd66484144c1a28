import { apiError, badRequest, fail, ok, type ApiError, type Result } from './errors.ts';
import { FieldReader } from './fields.ts';
import { MAX_NAME_CHARS, MAX_TITLE_CHARS, titleTooLong } from './limits.ts';
import { instantStamp } from './wire.ts';

/** A validated write, the same whether it came as a single call or as a batch operation. */
export type WriteCommand = CreateCommand | UpdateCommand | DeleteCommand;

/**
 * A create carries exactly the fields of the task it makes. `stamp` is absent when the
 * body had no stamp and no timestamp: the server then stamps it with its own time.
 */
export interface CreateCommand {
  kind: 'create';
  clientId: string;
  title: string;
  completed: boolean;
  stamp?: string;
  device: string;
  write: string | null;
}

export interface UpdateCommand {
  kind: 'update';
  id: string;
  title?: string;
  completed?: boolean;
  version?: number;
  /** Absent: neither `stamp` nor a timestamp was sent, and the write is ordered by arrival. */
  stamp?: string;
  device: string;
  write: string | null;
}

export interface DeleteCommand {
  kind: 'delete';
  id: string;
  stamp?: string;
  device?: string;
  write: string | null;
}

/** A batch operation: its command and its own idempotency key, if any. */
export interface BatchOperation {
  command: WriteCommand;
  idempotencyKey: string | undefined;
}

export const MAX_KEY_LENGTH = 255;

export function parseCreate(body: unknown, where = 'body'): Result<CreateCommand> {
  const fields = FieldReader.of(body, where);
  if (!(fields instanceof FieldReader)) return fail(fields);
  // The design's Swift client encodes its Task, whose `id` is the client's UUID.
  const clientId = fields.optionalString('clientId') ?? fields.optionalString('id');
  const title = fields.string('title');
  const stamp = readStamp(fields);
  const command: CreateCommand = {
    kind: 'create',
    clientId: clientId ?? '',
    title,
    completed: readCompleted(fields) ?? false,
    ...(stamp !== undefined && { stamp }),
    device: fields.optionalString('device') ?? '',
    write: fields.optionalString('write') ?? null,
  };
  if (fields.error) return fail(fields.error);
  if (clientId === undefined) return fail(badRequest(`${where}.clientId must be a string`));
  if (clientId === '') return fail(badRequest(`${where}.clientId must not be empty`));
  const long = checkTitle(title, where) ?? checkNames(command, where);
  return long ? fail(long) : ok(command);
}

export function parseUpdate(id: string, body: unknown, where = 'body'): Result<UpdateCommand> {
  const fields = FieldReader.of(body, where);
  if (!(fields instanceof FieldReader)) return fail(fields);
  const title = fields.optionalString('title');
  const completed = readCompleted(fields);
  const version = fields.optionalInteger('version', 0, Number.MAX_SAFE_INTEGER);
  const stamp = readStamp(fields);
  const command: UpdateCommand = {
    kind: 'update',
    id,
    ...(title !== undefined && { title }),
    ...(completed !== undefined && { completed }),
    ...(version !== undefined && { version }),
    ...(stamp !== undefined && { stamp }),
    device: fields.optionalString('device') ?? '',
    write: fields.optionalString('write') ?? null,
  };
  if (fields.error) return fail(fields.error);
  const long = (title === undefined ? null : checkTitle(title, where)) ?? checkNames(command, where);
  return long ? fail(long) : ok(command);
}

/** A delete's body is optional; `undefined` means none was sent. */
export function parseDelete(id: string, body: unknown, where = 'body'): Result<DeleteCommand> {
  if (body === undefined) return ok({ kind: 'delete', id, write: null });
  const fields = FieldReader.of(body, where);
  if (!(fields instanceof FieldReader)) return fail(fields);
  const stamp = readStamp(fields);
  const device = fields.optionalString('device');
  const command: DeleteCommand = {
    kind: 'delete',
    id,
    ...(stamp !== undefined && { stamp }),
    ...(device !== undefined && { device }),
    write: fields.optionalString('write') ?? null,
  };
  if (fields.error) return fail(fields.error);
  const long = checkNames(command, where);
  return long ? fail(long) : ok(command);
}

/**
 * One entry of a batch's `operations`; a malformed one fails alone, with its index in the
 * message. The design's form nests the task's fields in `data`; syncsim's puts them beside
 * `type`. Both are read, the operation's own fields winning over `data`'s.
 */
export function parseBatchOperation(entry: unknown, index: number): Result<BatchOperation> {
  const where = `operations[${index}]`;
  const flat = flattenData(entry, where);
  if (!flat.ok) return flat;
  const value = flat.value;
  const fields = FieldReader.of(value, where);
  if (!(fields instanceof FieldReader)) return fail(fields);
  const type = fields.string('type');
  const id = type === 'create' ? '' : fields.string('id');
  const key = fields.optionalString('idempotencyKey');
  if (fields.error) return fail(fields.error);
  const keyError = checkIdempotencyKey(key, `${where}.idempotencyKey`);
  if (keyError) return fail(keyError);
  const command = parseByType(type, id, value, where);
  return command.ok ? ok({ command: command.value, idempotencyKey: key }) : command;
}

function parseByType(type: string, id: string, value: unknown, where: string): Result<WriteCommand> {
  switch (type) {
    case 'create':
      return parseCreate(value, where);
    case 'update':
      return parseUpdate(id, value, where);
    case 'delete':
      return parseDelete(id, value, where);
    default:
      return fail(badRequest(`${where}.type must be "create", "update" or "delete"`));
  }
}

/** An Idempotency-Key (header or batch field) is 1 to 255 characters. */
export function checkIdempotencyKey(key: string | undefined, where: string) {
  if (key === undefined) return null;
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    return badRequest(`${where} must be 1 to ${MAX_KEY_LENGTH} characters`);
  }
  return null;
}

/** `{ type, id, data: { title } }` → `{ title, type, id }`; anything else as it is. */
function flattenData(entry: unknown, where: string): Result<unknown> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || !Object.hasOwn(entry, 'data')) return ok(entry);
  const { data, ...rest } = entry as Record<string, unknown>;
  if (data === null || data === undefined) return ok(rest);
  if (typeof data !== 'object' || Array.isArray(data)) return fail(badRequest(`${where}.data must be a JSON object`));
  return ok({ ...(data as Record<string, unknown>), ...rest });
}

/**
 * The LWW stamp of a write: syncsim's `stamp` as sent, else the design's `clientTimestamp`
 * or `updatedAt` as an instant in a form that sorts as text (wire.ts `instantStamp`).
 */
function readStamp(fields: FieldReader): string | undefined {
  const stamp = fields.optionalString('stamp');
  if (stamp !== undefined) return stamp;
  const instant = fields.optionalInstant('clientTimestamp') ?? fields.optionalInstant('updatedAt');
  return instant === undefined ? undefined : instantStamp(instant);
}

/** `completed`, or the design's `isCompleted`; both may be sent when they agree. */
function readCompleted(fields: FieldReader): boolean | undefined {
  const completed = fields.optionalBoolean('completed');
  const isCompleted = fields.optionalBoolean('isCompleted');
  if (completed !== undefined && isCompleted !== undefined && completed !== isCompleted) {
    fields.reject('isCompleted', 'equal to completed when both are sent');
  }
  return completed ?? isCompleted;
}

/** clientId, stamp, device and write are names: long ones would only be a way to spend memory. */
function checkNames(command: WriteCommand, where: string): ApiError | null {
  const names: Array<[string, string | null | undefined]> = [
    ['clientId', command.kind === 'create' ? command.clientId : undefined],
    ['stamp', command.stamp],
    ['device', command.device],
    ['write', command.write],
  ];
  for (const [name, value] of names) {
    if (typeof value === 'string' && value.length > MAX_NAME_CHARS) {
      return badRequest(`${where}.${name} is longer than ${MAX_NAME_CHARS} characters`);
    }
  }
  return null;
}

function checkTitle(title: string, where: string): ApiError | null {
  if (!titleTooLong(title)) return null;
  const message = `${where}.title is longer than ${MAX_TITLE_CHARS} characters`;
  return apiError(400, 'TITLE_TOO_LONG', message, { limit: MAX_TITLE_CHARS });
}
