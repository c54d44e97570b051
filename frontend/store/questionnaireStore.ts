// The medical-history questionnaire (every signed-in role reads it; admins and dentists replace it).
import { create } from "zustand";
import { client, onSessionCleared, unwrap, type Schemas } from "../services/api";
import { idle, runner, type ActionState } from "./actions";

export type Question = Schemas["QuestionDto"];
export type QuestionInput = Schemas["QuestionInput"];

export const questionnaireActions = ["load", "save"] as const;
export type QuestionnaireAction = (typeof questionnaireActions)[number];

export interface QuestionnaireState extends ActionState<QuestionnaireAction> {
  /** The questions, in order. */
  questions: Question[];
  load(): Promise<Question[] | null>;
  /**
   * PUT /api/medical-history/questions: the list replaces the questionnaire (items with an id update
   * that question, items without one are added, questions left out are retired). Errors name
   * `questions[i].field`.
   */
  save(questions: QuestionInput[]): Promise<Question[] | null>;
  reset(): void;
}

const inOrder = (questions: readonly Question[]) => [...questions].sort((a, b) => a.order - b.order);

export const useQuestionnaireStore = create<QuestionnaireState>()((set) => {
  const actions = runner<QuestionnaireState, QuestionnaireAction>(set);
  return {
    questions: [],
    ...idle(questionnaireActions),
    load: () => actions.run("load", () => unwrap(client.GET("/api/medical-history/questions")).then(inOrder), (questions) => ({ questions }), { latestOnly: true }),
    save: (questions) => actions.run("save", () => unwrap(client.PUT("/api/medical-history/questions", { body: questions })).then(inOrder), (saved) => ({ questions: saved })),
    reset: () => {
      actions.invalidate();
      set({ questions: [], ...idle(questionnaireActions) });
    },
  };
});

onSessionCleared(() => useQuestionnaireStore.getState().reset());
