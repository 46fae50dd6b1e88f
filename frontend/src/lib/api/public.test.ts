// The live stream's wiring, against a fake EventSource: pokes, and telling a reconnection from the first open.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { onReconnect, watchLive } from './public';

/** Just enough of EventSource to fire its events by hand. */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  readonly listeners = new Map<string, ((event: { data?: string }) => void)[]>();
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }

  addEventListener(type: string, listener: (event: { data?: string }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  fire(type: string, data?: string) {
    for (const listener of this.listeners.get(type) ?? []) listener({ data });
  }

  close() {
    this.closed = true;
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeEventSource.opened = [];
});

describe('onReconnect', () => {
  it('ignores the first open and calls back on every later one', () => {
    const callback = vi.fn();
    const watcher = onReconnect(callback);
    watcher.open();
    expect(callback).not.toHaveBeenCalled();
    watcher.error();
    watcher.open();
    watcher.open();
    expect(callback).toHaveBeenCalledTimes(2);
  });

  it('calls back on a first open that comes after failures (loaded while the server was away)', () => {
    const callback = vi.fn();
    const watcher = onReconnect(callback);
    watcher.error();
    watcher.error();
    expect(callback).not.toHaveBeenCalled();
    watcher.open();
    expect(callback).toHaveBeenCalledOnce();
  });
});

describe('watchLive', () => {
  function watch() {
    vi.stubGlobal('EventSource', FakeEventSource);
    const onPoke = vi.fn();
    const reconnected = vi.fn();
    const stop = watchLive(undefined, onPoke, onReconnect(reconnected));
    const [source] = FakeEventSource.opened;
    return { source, onPoke, reconnected, stop };
  }

  it("opens the instance's stream and flushes only when it comes back after a drop", () => {
    const { source, reconnected } = watch();
    expect(FakeEventSource.opened).toHaveLength(1);
    expect(source.url).toBe('/api/v1/live/stream');
    source.fire('open');
    expect(reconnected).not.toHaveBeenCalled();
    source.fire('error');
    source.fire('open');
    expect(reconnected).toHaveBeenCalledOnce();
    source.fire('error');
    source.fire('open');
    expect(reconnected).toHaveBeenCalledTimes(2);
  });

  it('reads pokes, named or not, and skips what is not one', () => {
    const { source, onPoke } = watch();
    source.fire('open');
    source.fire('changed', '{"cursor": 5}');
    source.fire('message', '{"cursor": 6}');
    source.fire('message', 'keep-alive');
    expect(onPoke.mock.calls).toEqual([[5], [6]]);
  });

  it('closes the stream when stopped', () => {
    const { source, stop } = watch();
    stop();
    expect(source.closed).toBe(true);
  });

  it("opens a commons' stream without the open handler when none is given", () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    watchLive('atelier du lac', () => undefined);
    const [source] = FakeEventSource.opened;
    expect(source.url).toBe('/api/v1/live/stream?commons=atelier%20du%20lac');
    expect(source.listeners.has('open')).toBe(false);
  });
});
