import { Writable } from 'node:stream';
import { createLogger } from './logging';

// The controller's log lines: one JSON object each, level as a word, ISO time, and no credentials.

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes one JSON object per line with the level as a word, an ISO time and the component', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    log.info({ mcm: 'drv' }, 'reconciled');
    log.debug('not at info');
    expect(lines()).toEqual([
      {
        level: 'info',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        component: 'kmm-hub-controller',
        mcm: 'drv',
        msg: 'reconciled',
      },
    ]);
  });

  it('redacts credentials at the top level and one level down', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    log.warn(
      {
        token: 's3cret-token',
        password: 'hunter2',
        headers: { authorization: 'Bearer abc.def' },
        request: { headers: { authorization: 'Bearer xyz' }, bearerToken: 'tok' },
        user: { clientKey: 'PEM', keyData: 'base64', name: 'admin' },
      },
      'request failed',
    );
    const text = JSON.stringify(lines());
    for (const secret of ['s3cret-token', 'hunter2', 'abc.def', 'xyz', '"tok"', 'PEM', 'base64'])
      expect(text).not.toContain(secret);
    expect(lines()[0]).toMatchObject({
      token: '[redacted]',
      headers: { authorization: '[redacted]' },
      user: { name: 'admin', clientKey: '[redacted]' },
    });
  });
});
