import { describe, expect, it } from '@jest/globals';
import { TaskSlots } from '../../src/roberta/task-slots';

describe('TaskSlots', () => {
  it('when every slot is taken, then the next acquirer waits until one is released', async () => {
    const slots = new TaskSlots(1);
    const release = await slots.acquire();
    let granted = false;
    const waiting = slots.acquire().then((r) => {
      granted = true;
      return r;
    });
    await Promise.resolve();
    expect(granted).toBe(false);
    expect(slots.waiting).toBe(1);
    release();
    (await waiting)();
    expect(granted).toBe(true);
    expect(slots.busy).toBe(0);
  });

  it('when a waiting acquirer is aborted, then it rejects with the reason and never takes a slot', async () => {
    const slots = new TaskSlots(1);
    const release = await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    const reason = new Error('deadline');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    release();
    expect(slots.busy).toBe(0);
    expect(slots.waiting).toBe(0);
  });

  it('when closed with a slot held, then waiters are refused and close resolves only after the release', async () => {
    const slots = new TaskSlots(1);
    const release = await slots.acquire();
    const waiting = slots.acquire();
    let closed = false;
    const closing = slots.close(new Error('closed')).then(() => (closed = true));
    await expect(waiting).rejects.toThrow('closed');
    await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(closed).toBe(true);
    await expect(slots.acquire()).rejects.toThrow('closed');
  });

  it('when a release function is called twice, then only one slot is freed', async () => {
    const slots = new TaskSlots(2);
    const release = await slots.acquire();
    await slots.acquire();
    release();
    release();
    expect(slots.busy).toBe(1);
  });
});
