// Payments of one patient and their account (charges, payments, refunds, credit, balance, aging,
// entries), with record / void / refund, receipts and the day's takings. Money is an append-only
// ledger on the server: nothing here edits or deletes a payment. Recording sends an Idempotency-Key,
// so a retried record (a double click, a lost answer) records the payment once.
// A change refreshes the treatment store's list and the patient store's account summary when they
// show the same patient (a payment changes what treatments have been paid).
import { create } from "zustand";
import { client, onSessionCleared, unwrap, type Schemas } from "../services/api";
import { idle, runner, type ActionState } from "./actions";
import { usePatientStore } from "./patientStore";
import { useTreatmentStore } from "./treatmentStore";

export type Payment = Schemas["PaymentDto"];
export type PatientAccount = Schemas["PatientAccountDto"];
export type AccountEntry = Schemas["AccountEntryDto"];
export type Receipt = Schemas["ReceiptDto"];
export type DailyTakings = Schemas["DailyTakingsDto"];
export type CreatePaymentInput = Schemas["CreatePayment"];
export type PaymentMethod = "cash" | "card" | "transfer" | "insurance" | "other";

export const paymentActions = ["byPatient", "account", "moreEntries", "record", "void", "refund", "receipt", "takings"] as const;
export type PaymentAction = (typeof paymentActions)[number];

export interface PaymentState extends ActionState<PaymentAction> {
  /** Whose payments and account are held. */
  patientId: string | null;
  /** The patient's payments, newest first (first page of up to 100). */
  items: Payment[];
  /** The patient's account; `account.data` grows with `loadMoreEntries`. */
  account: PatientAccount | null;
  receipt: Receipt | null;
  takings: DailyTakings | null;

  /** Loads the patient's payments and account. */
  loadByPatient(patientId: string): Promise<Payment[] | null>;
  loadAccount(patientId: string): Promise<PatientAccount | null>;
  /** The next page of account entries (older), appended to `account.data`. */
  loadMoreEntries(): Promise<PatientAccount | null>;
  /**
   * Records a payment (every role). Without `allocations` it pays the oldest open treatments first;
   * the rest is credit. `idempotencyKey` defaults to a fresh one; pass the same key to retry safely.
   */
  record(input: CreatePaymentInput, idempotencyKey?: string): Promise<Payment | null>;
  /** Voids a payment (admin, dentist): a reversing entry, the payment stays on record. */
  void(id: string, reason: string): Promise<Payment | null>;
  /** Refunds part or all of a payment (admin, dentist); `method` defaults to the payment's. */
  refund(id: string, amount: number, reason: string, method?: PaymentMethod): Promise<Payment | null>;
  loadReceipt(id: string): Promise<Receipt | null>;
  /** The day's takings (admin, dentist), per method and per user; `date` YYYY-MM-DD, default today (clinic time). */
  loadTakings(date?: string): Promise<DailyTakings | null>;

  clearError(action: PaymentAction): void;
  reset(): void;
}

const initial = () => ({
  patientId: null,
  items: [] as Payment[],
  account: null,
  receipt: null,
  takings: null,
  ...idle(paymentActions),
});

const newKey = () => globalThis.crypto.randomUUID();

/** After a change, what other stores show of this patient follows. */
async function refreshOthers(patientId: string): Promise<void> {
  const patients = usePatientStore.getState();
  if (patients.current?.id === patientId) await patients.get(patientId);
  const treatments = useTreatmentStore.getState();
  if (treatments.patientId === patientId) await treatments.loadByPatient(patientId);
}

export const usePaymentStore = create<PaymentState>()((set, get) => {
  const actions = runner<PaymentState, PaymentAction>(set);

  /** Reloads the held patient's payments and account after a change of theirs. */
  const refreshHeld = async (patientId: string) => {
    if (get().patientId === patientId) await Promise.all([get().loadByPatient(patientId), get().loadAccount(patientId)]);
    await refreshOthers(patientId);
  };

  const afterChange = async (payment: Payment | null) => {
    if (payment) await refreshHeld(payment.patientId);
    return payment;
  };

  return {
    ...initial(),

    loadByPatient: (patientId) =>
      actions.run(
        "byPatient",
        async () => (await unwrap(client.GET("/api/payments", { params: { query: { patientId, limit: 100 } } }))).data,
        (items, state) => ({ items, patientId, account: state.patientId === patientId ? state.account : null }),
        { latestOnly: true },
      ),

    loadAccount: (patientId) =>
      actions.run(
        "account",
        () => unwrap(client.GET("/api/patients/{id}/account", { params: { path: { id: patientId } } })),
        (account, state) => ({ account, patientId, items: state.patientId === patientId ? state.items : [] }),
        { latestOnly: true },
      ),

    loadMoreEntries: async () => {
      const { account } = get();
      const cursor = account?.pagination.nextCursor;
      if (!account || !cursor) return account;
      return actions.run(
        "moreEntries",
        () => unwrap(client.GET("/api/patients/{id}/account", { params: { path: { id: account.patientId }, query: { cursor } } })),
        (next, state) =>
          state.account?.patientId === next.patientId
            ? { account: { ...next, data: [...state.account.data, ...next.data] } }
            : {},
      );
    },

    record: async (input, idempotencyKey = newKey()) =>
      afterChange(
        await actions.run("record", () =>
          unwrap(client.POST("/api/payments", { body: input, params: { header: { "Idempotency-Key": idempotencyKey } } })),
        ),
      ),

    void: async (id, reason) =>
      afterChange(
        await actions.run("void", () => unwrap(client.POST("/api/payments/{id}/void", { params: { path: { id } }, body: { reason } }))),
      ),

    refund: async (id, amount, reason, method) =>
      afterChange(
        await actions.run("refund", () =>
          unwrap(client.POST("/api/payments/{id}/refund", { params: { path: { id } }, body: { amount, reason, method } })),
        ),
      ),

    loadReceipt: (id) =>
      actions.run(
        "receipt",
        () => unwrap(client.GET("/api/payments/{id}/receipt", { params: { path: { id } } })),
        (receipt) => ({ receipt }),
        { latestOnly: true },
      ),

    loadTakings: (date) =>
      actions.run(
        "takings",
        () => unwrap(client.GET("/api/reports/daily-takings", { params: { query: date ? { date } : {} } })),
        (takings) => ({ takings }),
        { latestOnly: true },
      ),

    clearError: (action) => set((state) => ({ errors: { ...state.errors, [action]: null } })),

    reset: () => {
      actions.invalidate();
      set(initial());
    },
  };
});

onSessionCleared(() => usePaymentStore.getState().reset());
