// Appointments: one day's calendar (with patient, type, dentist and chair), several days at once, a
// date range (cursor paging), free slots, booking, status changes, cancelling with a reason and
// removing; the appointment types they are booked with; and what the booking rules read: dentists,
// chairs, opening and working hours, closures and time off.
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
export type Dentist = Schemas["DentistDto"];
export type Chair = Schemas["ChairDto"];
export type CreateChairInput = Schemas["CreateChair"];
export type UpdateChairInput = Schemas["UpdateChair"];
export type HoursInterval = Schemas["HoursInterval"];
export type ScheduleHours = Schemas["ScheduleHoursDto"];
export type Closure = Schemas["ClosureDto"];
export type CreateClosureInput = Schemas["CreateClosure"];
export type AvailableSlot = Schemas["AvailableSlot"];
/** `from`/`to` (inclusive, YYYY-MM-DD), `patientId`, `status`, `dentistId`, `chairId`, `limit`. The cursor is the store's business. */
export type AppointmentRange = Omit<NonNullable<paths["/api/appointments"]["get"]["parameters"]["query"]>, "cursor">;
/** `from`/`to` (inclusive, at most 31 days), optionally `dentistId` or `chairId`. */
export type CalendarQuery = NonNullable<paths["/api/appointments/calendar"]["get"]["parameters"]["query"]>;
/** `appointmentTypeId`, `from`/`to` (at most 31 days), optionally `dentistId` or `chairId`. */
export type AvailabilityQuery = NonNullable<paths["/api/appointments/availability"]["get"]["parameters"]["query"]>;
/** The API's statuses: pending, confirmed, arrived, completed, cancelled, no-show. */
export type AppointmentStatus = NonNullable<UpdateAppointmentInput["status"]>;
export const appointmentStatuses = ["pending", "confirmed", "arrived", "completed", "cancelled", "no-show"] as const satisfies readonly AppointmentStatus[];
/** The rule a 409 names in its details (field `rule`). */
export type BookingRule = "dentist" | "chair" | "patient" | "capacity" | "clinicHours" | "dentistHours" | "closure" | "timeOff";

export const appointmentActions = [
  "byDate", "calendar", "range", "nextRangePage", "availability", "create", "update", "updateStatus", "cancel", "remove",
  "types", "createType", "updateType", "archiveType",
  "dentists", "chairs", "archivedChairs", "createChair", "updateChair", "deleteChair",
  "hours", "setClinicHours", "setDentistHours", "closures", "createClosure", "deleteClosure",
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
  /** The days shown by the calendar (several days) and their appointments by date and time. */
  calendarQuery: CalendarQuery | null;
  calendar: DayAppointment[];
  /** The free slots last searched for. */
  availabilityQuery: AvailabilityQuery | null;
  slots: AvailableSlot[];
  /** Active dentists by name; active chairs by display order. */
  dentists: Dentist[];
  chairs: Chair[];
  /** Archived chairs (no longer bookable; their appointments keep them), by display order. */
  archivedChairs: Chair[];
  /** Opening hours of the clinic and the dentists' own hours. */
  hours: ScheduleHours | null;
  /** Closures and time off last loaded (by start date). */
  closures: Closure[];

  /** Loads one day's calendar. */
  loadByDate(date: string): Promise<DayAppointment[] | null>;
  /** Loads the appointments of several days (at most 31) at once, optionally one dentist's or chair's. */
  loadCalendar(query: CalendarQuery): Promise<DayAppointment[] | null>;
  /** Free start times for a type (with a free dentist and chair when the clinic has them). */
  loadAvailability(query: AvailabilityQuery): Promise<AvailableSlot[] | null>;
  /** Loads the first page of a range (from/to inclusive, optionally one patient or status). */
  loadRange(filter: AppointmentRange): Promise<Appointment[] | null>;
  /** Appends the next page of the range. */
  nextRangePage(): Promise<Appointment[] | null>;
  /**
   * Books; a broken booking rule is a 409 CONFLICT in `errors.create` (its details name the `rule` and the
   * `conflictingAppointmentId`), unless `allowOverlap` (admins and dentists; staff get 403).
   */
  create(input: CreateAppointmentInput): Promise<Appointment | null>;
  /** Changes any of the fields; a new slot is checked for overlaps again (409). */
  update(id: string, input: UpdateAppointmentInput): Promise<Appointment | null>;
  updateStatus(id: string, status: AppointmentStatus): Promise<Appointment | null>;
  /**
   * POST /api/appointments/{id}/cancel: the appointment stays, with status `cancelled` and the reason,
   * and frees its time; the lists keep it with its new status. True when done.
   */
  cancel(id: string, reason?: string): Promise<boolean | null>;
  /** DELETE: removes an appointment entered in error (gone from every list; kept in the audit log). True when done. */
  remove(id: string): Promise<boolean | null>;

  loadTypes(): Promise<AppointmentType[] | null>;
  createType(input: CreateAppointmentTypeInput): Promise<AppointmentType | null>;
  updateType(id: string, input: UpdateAppointmentTypeInput): Promise<AppointmentType | null>;
  /** Archives (DELETE): no longer bookable or listed; old appointments keep it. True when done. */
  archiveType(id: string): Promise<boolean | null>;

  loadDentists(): Promise<Dentist[] | null>;
  loadChairs(): Promise<Chair[] | null>;
  loadArchivedChairs(): Promise<Chair[] | null>;
  createChair(input: CreateChairInput): Promise<Chair | null>;
  updateChair(id: string, input: UpdateChairInput): Promise<Chair | null>;
  /** Archives a chair that has appointments, removes one that has none; either way it leaves `chairs`. */
  deleteChair(id: string): Promise<boolean | null>;
  loadHours(): Promise<ScheduleHours | null>;
  /** Replaces the clinic's opening hours (an empty list: no opening-hours rule). */
  setClinicHours(intervals: HoursInterval[]): Promise<ScheduleHours | null>;
  /** Replaces a dentist's own hours (an empty list: they work the clinic's hours). */
  setDentistHours(dentistId: string, intervals: HoursInterval[]): Promise<ScheduleHours | null>;
  loadClosures(from?: string, to?: string): Promise<Closure[] | null>;
  createClosure(input: CreateClosureInput): Promise<Closure | null>;
  deleteClosure(id: string): Promise<boolean | null>;

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
  calendarQuery: null,
  calendar: [] as DayAppointment[],
  availabilityQuery: null,
  slots: [] as AvailableSlot[],
  dentists: [] as Dentist[],
  chairs: [] as Chair[],
  archivedChairs: [] as Chair[],
  hours: null,
  closures: [] as Closure[],
  ...idle(appointmentActions),
});

const byOrder = (a: Chair, b: Chair) => a.displayOrder - b.displayOrder || a.name.localeCompare(b.name);

const byName = (a: AppointmentType, b: AppointmentType) => a.name.localeCompare(b.name);

/** Whether an appointment on `date` belongs in the range filter's dates. */
function inRange(filter: AppointmentRange | null, appointment: Appointment): boolean {
  if (!filter) return false;
  return (!filter.from || appointment.date >= filter.from) && (!filter.to || appointment.date <= filter.to) &&
    (!filter.patientId || appointment.patientId === filter.patientId) && (!filter.status || appointment.status === filter.status);
}

export const useAppointmentStore = create<AppointmentState>()((set, get) => {
  const actions = runner<AppointmentState, AppointmentAction>(set);

  /** Puts a changed appointment into the lists shown: the day and the calendar (re-read, for names) and the range. */
  const changed = async (appointment: { date: string }, before?: { date: string }) => {
    const { date, calendarQuery } = get();
    if (date && (appointment.date === date || before?.date === date)) await get().loadByDate(date);
    const inCalendar = (d: string | undefined) =>
      !!calendarQuery && !!d && d >= (calendarQuery.from ?? "") && d <= (calendarQuery.to ?? "9999-12-31");
    if (calendarQuery && (inCalendar(appointment.date) || inCalendar(before?.date))) await get().loadCalendar(calendarQuery);
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

    loadCalendar: (query) =>
      actions.run(
        "calendar",
        () => unwrap(client.GET("/api/appointments/calendar", { params: { query } })),
        (calendar) => ({ calendarQuery: query, calendar }),
        { latestOnly: true },
      ),

    loadAvailability: (query) =>
      actions.run(
        "availability",
        () => unwrap(client.GET("/api/appointments/availability", { params: { query } })),
        (slots) => ({ availabilityQuery: query, slots }),
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

    cancel: async (id, reason) => {
      const cancelled = await actions.run(
        "cancel",
        () => unwrap(client.POST("/api/appointments/{id}/cancel", { params: { path: { id } }, body: { reason: reason ?? null } })),
        (appointment, state) => ({
          day: state.day.map((a) => (a.id === id ? { ...a, status: appointment.status, cancelReason: appointment.cancelReason } : a)),
          calendar: state.calendar.map((a) => (a.id === id ? { ...a, status: appointment.status, cancelReason: appointment.cancelReason } : a)),
          rangeItems: state.rangeItems.map((a) => (a.id === id ? appointment : a)),
        }),
      );
      return cancelled ? true : null;
    },

    remove: (id) =>
      actions.run(
        "remove",
        async () => {
          await unwrap(client.DELETE("/api/appointments/{id}", { params: { path: { id } } }));
          return true;
        },
        (_, state) => ({
          day: state.day.filter((a) => a.id !== id),
          calendar: state.calendar.filter((a) => a.id !== id),
          rangeItems: state.rangeItems.filter((a) => a.id !== id),
          slots: [],
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

    loadDentists: () =>
      actions.run("dentists", () => unwrap(client.GET("/api/dentists")), (dentists) => ({ dentists }), { latestOnly: true }),

    loadChairs: () =>
      actions.run("chairs", () => unwrap(client.GET("/api/chairs")), (chairs) => ({ chairs }), { latestOnly: true }),

    loadArchivedChairs: () =>
      actions.run(
        "archivedChairs",
        () => unwrap(client.GET("/api/chairs", { params: { query: { archived: true } } })),
        (archivedChairs) => ({ archivedChairs }),
        { latestOnly: true },
      ),

    createChair: (input) =>
      actions.run(
        "createChair",
        () => unwrap(client.POST("/api/chairs", { body: input })),
        (chair, state) => ({ chairs: [...state.chairs.filter((c) => c.id !== chair.id), chair].sort(byOrder) }),
      ),

    updateChair: (id, input) =>
      actions.run(
        "updateChair",
        () => unwrap(client.PUT("/api/chairs/{id}", { params: { path: { id } }, body: input })),
        (chair, state) => ({ chairs: state.chairs.map((c) => (c.id === id ? chair : c)).sort(byOrder) }),
      ),

    deleteChair: (id) =>
      actions.run(
        "deleteChair",
        async () => {
          await unwrap(client.DELETE("/api/chairs/{id}", { params: { path: { id } } }));
          // A chair with appointments is archived rather than removed: the archived list shows it.
          void get().loadArchivedChairs();
          return true;
        },
        (_, state) => ({ chairs: state.chairs.filter((c) => c.id !== id) }),
      ),

    loadHours: () =>
      actions.run("hours", () => unwrap(client.GET("/api/schedule/hours")), (hours) => ({ hours }), { latestOnly: true }),

    setClinicHours: (intervals) =>
      actions.run(
        "setClinicHours",
        () => unwrap(client.PUT("/api/schedule/hours/clinic", { body: { intervals } })),
        (hours) => ({ hours }),
      ),

    setDentistHours: (dentistId, intervals) =>
      actions.run(
        "setDentistHours",
        () => unwrap(client.PUT("/api/schedule/hours/dentists/{dentistId}", { params: { path: { dentistId } }, body: { intervals } })),
        (hours) => ({ hours }),
      ),

    loadClosures: (from, to) =>
      actions.run(
        "closures",
        () => unwrap(client.GET("/api/schedule/closures", { params: { query: { from, to } } })),
        (closures) => ({ closures }),
        { latestOnly: true },
      ),

    createClosure: (input) =>
      actions.run(
        "createClosure",
        () => unwrap(client.POST("/api/schedule/closures", { body: input })),
        (closure, state) => ({
          closures: [...state.closures, closure].sort((a, b) => a.from.localeCompare(b.from) || a.id.localeCompare(b.id)),
        }),
      ),

    deleteClosure: (id) =>
      actions.run(
        "deleteClosure",
        async () => {
          await unwrap(client.DELETE("/api/schedule/closures/{id}", { params: { path: { id } } }));
          return true;
        },
        (_, state) => ({ closures: state.closures.filter((c) => c.id !== id) }),
      ),

    clearError: (action) => set((state) => ({ errors: { ...state.errors, [action]: null } })),

    reset: () => {
      actions.invalidate();
      set(initial());
    },
  };
});

onSessionCleared(() => useAppointmentStore.getState().reset());
