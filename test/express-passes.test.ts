// `npm test` runs the suite on Express 5 (jest.config.js) and on Express 4
// (jest.express4.config.js): each pass must give one Express to the tests, src/ and children.
import express from 'express';
import { spawnSync } from 'node:child_process';
import { Registry } from 'prom-client';
import { createApi } from '../src';
import { onExpress4 } from './helpers/express-version';

describe(`the ${onExpress4 ? 'Express 4' : 'Express 5'} pass`, () => {
  it('gives createApi the Express the tests get', async () => {
    const api = await createApi({
      spec: { openapi: '3.0.3', info: { title: 'pass', version: '1' }, paths: {} },
      handlers: {},
      metrics: { registry: new Registry(), processMetrics: false },
    });
    expect(api.app.listen).toBe(express.application.listen);
  });

  it('gives child processes the Express the tests get', () => {
    const child = spawnSync(
      process.execPath,
      ['-p', "require('express') === require('express4')"],
      { cwd: `${__dirname}/..`, encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe(String(onExpress4));
  });
});
