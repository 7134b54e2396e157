// The API's shapes (README "API"; camelCase, nulls omitted).

export interface QuickReply {
  text: string;
  value: string;
}

export interface PromptFacts {
  localDate?: string;
  habitId?: string;
  habitName?: string;
  missedDays?: number;
  streakBefore?: number;
  streak?: number;
  goalDays?: number;
  week?: string;
  [key: string]: unknown;
}

export type PromptState = "pending" | "scheduled" | "delivered" | "seen" | "responded" | "expired" | "dismissed" | "failed";

export interface PromptView {
  id: string;
  type: string;
  priority: string;
  title: string;
  message: string;
  quickReplies: QuickReply[];
  state: PromptState;
  locale: string;
  strategy: string;
  facts: PromptFacts;
  createdAt: string;
  replyTo?: string;
  deliverAt?: string;
  expiresAt?: string;
  channel?: string;
  sentAt?: string;
  deliveredAt?: string;
  seenAt?: string;
  respondedAt?: string;
  response?: string;
}

export interface PromptPage {
  items: PromptView[];
  continuationToken?: string;
}

export interface RespondResult {
  promptId: string;
  action: string;
  nextStep: string;
  followUp?: PromptView;
  completion?: { habitId: string; date: string };
  streak?: number;
  interruption?: unknown;
  snoozedUntil?: string;
}

export interface Habit {
  id: string;
  name: string;
  startDate: string;
  daysOfWeek: string[];
  active: boolean;
  goalDays?: number;
  createdAt: string;
}

/** A habit in GET /api/habits: with its current streak and the days done in the last 28 local days. */
export interface HabitListItem extends Habit {
  /** Scheduled days done in a row, ending today or yesterday. */
  streak: number;
  /** The local yyyy-MM-dd dates done in the last 28 days, today included, oldest first. */
  recentCompletions: string[];
}

export interface QuietHours {
  enabled: boolean;
  start: string;
  end: string;
}

export interface Preferences {
  timeZone: string;
  locale: string;
  preferredTime: string;
  enabledTypes: string[];
  maxPerDay: number;
  maxPerHour: number;
  minIntervalMinutes: number;
  quietHours: QuietHours;
  channels: string[];
  reviewDay: string;
  reviewTime: string;
  customInstructions: string | null;
  learned?: { style: string | null; rules: string[]; feedbackCount: number; updatedAt: string | null };
}

export const PROMPT_TYPES = [
  "daily_checkin", "habit_missed", "progress_stalled", "weekly_review",
  "milestone_reached", "silent_period", "pattern_change", "context_change",
] as const;

export const CHANNELS = ["in_app", "push", "email", "wecom"] as const;

export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

export type Counts = Record<string, number>;

export interface AdminStats {
  days: number;
  from: string;
  to: string;
  generated: { total: number; byType: Counts; byPriority: Counts; byStrategy: Counts };
  transitions: Counts;
  deliveredByChannel: Counts;
  failedByChannel: Counts;
  suppressed: { total: number; byReason: Counts };
  responses: { count: number; rate: number | null; byAction: Counts; timeSeconds: { p50: number | null; p90: number | null; p99: number | null } };
  llm: {
    requests: number; requestsByOutcome: Counts; prompts: number; fallbacks: number; fallbacksByReason: Counts;
    tokens: { prompt: number; completion: number; total: number }; latencyAverageSeconds: number | null; latencyP95Seconds: number | null;
  };
  scan: { shards: number; usersRead: number; usersDue: number; detections: number; storageTransactions: number };
}

/** A push device as GET/PUT /api/contacts carry it (registered by the native apps). */
export interface DeviceToken {
  token: string;
  platform: string;
}

/** GET/PUT /api/contacts: the whole set, replaced on every PUT. */
export interface Contacts {
  email: string | null;
  devices: DeviceToken[];
}

/** POST /api/channels/wecom/link: a one-time WeCom customer-service contact link. */
export interface WeComLink {
  url: string;
  expiresAt: string;
}
