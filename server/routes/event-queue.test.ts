import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.ts';

async function drain<T extends object>(queue: EventQueue<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of queue) out.push(item);
  return out;
}

describe('EventQueue', () => {
  it('hands out what was pushed before and after, in order, and ends after the last item', async () => {
    const queue = new EventQueue<{ n: number }>((item) => item.n === 3);
    queue.push({ n: 1 });
    const drained = drain(queue);
    queue.push({ n: 2 });
    await Promise.resolve();
    queue.push({ n: 3 });
    queue.push({ n: 4 });
    expect(await drained).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('ends at once when closed, and drops later pushes', async () => {
    const queue = new EventQueue<{ n: number }>();
    const drained = drain(queue);
    queue.close();
    queue.push({ n: 1 });
    expect(await drained).toEqual([]);
  });
});
