/**
 * Errors of the local Step Functions endpoint. Each class's `name` is the AWS error code, so the HTTP layer can send
 * it as `__type` and `@aws-sdk/client-sfn` rebuilds the same exception class a caller would get from AWS.
 */
export class StepFunctionsError extends Error {
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
  }
}

export class ExecutionDoesNotExist extends StepFunctionsError {
  constructor(message: string) {
    super('ExecutionDoesNotExist', message);
  }
}
export class ExecutionAlreadyExists extends StepFunctionsError {
  constructor(message: string) {
    super('ExecutionAlreadyExists', message);
  }
}
export class StateMachineDoesNotExist extends StepFunctionsError {
  constructor(message: string) {
    super('StateMachineDoesNotExist', message);
  }
}
export class TaskDoesNotExist extends StepFunctionsError {
  constructor(message: string) {
    super('TaskDoesNotExist', message);
  }
}
export class TaskTimedOut extends StepFunctionsError {
  constructor(message: string) {
    super('TaskTimedOut', message);
  }
}
export class InvalidToken extends StepFunctionsError {
  constructor(message: string) {
    super('InvalidToken', message);
  }
}
export class InvalidOutput extends StepFunctionsError {
  constructor(message: string) {
    super('InvalidOutput', message);
  }
}
export class InvalidName extends StepFunctionsError {
  constructor(message: string) {
    super('InvalidName', message);
  }
}
export class InvalidArn extends StepFunctionsError {
  constructor(message: string) {
    super('InvalidArn', message);
  }
}
export class InvalidExecutionInput extends StepFunctionsError {
  constructor(message: string) {
    super('InvalidExecutionInput', message);
  }
}
export class InvalidDefinition extends StepFunctionsError {
  constructor(message: string) {
    super('InvalidDefinition', message);
  }
}
export class ValidationException extends StepFunctionsError {
  constructor(message: string) {
    super('ValidationException', message);
  }
}

/**
 * A task's failure as the interpreter sees it: `name` is the ASL error (`Agency.Unavailable`, `States.TaskFailed`, the
 * `error` of SendTaskFailure) that `Retry`/`Catch` match; `message` becomes the `Cause`.
 */
export class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }
}

export class ExecutionNotRedrivable extends StepFunctionsError {
  constructor(message: string) {
    super('ExecutionNotRedrivable', message);
  }
}
export class ResourceNotFound extends StepFunctionsError {
  constructor(message: string) {
    super('ResourceNotFound', message);
  }
}
export class ConflictException extends StepFunctionsError {
  constructor(message: string) {
    super('ConflictException', message);
  }
}
