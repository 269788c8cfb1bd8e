/**
 * A URL (or what was meant as one) safe to print: everything between the scheme's `//` (or the
 * start, without one) and the last `@` (user name and password, even one holding `@`, `:`, `/` or
 * spaces) becomes `***`, and so does the value of a `password=` (or `sentinelPassword=`) query parameter. Well-formed or not,
 * any scheme: `redis://:p@ss@host:6379` prints as `redis://***@host:6379`.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/|)[^]*@/, (_match, scheme: string) => `${scheme}***@`)
    .replace(/([?&;](?:\w*password|pass|pwd|auth)=)[^&#;]*/gi, '$1***');
}
