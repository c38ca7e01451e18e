import { ApiException } from '@kubernetes/client-node';
import { createMetrics, WRITE_SUCCEEDED } from '../metrics';
import { NotLeaderError, WriteGate } from './write-gate';

// Every write is counted once in kmm_hub_api_writes_total, whatever its outcome: the code says which.

const writes = async (metrics: ReturnType<typeof createMetrics>) =>
  Object.fromEntries(
    (await metrics.apiWrites.get()).values.map((v) => [
      `${v.labels.verb} ${v.labels.resource} ${v.labels.code}`,
      v.value,
    ]),
  );

describe('WriteGate', () => {
  it('counts a write that succeeded and one that failed in the same counter', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const gate = new WriteGate({ isLeader: true }, metrics);
    await expect(gate.write('create', 'manifestworks', async () => 'ok')).resolves.toBe('ok');
    const conflict = new ApiException(409, 'Conflict', { kind: 'Status', reason: 'Conflict' }, {});
    await expect(
      gate.write('update', 'managedclustermodules/status', () => Promise.reject(conflict)),
    ).rejects.toBe(conflict);
    const refused = Object.assign(new Error('fetch failed'), {
      cause: { code: 'ECONNREFUSED' },
    });
    await expect(gate.write('delete', 'manifestworks', () => Promise.reject(refused))).rejects.toBe(
      refused,
    );
    expect(await writes(metrics)).toEqual({
      [`create manifestworks ${WRITE_SUCCEEDED}`]: 1,
      'update managedclustermodules/status 409': 1,
      'delete manifestworks 0': 1,
    });
  });

  it('neither writes nor counts when this replica does not lead', async () => {
    const metrics = createMetrics({ processMetrics: false });
    const request = jest.fn(async () => 'ok');
    await expect(
      new WriteGate({ isLeader: false }, metrics).write('create', 'manifestworks', request),
    ).rejects.toBeInstanceOf(NotLeaderError);
    expect(request).not.toHaveBeenCalled();
    expect(await writes(metrics)).toEqual({});
  });
});
