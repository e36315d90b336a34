import type { LoadedSpec } from '../../openapi/load-spec';

/**
 * The loaded document as one self-contained JSON text: a schema (or any object) that `$ref`s
 * pointed to is written once, where it lives in the document (`#/components/schemas/Pet`), and
 * every other use is a local `$ref` to it again; objects from other files are written where they
 * are first used, and `$ref`d there after. Swagger 2.0 documents are served as converted. With
 * `componentRefsOnly`, only `#/components/…` targets stay `$ref`s and the rest is written out
 * at each use (for tools that read `$ref`s as component names, such as openapi-typescript).
 * @example
 * JSON.parse(toSpecJson(spec)).paths['/pets'].get.responses['200'].content['application/json'].schema
 * // { $ref: '#/components/schemas/Pets' }
 */
export function toSpecJson(
  spec: Pick<LoadedSpec, 'document' | 'refTargets'>,
  { componentRefsOnly = false } = {},
): string {
  const written = new Map<object, string>();
  const write = (value: unknown, pointer: string): unknown => {
    if (!value || typeof value !== 'object') return value;
    const target = spec.refTargets.get(value);
    if (target !== undefined && (!componentRefsOnly || target.startsWith('#/components/'))) {
      const home = target.startsWith('#') ? target : written.get(value);
      if (home !== undefined && home !== `#${pointer}`) return { $ref: home };
      written.set(value, `#${pointer}`);
    }
    if (Array.isArray(value)) return value.map((item, i) => write(item, `${pointer}/${i}`));
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, write(item, `${pointer}/${escape(key)}`)]),
    );
  };
  return JSON.stringify(write(spec.document, ''));
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
