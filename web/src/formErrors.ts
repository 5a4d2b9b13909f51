// A field's error is about what it held when the form was checked: once the person edits the
// field, the error goes if the value is now right, and is replaced by the current one if it is
// still wrong (an error only the API could find cannot be checked again here: it goes).

import type { FieldErrors } from "./api";

export function errorsAfterEdit<V extends Record<string, string>>(
  errors: FieldErrors,
  name: keyof V & string,
  values: V,
  validate?: (values: V) => FieldErrors,
): FieldErrors {
  if (!(name in errors)) return errors;
  const rest = Object.fromEntries(Object.entries(errors).filter(([field]) => field !== name));
  const again = validate?.(values)[name];
  return again ? { ...rest, [name]: again } : rest;
}
