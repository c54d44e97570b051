// What every store shares: loading and error state per action, and a runner that keeps them right.
//
//  - `loading[action]` is true while the latest call of that action is under way;
//  - `errors[action]` holds the ApiError of the latest failed call (null once it succeeds or is retried);
//  - actions never throw: they resolve to their result, or to null when they failed (the error is in state);
//  - a late answer of a superseded call (a newer search, another day) or of a call from before a
//    session reset (logout) changes nothing.
import type { StoreApi } from "zustand";
import { ApiError } from "../services/api";

export type Loading<A extends string> = Record<A, boolean>;
export type Errors<A extends string> = Record<A, ApiError | null>;

export interface ActionState<A extends string> {
  loading: Loading<A>;
  errors: Errors<A>;
}

/** Every action idle and without error. */
export function idle<A extends string>(actions: readonly A[]): ActionState<A> {
  const loading = {} as Loading<A>;
  const errors = {} as Errors<A>;
  for (const action of actions) {
    loading[action] = false;
    errors[action] = null;
  }
  return { loading, errors };
}

/** Any failure as an ApiError (the typed client already throws ApiError; this covers the rest). */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, "CLIENT_ERROR", error instanceof Error ? error.message : String(error));
}

type SetState<S> = StoreApi<S>["setState"];

export interface RunOptions {
  /** Only the latest call of the action may change the state (searches, the day shown, a list). */
  latestOnly?: boolean;
}

export interface Runner<S extends ActionState<A>, A extends string> {
  /**
   * Runs `work` as `action`: flags it loading, clears its error, records a failure as an ApiError.
   * `apply` turns the result into a state change; it is skipped after a session reset, and for
   * `latestOnly` actions when a newer call of the same action has started.
   */
  run<T>(action: A, work: () => Promise<T>, apply?: (result: T, state: S) => Partial<S>, options?: RunOptions): Promise<T | null>;
  /** Starts a new generation: answers of calls begun before change nothing. Call it with the reset. */
  invalidate(): void;
}

export function runner<S extends ActionState<A>, A extends string>(set: SetState<S>): Runner<S, A> {
  let generation = 0;
  let sequence = 0;
  const latest = new Map<A, number>();

  const flags = (state: S, action: A, loading: boolean, error: ApiError | null) =>
    ({ loading: { ...state.loading, [action]: loading }, errors: { ...state.errors, [action]: error } }) as Partial<S>;

  return {
    async run(action, work, apply, options = {}) {
      const id = ++sequence;
      const startedIn = generation;
      latest.set(action, id);
      set((state) => flags(state, action, true, null));
      const sameSession = () => startedIn === generation;
      const isLatest = () => sameSession() && latest.get(action) === id;
      try {
        const result = await work();
        const change = apply && (options.latestOnly ? isLatest() : sameSession()) ? apply : undefined;
        if (change || isLatest()) {
          set((state) => {
            const next: Partial<S> = change ? change(result, state) : {};
            return isLatest() ? { ...next, ...flags(state, action, false, null) } : next;
          });
        }
        return result;
      } catch (error) {
        const apiError = asApiError(error);
        if (isLatest()) set((state) => flags(state, action, false, apiError));
        return null;
      }
    },
    invalidate() {
      generation++;
      latest.clear();
    },
  };
}
