/** `serve --port` without the option. */
export const DEFAULT_PORT = 8080;
/** `serve --host` without the option: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';
