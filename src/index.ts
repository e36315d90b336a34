export { SpectrometerError, ERROR_CODES } from './errors';
export type { ErrorCode, BootProblem } from './errors';
