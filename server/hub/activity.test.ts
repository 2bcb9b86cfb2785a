import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ActivityReporter } from './activity.ts';

describe('activity reports', () => {
  it('posts the last use with the server’s token, only when there was use since the last report', async () => {
    const received: { authorization: string | undefined; body: unknown }[] = [];
    let status = 200;
    const hub = new Hono().post('/hub/api/users/alice/activity', async (c) => {
      received.push({ authorization: c.req.header('authorization'), body: await c.req.json() });
      return c.body(null, status === 200 ? 200 : 503);
    });
    let now = Date.UTC(2026, 0, 2, 3, 4, 5);
    const logs: string[] = [];
    const reporter = new ActivityReporter({
      url: 'http://hub.test/hub/api/users/alice/activity',
      apiToken: 'server-secret',
      serverName: '',
      intervalMs: 3_600_000,
      fetch: async (url, init) => hub.request(url, init),
      now: () => now,
      log: (message) => logs.push(message),
    });
    try {
      await reporter.flush();
      expect(received).toEqual([]);

      reporter.notice();
      await reporter.flush();
      const when = '2026-01-02T03:04:05.000Z';
      expect(received).toEqual([{ authorization: 'token server-secret', body: { servers: { '': { last_activity: when } }, last_activity: when } }]);
      await reporter.flush();
      expect(received).toHaveLength(1);

      // A refused report is tried again at the next tick.
      now += 1000;
      reporter.notice();
      status = 503;
      await reporter.flush();
      expect(logs).toEqual([expect.stringMatching(/refused an activity report \(503\)/)]);
      status = 200;
      await reporter.flush();
      expect(received).toHaveLength(3);
      expect(received[2]?.body).toMatchObject({ last_activity: '2026-01-02T03:04:06.000Z' });
    } finally {
      reporter.dispose();
    }
  });
});
