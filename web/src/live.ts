// The live connection: SignalR through /api/negotiate (which hands back the hub URL and a token
// bound to this user), target `coachingPrompt`. Automatic reconnects, and after the client gives
// up, new starts with back-off and as soon as the browser says it is online again. Every
// (re)connect calls onConnected, where the feed catches up over HTTP.

import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel, type ILogger } from "@microsoft/signalr";
import type { PromptView } from "./types";

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline";

export interface LiveHandlers {
  onPrompt(prompt: PromptView): void;
  onConnected(): void;
  onStatus(status: ConnectionStatus): void;
}

const RESTART_DELAYS_MS = [2_000, 5_000, 10_000, 30_000];

/** Warnings and errors only, and never a URL (SignalR's URLs can carry its own access token). */
const quietLogger: ILogger = {
  log(level: LogLevel, message: string) {
    if (level < LogLevel.Warning) return;
    console.warn(`[live] ${message.replace(/https?:\/\/\S+|wss?:\/\/\S+/g, "<url>")}`);
  },
};

export class Live {
  private connection: HubConnection | null = null;
  private restartTimer: number | undefined;
  private attempt = 0;
  private stopped = false;
  private status: ConnectionStatus = "connecting";

  constructor(private readonly accessToken: () => string | null, private readonly handlers: LiveHandlers) {
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
  }

  get current(): ConnectionStatus {
    return this.status;
  }

  start(): void {
    this.stopped = false;
    const connection = new HubConnectionBuilder()
      .withUrl(location.origin + "/api", { accessTokenFactory: () => this.accessToken() ?? "" })
      .withAutomaticReconnect()
      .configureLogging(quietLogger)
      .build();
    connection.on("coachingPrompt", (prompt: PromptView) => this.handlers.onPrompt(prompt));
    connection.onreconnecting(() => this.setStatus("reconnecting"));
    connection.onreconnected(() => {
      this.setStatus("connected");
      this.handlers.onConnected();
    });
    connection.onclose(() => {
      if (this.stopped) return;
      this.setStatus("offline");
      this.scheduleRestart();
    });
    this.connection = connection;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    window.clearTimeout(this.restartTimer);
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    const connection = this.connection;
    this.connection = null;
    await connection?.stop().catch(() => {});
  }

  private async connect(): Promise<void> {
    const connection = this.connection;
    if (!connection || this.stopped || connection.state !== HubConnectionState.Disconnected) return;
    this.setStatus(this.attempt === 0 ? "connecting" : "reconnecting");
    try {
      await connection.start();
      this.attempt = 0;
      this.setStatus("connected");
      this.handlers.onConnected();
    } catch {
      if (this.stopped) return;
      this.setStatus(navigator.onLine ? "reconnecting" : "offline");
      this.scheduleRestart();
    }
  }

  private scheduleRestart(): void {
    window.clearTimeout(this.restartTimer);
    const delay = RESTART_DELAYS_MS[Math.min(this.attempt, RESTART_DELAYS_MS.length - 1)]!;
    this.attempt += 1;
    this.restartTimer = window.setTimeout(() => void this.connect(), delay);
  }

  private readonly onOnline = () => {
    if (this.stopped) return;
    if (this.connection?.state === HubConnectionState.Connected) {
      // The socket may have survived; what happened meanwhile is fetched all the same.
      this.setStatus("connected");
      this.handlers.onConnected();
    } else if (this.connection?.state === HubConnectionState.Disconnected) {
      window.clearTimeout(this.restartTimer);
      void this.connect();
    }
  };

  private readonly onOffline = () => {
    if (!this.stopped) this.setStatus("offline");
  };

  private setStatus(status: ConnectionStatus): void {
    if (status === "connected" && !navigator.onLine) status = "offline";
    if (this.status === status) return;
    this.status = status;
    this.handlers.onStatus(status);
  }
}
