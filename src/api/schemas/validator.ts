import { TypeGuard, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck, type ValueError } from '@sinclair/typebox/compiler';
import type { FastifySchemaCompiler } from 'fastify';
import { ConcordError } from '../../shared/errors.ts';
import './common.ts';

/**
 * One validator for everything a request carries: route params, query strings, headers, JSON
 * bodies and the JSON parts of multipart bodies are all checked by TypeBox's compiled checks of
 * the same schemas the OpenAPI document is generated from. Nothing is coerced: a number sent
 * where a string is expected is refused, and only a path or query integer written in plain
 * decimal digits becomes a number.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart, contentType }) => {
  // Multipart and binary bodies (declared per content type) are read by their handlers, which check each part.
  if (httpPart === 'body' && contentType !== undefined && contentType !== 'application/json') return (value) => ({ value });
  const check = TypeCompiler.Compile(schema);
  const convert = httpPart === 'params' || httpPart === 'querystring' ? integersOf(schema) : undefined;
  return (value) => {
    const converted = convert ? convert(value) : value;
    if (check.Check(converted)) return { value: converted };
    const first = check.Errors(converted).First();
    return { error: [{ keyword: 'schema', schemaPath: '', params: {}, message: first ? explain(first) : 'invalid', instancePath: first?.path ?? '' }] };
  };
};

/** Turns plain-decimal strings into numbers for the integer properties of a params or query schema. */
function integersOf(schema: TSchema): ((value: unknown) => unknown) | undefined {
  if (!TypeGuard.IsObject(schema)) return undefined;
  const keys = Object.entries(schema.properties).filter(([, property]) => TypeGuard.IsInteger(property)).map(([key]) => key);
  if (keys.length === 0) return undefined;
  return (value) => {
    if (typeof value !== 'object' || value === null) return value;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const key of keys) {
      const text = copy[key];
      if (typeof text === 'string' && /^(?:0|[1-9][0-9]{0,14})$/.test(text)) copy[key] = Number(text);
    }
    return copy;
  };
}

/** A JSON part of a multipart body, checked against its schema once compiled. */
export interface PartCheck<T extends TSchema> {
  /** The part's value, or a 400 naming the part and the field. */
  read(value: unknown): Static<T>;
}

export function partCheck<T extends TSchema>(schema: T, part: string): PartCheck<T> {
  const check: TypeCheck<T> = TypeCompiler.Compile(schema);
  return {
    read(value) {
      if (check.Check(value)) return value;
      const first = check.Errors(value).First();
      throw invalidValue(first && { path: first.path, message: explain(first) }, part);
    },
  };
}

/** The API's error for a value a schema refused: BAD_REQUEST naming the field as a dotted path. */
export function invalidValue(error: Pick<ValueError, 'path' | 'message'> | undefined, part?: string): ConcordError {
  const field = fieldOf(error?.path ?? '');
  const where: Record<string, string> = { field };
  if (part) where.part = part;
  const label = field ? `field "${field}"` : part ? `part "${part}"` : 'the request';
  return new ConcordError('BAD_REQUEST', `${part && field ? `part "${part}": ` : ''}${label}: ${error?.message ?? 'invalid'}`, where);
}

/**
 * What a refused value should have been, in words: the schema's description where it has one
 * (patterns read badly), else the validator's own message.
 */
function explain(error: ValueError): string {
  const got = error.value === undefined ? 'it is missing' : Array.isArray(error.value) ? 'got a list' : error.value === null ? 'got null' : typeof error.value !== 'string' && error.schema.type === 'string' ? `got a ${typeof error.value}` : undefined;
  if (error.schema.description) return `expected ${error.schema.description}${got ? `, but ${got}` : ''}`;
  return error.message.charAt(0).toLowerCase() + error.message.slice(1);
}

/** "/charges/0/severity" → "charges.0.severity"; JSON pointer escapes undone. */
export function fieldOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/** A date that must not lie in the future (a date of birth, of an arrest, of a warrant). */
export function notInFuture(value: string, field: string, part?: string): string {
  if (value > new Date().toISOString().slice(0, 10)) throw new ConcordError('BAD_REQUEST', `field "${field}" lies in the future: ${value}`, part ? { field, part } : { field });
  return value;
}
