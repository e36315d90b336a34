// Written by `spectrometer types` with openapi-typescript: do not edit, generate again.
// `createApi<Operations>({ spec, handlers })` checks handler names, parameters and results.
export interface paths {
    "/pets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List pets, newest last */
        get: operations["listPets"];
        put?: never;
        /** Add a pet (needs the pets:write scope) */
        post: operations["createPet"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pets/{petId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetId"];
            };
            cookie?: never;
        };
        get: operations["getPet"];
        put?: never;
        post?: never;
        delete: operations["deletePet"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pets/{petId}/card": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetId"];
            };
            cookie?: never;
        };
        /** A one-line text card of the pet */
        get: operations["getPetCard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/pets/{petId}/photo": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetId"];
            };
            cookie?: never;
        };
        /** The pet's photo, as PNG bytes */
        get: operations["getPetPhoto"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness probe for load balancers */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        NewPet: {
            name: string;
            tag?: string;
        };
        Pet: {
            id: number;
            name: string;
            tag?: string;
        };
    };
    responses: never;
    parameters: {
        PetId: number;
        /** @description Page size */
        Limit: number;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listPets: {
        parameters: {
            query?: {
                /** @description Page size */
                limit?: components["parameters"]["Limit"];
                /** @description Only pets with this tag */
                tag?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of pets */
            200: {
                headers: {
                    "X-Total-Count"?: number;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "id": 1,
                     *         "name": "Rex",
                     *         "tag": "dog"
                     *       },
                     *       {
                     *         "id": 2,
                     *         "name": "Tom",
                     *         "tag": "cat"
                     *       }
                     *     ]
                     */
                    "application/json": components["schemas"]["Pet"][];
                };
            };
            /** @description The request does not match this document; `errors` lists every issue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @example about:blank */
                        type: string;
                        /** @example Not Found */
                        title: string;
                        /** @example 404 */
                        status: number;
                        /** @example no pet 42 */
                        detail?: string;
                        errors?: {
                            /** @enum {string} */
                            in: "body" | "query" | "path" | "header" | "cookie" | "request" | "response";
                            pointer: string;
                            message: string;
                            keyword?: string;
                        }[];
                    };
                };
            };
        };
    };
    createPet: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewPet"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    /** @description URL of the new pet */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pet"];
                };
            };
            /** @description The request does not match this document; `errors` lists every issue. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @example about:blank */
                        type: string;
                        /** @example Not Found */
                        title: string;
                        /** @example 404 */
                        status: number;
                        /** @example no pet 42 */
                        detail?: string;
                        errors?: {
                            /** @enum {string} */
                            in: "body" | "query" | "path" | "header" | "cookie" | "request" | "response";
                            pointer: string;
                            message: string;
                            keyword?: string;
                        }[];
                    };
                };
            };
            /** @description Credentials are missing or were rejected. */
            401: {
                headers: {
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @example about:blank */
                        type: string;
                        /** @example Not Found */
                        title: string;
                        /** @example 404 */
                        status: number;
                        /** @example no pet 42 */
                        detail?: string;
                        errors?: {
                            /** @enum {string} */
                            in: "body" | "query" | "path" | "header" | "cookie" | "request" | "response";
                            pointer: string;
                            message: string;
                            keyword?: string;
                        }[];
                    };
                };
            };
        };
    };
    getPet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pet */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": 1,
                     *       "name": "Rex",
                     *       "tag": "dog"
                     *     }
                     */
                    "application/json": components["schemas"]["Pet"];
                };
            };
            /** @description No such resource. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @example about:blank */
                        type: string;
                        /** @example Not Found */
                        title: string;
                        /** @example 404 */
                        status: number;
                        /** @example no pet 42 */
                        detail?: string;
                        errors?: {
                            /** @enum {string} */
                            in: "body" | "query" | "path" | "header" | "cookie" | "request" | "response";
                            pointer: string;
                            message: string;
                            keyword?: string;
                        }[];
                    };
                };
            };
        };
    };
    deletePet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Credentials are missing or were rejected. */
            401: {
                headers: {
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @example about:blank */
                        type: string;
                        /** @example Not Found */
                        title: string;
                        /** @example 404 */
                        status: number;
                        /** @example no pet 42 */
                        detail?: string;
                        errors?: {
                            /** @enum {string} */
                            in: "body" | "query" | "path" | "header" | "cookie" | "request" | "response";
                            pointer: string;
                            message: string;
                            keyword?: string;
                        }[];
                    };
                };
            };
            /** @description No such resource. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @example about:blank */
                        type: string;
                        /** @example Not Found */
                        title: string;
                        /** @example 404 */
                        status: number;
                        /** @example no pet 42 */
                        detail?: string;
                        errors?: {
                            /** @enum {string} */
                            in: "body" | "query" | "path" | "header" | "cookie" | "request" | "response";
                            pointer: string;
                            message: string;
                            keyword?: string;
                        }[];
                    };
                };
            };
        };
    };
    getPetCard: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The card */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example Rex (dog) */
                    "text/plain": string;
                };
            };
            /** @description No such resource. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @example about:blank */
                        type: string;
                        /** @example Not Found */
                        title: string;
                        /** @example 404 */
                        status: number;
                        /** @example no pet 42 */
                        detail?: string;
                        errors?: {
                            /** @enum {string} */
                            in: "body" | "query" | "path" | "header" | "cookie" | "request" | "response";
                            pointer: string;
                            message: string;
                            keyword?: string;
                        }[];
                    };
                };
            };
        };
    };
    getPetPhoto: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                petId: components["parameters"]["PetId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The photo */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/png": string;
                };
            };
            /** @description No such resource. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        /** @example about:blank */
                        type: string;
                        /** @example Not Found */
                        title: string;
                        /** @example 404 */
                        status: number;
                        /** @example no pet 42 */
                        detail?: string;
                        errors?: {
                            /** @enum {string} */
                            in: "body" | "query" | "path" | "header" | "cookie" | "request" | "response";
                            pointer: string;
                            message: string;
                            keyword?: string;
                        }[];
                    };
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /** @example ok */
                    "text/plain": string;
                };
            };
        };
    };
}

type NoneIfNever<T> = [Exclude<T, undefined>] extends [never] ? Record<string, never> : Exclude<T, undefined>;
type ParameterPart<O, K extends string> = O extends { parameters: infer P } ? (P extends { [Q in K]?: infer V } ? NoneIfNever<V> : Record<string, never>) : Record<string, never>;
type ContentBody<C> = [C] extends [never] ? undefined : C extends { [media: string]: infer B } ? B : undefined;
type RequestBodyOf<O> = O extends { requestBody?: infer B }
  ? [Exclude<B, undefined>] extends [never]
    ? undefined
    : ContentBody<NonNullable<B> extends { content: infer C } ? C : never> | (undefined extends B ? undefined : never)
  : undefined;
type ResponseBodyOf<R> = R extends { content: infer C } ? ContentBody<C> : undefined;
type OperationTypesOf<O> = {
  params: ParameterPart<O, 'path'>;
  query: ParameterPart<O, 'query'>;
  headers: ParameterPart<O, 'header'>;
  cookies: ParameterPart<O, 'cookie'>;
  body: RequestBodyOf<O>;
  responses: O extends { responses: infer R } ? { [S in keyof R]: ResponseBodyOf<R[S]> } : Record<string, never>;
};

/** Every operation by operationId, for `createApi<Operations>()`. */
export interface Operations {
  "listPets": OperationTypesOf<operations["listPets"]>;
  "createPet": OperationTypesOf<operations["createPet"]>;
  "getPet": OperationTypesOf<operations["getPet"]>;
  "deletePet": OperationTypesOf<operations["deletePet"]>;
  "getPetCard": OperationTypesOf<operations["getPetCard"]>;
  "getPetPhoto": OperationTypesOf<operations["getPetPhoto"]>;
  "getHealth": OperationTypesOf<operations["getHealth"]>;
}
