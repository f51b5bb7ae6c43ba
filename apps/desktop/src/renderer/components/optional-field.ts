/**
 * A typed text as an optional api field: absent when nothing but white space was typed, else trimmed. The
 * api reads an absent field as "not given"; an empty string would be refused or kept as a value.
 *
 * @example save.mutate({ email, ...optionalField('note', note) })
 */
export function optionalField<Name extends string>(name: Name, typed: string): { [key in Name]?: string } {
  const trimmed = typed.trim();
  return trimmed ? ({ [name]: trimmed } as { [key in Name]: string }) : {};
}
