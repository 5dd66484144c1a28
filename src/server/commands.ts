import type { NewTask } from './store.ts';
import { badRequest, fail, ok, type Result } from './errors.ts';
import { FieldReader } from './fields.ts';

/** A validated write, the same whether it came as a single call or as a batch operation. */
export type WriteCommand = CreateCommand | UpdateCommand | DeleteCommand;

/** A create carries exactly the fields of the task it makes. */
export interface CreateCommand extends NewTask {
  kind: 'create';
}

export interface UpdateCommand {
  kind: 'update';
  id: string;
  title?: string;
  completed?: boolean;
  version?: number;
  stamp: string;
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
  const clientId = fields.string('clientId');
  const command: CreateCommand = {
    kind: 'create',
    clientId,
    title: fields.string('title'),
    completed: fields.optionalBoolean('completed') ?? false,
    stamp: fields.string('stamp'),
    device: fields.optionalString('device') ?? '',
    write: fields.optionalString('write') ?? null,
  };
  if (fields.error) return fail(fields.error);
  if (clientId === '') return fail(badRequest(`${where}.clientId must not be empty`));
  return ok(command);
}

export function parseUpdate(id: string, body: unknown, where = 'body'): Result<UpdateCommand> {
  const fields = FieldReader.of(body, where);
  if (!(fields instanceof FieldReader)) return fail(fields);
  const title = fields.optionalString('title');
  const completed = fields.optionalBoolean('completed');
  const version = fields.optionalInteger('version', 0, Number.MAX_SAFE_INTEGER);
  const command: UpdateCommand = {
    kind: 'update',
    id,
    ...(title !== undefined && { title }),
    ...(completed !== undefined && { completed }),
    ...(version !== undefined && { version }),
    stamp: fields.string('stamp'),
    device: fields.optionalString('device') ?? '',
    write: fields.optionalString('write') ?? null,
  };
  return fields.error ? fail(fields.error) : ok(command);
}

/** A delete's body is optional; `undefined` means none was sent. */
export function parseDelete(id: string, body: unknown, where = 'body'): Result<DeleteCommand> {
  if (body === undefined) return ok({ kind: 'delete', id, write: null });
  const fields = FieldReader.of(body, where);
  if (!(fields instanceof FieldReader)) return fail(fields);
  const stamp = fields.optionalString('stamp');
  const device = fields.optionalString('device');
  const command: DeleteCommand = {
    kind: 'delete',
    id,
    ...(stamp !== undefined && { stamp }),
    ...(device !== undefined && { device }),
    write: fields.optionalString('write') ?? null,
  };
  return fields.error ? fail(fields.error) : ok(command);
}

/** One entry of a batch's `operations`; a malformed one fails alone, with its index in the message. */
export function parseBatchOperation(value: unknown, index: number): Result<BatchOperation> {
  const where = `operations[${index}]`;
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
