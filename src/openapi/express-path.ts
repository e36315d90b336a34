// Characters path-to-regexp (Express 5) treats as syntax in a literal segment.
const SPECIAL = /[()[\]?+!*:{}\\]/g;

/**
 * Turns an OpenAPI path template into an Express 5 route path: `/pets/{petId}` → `/pets/:petId`.
 * Parameter names that are not plain identifiers are quoted (`{pet-id}` → `:"pet-id"`).
 * @example
 * toExpressPath('/pets/{petId}/photos') // '/pets/:petId/photos'
 */
export function toExpressPath(template: string): string {
  let out = '';
  let last = 0;
  for (const match of template.matchAll(/\{([^}]+)\}/g)) {
    out += template.slice(last, match.index).replace(SPECIAL, '\\$&');
    const name = match[1] as string;
    out += /^[A-Za-z_$][\w$]*$/.test(name) ? `:${name}` : `:"${name.replace(/"/g, '\\"')}"`;
    last = (match.index ?? 0) + match[0].length;
  }
  return out + template.slice(last).replace(SPECIAL, '\\$&');
}

/**
 * Turns an OpenAPI path template into an anchored regular expression (used to answer 405).
 * @example
 * toPathRegExp('/pets/{petId}').test('/pets/3') // true
 */
export function toPathRegExp(template: string): RegExp {
  const source = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${source}/?$`, 'i');
}
