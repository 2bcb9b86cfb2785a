/**
 * Tells the hub when this server was last used, so the hub's idle culler (jupyterhub-idle-culler) stops only
 * servers nobody uses. Use is a request to the API or a message on a notebook's socket other than the page's
 * keep-alive ping; an open tab nobody touches is idle, as in JupyterLab. Every `intervalMs`, if there was use
 * since the last report, one `POST` to `JUPYTERHUB_ACTIVITY_URL` with the server's token carries the time of
 * the last use (the body jupyterhub-singleuser sends). A failed report is logged and tried at the next tick.
 */

import type { HubFetch } from './hub-oauth.ts';

export interface ActivityReporterOptions {
  url: string;
  apiToken: string;
  /** The server's name ('' for the default server). */
  serverName: string;
  intervalMs: number;
  fetch?: HubFetch;
  now?: () => number;
  log?: (message: string) => void;
}

export class ActivityReporter {
  private lastActivity: number | undefined;
  private reported: number | undefined;
  private readonly timer: ReturnType<typeof setInterval>;
  private sending: Promise<void> | undefined;

  constructor(private readonly options: ActivityReporterOptions) {
    this.timer = setInterval(() => void this.flush(), options.intervalMs);
    this.timer.unref();
  }

  /** Something was used now. Cheap: called on every API request and socket message. */
  notice(): void {
    this.lastActivity = (this.options.now ?? Date.now)();
  }

  /** Sends the last use if it is newer than the last report; resolves when the hub has answered. */
  flush(): Promise<void> {
    const last = this.lastActivity;
    if (last === undefined || last === this.reported || this.sending) return this.sending ?? Promise.resolve();
    const when = new Date(last).toISOString();
    const send = async () => {
      try {
        const response = await (this.options.fetch ?? fetch)(this.options.url, {
          method: 'POST',
          headers: { authorization: `token ${this.options.apiToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ servers: { [this.options.serverName]: { last_activity: when } }, last_activity: when }),
          signal: AbortSignal.timeout(20_000),
        });
        if (response.ok) this.reported = last;
        else this.options.log?.(`the hub refused an activity report (${response.status})`);
      } catch (error) {
        this.options.log?.(`could not report activity to the hub: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    this.sending = send().finally(() => {
      this.sending = undefined;
    });
    return this.sending;
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
