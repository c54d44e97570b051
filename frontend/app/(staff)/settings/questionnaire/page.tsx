import type { Metadata } from "next";
import { QuestionnaireScreen } from "./QuestionnaireScreen";

export const metadata: Metadata = { title: "Questionnaire" };

export default function QuestionnairePage() {
  return <QuestionnaireScreen />;
}
