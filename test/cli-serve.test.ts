import { join } from 'node:path';
import request from 'supertest';
import { serve } from '../src/cli/serve';
import { SpectrometerError } from '../src/errors';

const PETSTORE = join(__dirname, '..', 'specs', 'petstore.yaml');
const SECURED = join(__dirname, 'fixtures', 'serve-handlers', 'handlers.js');

describe('spectrometer serve', () => {
  it('boots the spec, prints where the API and /metrics are, and stops on SIGTERM', async () => {
    const lines: string[] = [];
    const log = jest
      .spyOn(console, 'log')
      .mockImplementation((line: string) => void lines.push(line));
    try {
      const exit = serve([PETSTORE, '--handlers', SECURED, '--mock', '--port', '0']);
      while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      const origin = /on (http:\/\/127\.0\.0\.1:\d+)\/v1$/.exec(lines[0] as string)?.[1] as string;
      expect(lines[0]).toBe(`spectrometer: Petstore on ${origin}/v1`);
      expect(lines[1]).toBe(`spectrometer: metrics on ${origin}/metrics`);
      expect((await request(origin).get('/v1/pets/1').expect(200)).body).toEqual({
        id: 1,
        name: 'Rex',
        tag: 'dog',
      });
      expect((await request(origin).get('/v1/pets/1/card').expect(200)).text).toBe('handled');
      expect((await request(origin).get('/metrics').expect(200)).text).toContain(
        'operation="getPetCard"',
      );
      process.emit('SIGTERM');
      await expect(exit).resolves.toBe(0);
    } finally {
      log.mockRestore();
    }
  });

  it('rejects --workers and unknown options with the usage', async () => {
    const error = await serve([PETSTORE, '--workers', '2']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpectrometerError);
    expect((error as SpectrometerError).code).toBe('SPM_CLI_USAGE');
    expect((error as SpectrometerError).message).toMatch(
      /^serve: --workers \(cluster mode\) is not available yet\nusage: /,
    );
    await expect(serve([PETSTORE, '--verbose'])).rejects.toThrow(
      /serve: unknown option --verbose\nusage: spectrometer serve/,
    );
  });

  it('fails to boot a secured spec without security handlers', async () => {
    await expect(serve([PETSTORE, '--mock', '--port', '0'])).rejects.toThrow(
      /security scheme "bearerAuth" has no handler/,
    );
  });
});
