import { serverNow } from "~/lib/clock.server";

/**
 * Periodic work that reads its due items from the database (expiring
 * proposals, closing votes, overdue whistles). Nothing is remembered in
 * memory: a restart loses nothing and the first tick catches up. Tasks must
 * be idempotent and lock what they change (FOR UPDATE SKIP LOCKED), so
 * several nodes may run them at once.
 */
export interface ScheduledTask {
  name: string;
  everyMs: number;
  run: (now: Date) => Promise<unknown>;
}

export function startScheduler(tasks: ScheduledTask[], onError: (task: string, error: unknown) => void = () => {}) {
  const timers = tasks.map((task) => {
    let running = false;
    const tick = async () => {
      if (running) return; // a slow run is never overlapped by the next tick
      running = true;
      try {
        await task.run(serverNow());
      } catch (error) {
        onError(task.name, error);
      } finally {
        running = false;
      }
    };
    void tick();
    return setInterval(tick, task.everyMs);
  });
  return () => timers.forEach(clearInterval);
}
