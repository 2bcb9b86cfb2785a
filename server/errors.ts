/**
 * Typed domain errors. Domain code throws them; `app.onError` (server/routes/app.ts) is the one place that turns
 * them into `{ "error": message }` responses with their status.
 */
export type HttpStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 500 | 502 | 503 | 504 | 507;

export class CellmateError extends Error {
  constructor(
    message: string,
    readonly status: HttpStatus = 500,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Malformed input from a client: bad JSON, a body that fails its schema, an edit that doesn't fit. */
export class BadRequest extends CellmateError {
  constructor(message: string) {
    super(message, 400);
  }
}
export class Unauthorized extends CellmateError {
  constructor(message = 'A valid token is required') {
    super(message, 401);
  }
}
export class NotFound extends CellmateError {
  constructor(message: string) {
    super(message, 404);
  }
}
export class NotebookNotFound extends NotFound {}
export class CellNotFound extends NotFound {}
export class Conflict extends CellmateError {
  constructor(message: string) {
    super(message, 409);
  }
}
/**
 * A notebook's file changed on disk since this server last read or wrote it (another program wrote it, or it
 * was deleted): the save was not made, so nothing was overwritten.
 */
export class DiskChanged extends Conflict {
  constructor(
    readonly path: string,
    readonly current: { sha256: string; mtimeMs: number } | null,
  ) {
    super(current ? `${path} was changed on disk by another program` : `${path} was deleted on disk by another program`);
  }
}
/** A path that would leave the workspace (`..`, absolute, NUL, a symlink pointing out). */
export class PathOutsideWorkspace extends CellmateError {
  constructor(path: string) {
    super(`Path is outside the workspace: ${JSON.stringify(path)}`, 400);
  }
}
/** An `.ipynb` that can't be read as nbformat 4; the message names what is wrong. */
export class InvalidNotebook extends CellmateError {
  constructor(message: string) {
    super(message, 400);
  }
}
export class PayloadTooLarge extends CellmateError {
  constructor(message: string) {
    super(message, 413);
  }
}
/** A body of another type than the endpoint reads (text sent to a JSON endpoint). */
export class UnsupportedMediaType extends CellmateError {
  constructor(message: string) {
    super(message, 415);
  }
}
export class KernelError extends CellmateError {
  constructor(message: string, status: HttpStatus = 503) {
    super(message, status);
  }
}
export class KernelDied extends KernelError {}
/** A kernelspec the Jupyter Server doesn't offer (a notebook's `metadata.kernelspec.name`, a switch request). */
export class UnknownKernelSpec extends KernelError {
  constructor(
    readonly kernelName: string,
    readonly available: string[],
  ) {
    super(`No kernel named ${JSON.stringify(kernelName)} on the Jupyter Server; available: ${available.join(', ') || 'none'}`, 400);
  }
}
export class StorageFull extends CellmateError {
  constructor(message: string) {
    super(message, 507);
  }
}

/** What went wrong, in words, from anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
