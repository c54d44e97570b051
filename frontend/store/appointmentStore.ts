// Appointments: one day's calendar (with patient and type), a date range (cursor paging), booking,
// status changes and cancelling; and the appointment types they are booked with.
import { create } from "zustand";
import { client, onSessionCleared, unwrap, type Schemas } from "../services/api";
import type { paths } from "../services/schema";
import { idle, runner, type ActionState } from "./actions";

export type Appointment = Schemas["AppointmentDto"];
export type DayAppointment = Schemas["DayAppointmentDto"];
export type CreateAppointmentInput = Schemas["CreateAppointment"];
export type UpdateAppointmentInput = Schemas["UpdateAppointment"];
export type AppointmentType = Schemas["AppointmentTypeDto"];
export type CreateAppointmentTypeInput = Schemas["CreateAppointmentType"];
export type UpdateAppointmentTypeInput = Schemas["UpdateAppointmentType"];
/** `from`/`to` (inclusive, YYYY-MM-DD), `patientId`, `status`, `limit`. The cursor is the store's business. */
export type AppointmentRange = Omit<NonNullable<paths["/api/appointments"]["get"]["parameters"]["query"]>, "cursor">;
/** The API's statuses (`confirmed`, `pending`, `cancelled`); the document types them as plain strings. */
export type AppointmentStatus = NonNullable<UpdateAppointmentInput["status"]>;

export const appointmentActions = [
  "byDate", "range", "nextRangePage", "create", "update", "updateStatus", "cancel",
  "types", "createType", "updateType", "archiveType",
] as const;
export type AppointmentAction = (typeof appointmentActions)[number];

export interface AppointmentState extends ActionState<AppointmentAction> {
  /** The day shown (YYYY-MM-DD) and its appointments by time, cancelled ones included. */
  date: string | null;
  day: DayAppointment[];
  /** The range shown and its appointments by date and time, page by page. */
  rangeFilter: AppointmentRange | null;
  rangeItems: Appointment[];
  rangeNextCursor: string | null;
  rangeHasMore: boolean;
  /** The bookable (active) appointment types, by name. */
  types: AppointmentType[];

  /** Loads one day's calendar. */
  loadByDate(date: string): Promise<DayAppointment[] | null>;
  /** Loads the first page of a range (from/to inclusive, optionally one patient or status). */
  loadRange(filter: AppointmentRange): Promise<Appointment[] | null>;
  /** Appends the next page of the range. */
  nextRangePage(): Promise<Appointment[] | null>;
  /** Books; an overlap is refused with a 409 CONFLICT in `errors.create` unless `allowOverlap`. */
  create(input: CreateAppointmentInput): Promise<Appointment | null>;
  /** Changes any of the fields; a new slot is checked for overlaps again (409). */
  update(id: string, input: UpdateAppointmentInput): Promise<Appointment | null>;
  updateStatus(id: string, status: AppointmentStatus): Promise<Appointment | null>;
  /**
   * DELETE /api/appointments/{id}: the API cancels (the appointment stays, with status
   * `cancelled`, and frees its slot), so the lists keep it with its new status. True when done.
   */
  cancel(id: string): Promise<boolean | null>;

  loadTypes(): Promise<AppointmentType[] | null>;
  createType(input: CreateAppointmentTypeInput): Promise<AppointmentType | null>;
  updateType(id: string, input: UpdateAppointmentTypeInput): Promise<AppointmentType | null>;
  /** Archives (DELETE): no longer bookable or listed; old appointments keep it. True when done. */
  archiveType(id: string): Promise<boolean | null>;

  clearError(action: AppointmentAction): void;
  reset(): void;
}

const initial = () => ({
  date: null,
  day: [] as DayAppointment[],
  rangeFilter: null,
  rangeItems: [] as Appointment[],
  rangeNextCursor: null,
  rangeHasMore: false,
  types: [] as AppointmentType[],
  ...idle(appointmentActions),
});

const byName = (a: AppointmentType, b: AppointmentType) => a.name.localeCompare(b.name);

/** Whether an appointment on `date` belongs in the range filter's dates. */
function inRange(filter: AppointmentRange | null, appointment: Appointment): boolean {
  if (!filter) return false;
  return (!filter.from || appointment.date >= filter.from) && (!filter.to || appointment.date <= filter.to) &&
    (!filter.patientId || appointment.patientId === filter.patientId) && (!filter.status || appointment.status === filter.status);
}

export const useAppointmentStore = create<AppointmentState>()((set, get) => {
  const actions = runner<AppointmentState, AppointmentAction>(set);

  /** Puts a changed appointment into the lists shown: the day (re-read, for patient and type) and the range. */
  const changed = async (appointment: Appointment, before?: { date: string }) => {
    const { date } = get();
    if (date && (appointment.date === date || before?.date === date)) await get().loadByDate(date);
  };
  const rangeWith = (state: AppointmentState, appointment: Appointment) => ({
    rangeItems: state.rangeItems.some((a) => a.id === appointment.id)
      ? state.rangeItems.map((a) => (a.id === appointment.id ? appointment : a))
      : state.rangeItems,
  });

  const update = async (action: "update" | "updateStatus", id: string, input: UpdateAppointmentInput) => {
    const before = get().day.find((a) => a.id === id) ?? get().rangeItems.find((a) => a.id === id);
    const appointment = await actions.run(
      action,
      () => unwrap(client.PUT("/api/appointments/{id}", { params: { path: { id } }, body: input })),
      (appointment, state) => rangeWith(state, appointment),
    );
    if (appointment) await changed(appointment, before);
    return appointment;
  };

  return {
    ...initial(),

    loadByDate: (date) =>
      actions.run(
        "byDate",
        () => unwrap(client.GET("/api/appointments/by-date/{date}", { params: { path: { date } } })),
        (day) => ({ date, day }),
        { latestOnly: true },
      ),

    loadRange: (filter) =>
      actions.run(
        "range",
        () => unwrap(client.GET("/api/appointments", { params: { query: filter } })),
        (page) => ({
          rangeFilter: filter,
          rangeItems: page.data,
          rangeNextCursor: page.pagination.nextCursor ?? null,
          rangeHasMore: page.pagination.hasMore,
        }),
        { latestOnly: true },
      ).then((page) => page?.data ?? null),

    nextRangePage: async () => {
      const { rangeFilter, rangeNextCursor: cursor, loading } = get();
      if (!rangeFilter || !cursor || loading.nextRangePage) return get().rangeItems;
      const page = await actions.run(
        "nextRangePage",
        () => unwrap(client.GET("/api/appointments", { params: { query: { ...rangeFilter, cursor } } })),
        (page, state) =>
          state.rangeNextCursor !== cursor ? {} : {
            rangeItems: [...state.rangeItems, ...page.data.filter((a) => !state.rangeItems.some((r) => r.id === a.id))],
            rangeNextCursor: page.pagination.nextCursor ?? null,
            rangeHasMore: page.pagination.hasMore,
          },
        { latestOnly: true },
      );
      return page ? get().rangeItems : null;
    },

    create: async (input) => {
      const appointment = await actions.run(
        "create",
        () => unwrap(client.POST("/api/appointments", { body: input })),
        // A new one joins a range it falls in only when the range is complete (otherwise a later page brings it).
        (appointment, state) =>
          inRange(state.rangeFilter, appointment) && !state.rangeHasMore
            ? { rangeItems: [...state.rangeItems, appointment].sort((a, b) => `${a.date} ${a.time} ${a.id}`.localeCompare(`${b.date} ${b.time} ${b.id}`)) }
            : {},
      );
      if (appointment) await changed(appointment);
      return appointment;
    },

    update: (id, input) => update("update", id, input),

    updateStatus: (id, status) => update("updateStatus", id, { status }),

    cancel: (id) =>
      actions.run(
        "cancel",
        async () => {
          await unwrap(client.DELETE("/api/appointments/{id}", { params: { path: { id } } }));
          return true;
        },
        (_, state) => ({
          day: state.day.map((a) => (a.id === id ? { ...a, status: "cancelled" } : a)),
          rangeItems: state.rangeItems.map((a) => (a.id === id ? { ...a, status: "cancelled" } : a)),
        }),
      ),

    loadTypes: () =>
      actions.run("types", () => unwrap(client.GET("/api/appointment-types")), (types) => ({ types }), { latestOnly: true }),

    createType: (input) =>
      actions.run(
        "createType",
        () => unwrap(client.POST("/api/appointment-types", { body: input })),
        (type, state) => ({ types: [...state.types.filter((t) => t.id !== type.id), type].sort(byName) }),
      ),

    updateType: (id, input) =>
      actions.run(
        "updateType",
        () => unwrap(client.PUT("/api/appointment-types/{id}", { params: { path: { id } }, body: input })),
        (type, state) => ({ types: state.types.map((t) => (t.id === id ? type : t)).sort(byName) }),
      ),

    archiveType: (id) =>
      actions.run(
        "archiveType",
        async () => {
          await unwrap(client.DELETE("/api/appointment-types/{id}", { params: { path: { id } } }));
          return true;
        },
        (_, state) => ({ types: state.types.filter((t) => t.id !== id) }),
      ),

    clearError: (action) => set((state) => ({ errors: { ...state.errors, [action]: null } })),

    reset: () => {
      actions.invalidate();
      set(initial());
    },
  };
});

onSessionCleared(() => useAppointmentStore.getState().reset());
