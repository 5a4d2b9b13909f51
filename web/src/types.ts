// The shapes this client reads, as chalicelib/openapi.json states them.

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Me {
  user_id: string;
  email: string;
  tenant_id: string;
  role: string;
}

export interface Preferences {
  units: "metric" | "imperial";
  timezone: string;
  week_starts_on: string;
  weekly_workout_goal: number;
  notifications: { email_reminders: boolean; weekly_summary: boolean };
  privacy: { profile_visibility: string };
  updated_at: string | null;
}

export interface Profile {
  id: string;
  display_name?: string;
  bio?: string;
  birth_date?: string;
  height_cm?: number;
  version: number;
}

export interface WeightPoint {
  date: string;
  weight: number;
  moving_average_7d: number;
}

export interface Summary {
  from: string;
  to: string;
  timezone: string;
  units: string;
  weight: {
    entries: number;
    change: number | null;
    min: number | null;
    max: number | null;
    unit?: string;
    last: { date: string; value: number } | null;
    series: WeightPoint[];
  };
  workouts: {
    count: number;
    total_minutes: number;
    weekly_goal: number;
    current_streak_weeks: number;
    per_week: { week: string; count: number; minutes: number }[];
  };
  tasks: { open: number; overdue: number; done_in_range: number; completion_rate: number | null };
}

export interface Task {
  id: string;
  title: string;
  done: boolean;
  due_date?: string;
  priority: "low" | "normal" | "high";
  version: number;
}

export interface Post {
  id: string;
  author_id: string;
  text: string;
  created_at: string;
  like_count: number;
  liked_by_me: boolean;
  comment_count: number;
  version: number;
}

export const WORKOUT_TYPES = ["strength", "cardio", "hiit", "mobility", "sport", "other"] as const;
export const PRIORITIES = ["low", "normal", "high"] as const;
export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
